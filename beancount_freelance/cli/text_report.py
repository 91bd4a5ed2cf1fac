"""The text face of the analysis: what `bean-clients` prints for a person to read.

Every function here formats the JSON document (docs/metrics.md) (or one of its client or
replacement objects) into aligned tables and paragraphs. Nothing is computed here:
amounts are printed as the document spells them, shares and rates are only scaled
to percents and rounded for reading. The replacement sentences are the core's
(`beancount_freelance.text.sentences`), shared with the Fava page; this face wraps them.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from beancount_freelance.text.sentences import (
    replacement_heading,
    replacement_sentences,
)

Document = Mapping[str, Any]

NONE = "–"
BAR_WIDTH = 30
LINE_WIDTH = 88

TABLE_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    # (header, client key, right-aligned)
    ("Id", "id", False),
    ("Name", "name", False),
    ("Status", "status", False),
    ("Since", "start", False),
    ("Until", "end", False),
    ("Tenure", "tenure_months", True),
    ("Period", "revenue_period", True),
    ("12 months", "revenue_t12m", True),
    ("Share", "share_t12m", True),
    ("Last payment", "last_revenue", False),
)


# --- Small formatters ---------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: wide characters 2, combining 0."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if right else text + fill


def table(rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    """Align rows of cells into columns two spaces apart (first row: headers)."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(right))]
    return [
        "  ".join(
            _pad(cell, width, align)
            for cell, width, align in zip(row, widths, right, strict=True)
        ).rstrip()
        for row in rows
    ]


def share_text(share: float | None) -> str:
    """A share in [0, 1] as a percent for a table: `35.0 %`."""
    if share is None:
        return NONE
    return f"{share * 100:.1f} %"


def threshold_text(threshold: float) -> str:
    """A flag threshold: `25 %`, or `83.3 %` for 5/6."""
    percent = threshold * 100
    if abs(percent - round(percent)) < 1e-9:
        return f"{round(percent)} %"
    return f"{percent:.1f} %"


def tenure_text(months: int | None) -> str:
    if months is None:
        return NONE
    return f"{months} mo"


def _cell(client: Mapping[str, Any], key: str) -> str:
    value = client.get(key)
    if key == "tenure_months":
        return tenure_text(value)
    if key == "share_t12m":
        return share_text(value)
    return NONE if value is None else str(value)


# --- The report -----------------------------------------------------------------


def period_text(document: Document) -> str:
    period = document.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if start and end:
        return f"from {start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"up to {end}"
    return "all dates"


def heading(document: Document) -> str:
    return (
        f"Clients as of {document['as_of']}, period {period_text(document)}, "
        f"amounts in {document['currency']}"
    )


def client_table(document: Document) -> list[str]:
    """One row per client, then the totals of the document."""
    rows = [[header for header, _, _ in TABLE_COLUMNS]]
    right = [align for _, _, align in TABLE_COLUMNS]
    for client in document["clients"]:
        rows.append([_cell(client, key) for _, key, _ in TABLE_COLUMNS])
    totals = document.get("totals") or {}
    unattributed = totals.get("unattributed") or {}
    if any(value not in (None, "0.00") for value in unattributed.values()):
        rows.append(_totals_row("(no client)", unattributed, ""))
    active = totals.get("active_clients")
    rows.append(
        _totals_row("Total", totals, "" if active is None else f"{active} active")
    )
    return table(rows, right)


def _totals_row(label: str, totals: Mapping[str, Any], status: str) -> list[str]:
    row = [label] + [""] * (len(TABLE_COLUMNS) - 1)
    for index, (_, key, _) in enumerate(TABLE_COLUMNS):
        if key in ("revenue_period", "revenue_t12m"):
            row[index] = str(totals.get(key, ""))
        elif key == "status":
            row[index] = status
    return row


def concentration_lines(document: Document) -> list[str]:
    """The concentration line, then one line per flagged client."""
    found = document.get("concentration") or {}
    if found.get("effective_clients") is None:
        return ["Concentration: no revenue in the trailing 12 months."]
    line = (
        f"Concentration (trailing 12 months): HHI {found['hhi']:.0f}, "
        f"{found['effective_clients']:.2f} effective clients, "
        f"top client {share_text(found.get('top1_share'))}, "
        f"top 3 {share_text(found.get('top3_share'))}."
    )
    lines = [_wrapped(line, 0)]
    flagged: dict[str, list[Mapping[str, Any]]] = {}
    for flag in found.get("flags") or ():
        flagged.setdefault(flag["client"], []).append(flag)
    for client, flags in flagged.items():
        labels = ", ".join(
            f"{flag['label']} (≥ {threshold_text(flag['threshold'])})" for flag in flags
        )
        lines.append(f"  {client} {share_text(flags[0]['share'])}: {labels}")
    if not flagged:
        lines.append("  No client reaches 10 % of your income.")
    return lines


def _wrapped(text: str, indent: int) -> str:
    """A paragraph wrapped to the line width, indented."""
    return textwrap.fill(
        text,
        LINE_WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )


def replacement_paragraph(
    replacement: Mapping[str, Any], currency: str, indent: int
) -> str:
    """The sentences of `sentences.replacement_sentences`, wrapped and indented."""
    return _wrapped(" ".join(replacement_sentences(replacement, currency)), indent)


def replacement_lines(document: Document) -> list[str]:
    replacements = document.get("replacements") or []
    if not replacements:
        return ["Replacements: no client lost or gone quiet in the period."]
    lines = ["Replacements:"]
    for replacement in replacements:
        lines.append(f"  {replacement_heading(replacement)}:")
        lines.append(replacement_paragraph(replacement, document["currency"], 4))
    return lines


def report_text(document: Document) -> str:
    """The whole report: heading, client table, concentration and replacements."""
    lines = [heading(document), ""]
    if document["clients"]:
        lines.extend(client_table(document))
    elif document.get("unattributed_fix"):
        # The core's fix, as the first warning says it.
        lines.append(f"No client yet: {document['unattributed_fix']}.")
    else:
        lines.append("No client yet: no income account under Income:Clients.")
    lines.append("")
    lines.extend(concentration_lines(document))
    lines.append("")
    lines.extend(replacement_lines(document))
    return "\n".join(lines) + "\n"


# --- One client -----------------------------------------------------------------


def monthly_lines(monthly: Mapping[str, str]) -> list[str]:
    """The client's months, gaps between them shown as zero, with a bar each."""
    if not monthly:
        return ["  No revenue in the period."]
    months = _month_range(min(monthly), max(monthly))
    values = {month: monthly.get(month, "0.00") for month in months}
    largest = max(abs(float(value)) for value in values.values()) or 1.0
    rows = []
    for month, value in values.items():
        length = round(abs(float(value)) / largest * BAR_WIDTH)
        bar = ("▒" if value.startswith("-") else "█") * length
        rows.append([f"  {month}", value, bar])
    return table(rows, [False, True, False])


def _month_range(first: str, last: str) -> list[str]:
    year, month = (int(part) for part in first.split("-"))
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def event_lines(events: Sequence[Mapping[str, Any]]) -> list[str]:
    if not events:
        return ["  No client-lost or client-back event."]
    return [
        f"  {event['date']}  {event['kind']}"
        + (f"  {event['note']}" if event.get("note") else "")
        for event in events
    ]


def client_text(
    document: Document,
    client: Mapping[str, Any],
    replacement: Mapping[str, Any] | None,
) -> str:
    """One client: its row, its lifecycle events, its months and its replacement."""
    cadence = client.get("cadence_days")
    rhythm = (
        f"paid every {cadence} days (median)" if cadence is not None else "paid once"
    )
    recurring = "recurring" if client.get("recurring") else "not recurring"
    kind = f" ({client['kind']})" if client.get("kind") else ""
    lines = [heading(document), ""]
    lines.extend(
        table(
            [
                [header for header, _, _ in TABLE_COLUMNS],
                [_cell(client, key) for _, key, _ in TABLE_COLUMNS],
            ],
            [align for _, _, align in TABLE_COLUMNS],
        )
    )
    lines.append("")
    lines.append(
        f"Revenue to date: {client.get('revenue_total')} {document['currency']}; "
        f"{rhythm}, {recurring}{kind}."
    )
    lines.append("")
    lines.append("Events:")
    lines.extend(event_lines(client.get("events") or ()))
    lines.append("")
    lines.append(f"Monthly revenue ({period_text(document)}):")
    lines.extend(monthly_lines(client.get("monthly") or {}))
    if replacement is not None:
        lines.append("")
        lines.append(f"Replacement: {replacement_heading(replacement)}:")
        lines.append(replacement_paragraph(replacement, document["currency"], 2))
    return "\n".join(lines) + "\n"


def what_if_text(replacement: Mapping[str, Any], currency: str, as_of: str) -> str:
    """The what-if replacement of an active client, in the conditional."""
    what_if = {**replacement, "reason": "what-if", "ended": as_of}
    heading = replacement_heading(what_if)
    return f"{heading}:\n{replacement_paragraph(what_if, currency, 2)}\n"


# --- Warnings -------------------------------------------------------------------


def warning_lines(warnings: Sequence[Any]) -> list[str]:
    """Each warning of the document: `file:line: message`, as bean-check prints."""
    return [str(warning) for warning in warnings]
