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

from beancount_freelance.core.quoting import one_line
from beancount_freelance.i18n import N_, _, ngettext, translated
from beancount_freelance.text.flags import flag_label
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
    (N_("Id"), "id", False),
    (N_("Name"), "name", False),
    (N_("Status"), "status", False),
    (N_("Since"), "start", False),
    (N_("Until"), "end", False),
    (N_("Tenure"), "tenure_months", True),
    (N_("Period"), "revenue_period", True),
    (N_("12 months"), "revenue_t12m", True),
    (N_("Share"), "share_t12m", True),
    (N_("Last revenue"), "last_revenue", False),
)

#: A client's `status` (the document's value) as the table says it.
STATUS_TEXT = {
    "active": N_("active"),
    "dormant": N_("dormant"),
    "lost": N_("lost"),
    "prospect": N_("prospect"),
}


# --- Small formatters ---------------------------------------------------------


def headers() -> list[str]:
    """The table's column headers, in the language in use."""
    return [_(header) for header, _key, _align in TABLE_COLUMNS]


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
    return _("{months} mo").format(months=months)


def _cell(client: Mapping[str, Any], key: str) -> str:
    value = client.get(key)
    if key == "tenure_months":
        return tenure_text(value)
    if key == "share_t12m":
        return share_text(value)
    if key == "status" and value in STATUS_TEXT:
        return status_word(value)
    return NONE if value is None else str(value)


def status_word(status: str) -> str:
    """A client's status in the language in use (another value as it is)."""
    found = STATUS_TEXT.get(status)
    return _(found) if found is not None else status


# --- The report -----------------------------------------------------------------


def period_text(document: Document) -> str:
    period = document.get("period") or {}
    start, end = period.get("start"), period.get("end")
    if start and end:
        return _("from {start} to {end}").format(start=start, end=end)
    if start:
        return _("from {start}").format(start=start)
    if end:
        return _("up to {end}").format(end=end)
    return _("all dates")


def heading(document: Document) -> str:
    return _("Clients as of {as_of}, period {period}, amounts in {currency}").format(
        as_of=document["as_of"],
        period=period_text(document),
        currency=document["currency"],
    )


def client_table(document: Document) -> list[str]:
    """One row per client, then the totals of the document."""
    rows = [headers()]
    right = [align for _header, _key, align in TABLE_COLUMNS]
    for client in document["clients"]:
        rows.append([_cell(client, key) for _header, key, _align in TABLE_COLUMNS])
    totals = document.get("totals") or {}
    unattributed = totals.get("unattributed") or {}
    if any(value not in (None, "0.00") for value in unattributed.values()):
        rows.append(_totals_row(_("(no client)"), unattributed, ""))
    active = totals.get("active_clients")
    status = (
        ""
        if active is None
        else ngettext("{count} active", "{count} active", active).format(count=active)
    )
    rows.append(_totals_row(_("Total"), totals, status))
    return table(rows, right)


def _totals_row(label: str, totals: Mapping[str, Any], status: str) -> list[str]:
    row = [label] + [""] * (len(TABLE_COLUMNS) - 1)
    for index, (_header, key, _align) in enumerate(TABLE_COLUMNS):
        if key in ("revenue_period", "revenue_t12m"):
            row[index] = str(totals.get(key, ""))
        elif key == "status":
            row[index] = status
    return row


def concentration_lines(document: Document) -> list[str]:
    """The concentration line, then one line per flagged client."""
    found = document.get("concentration") or {}
    if found.get("effective_clients") is None:
        return [_("Concentration: no revenue in the trailing 12 months.")]
    line = _(
        "Concentration (trailing 12 months): HHI {hhi}, {effective} effective "
        "clients, top client {top1}, top 3 {top3}."
    ).format(
        hhi=f"{found['hhi']:.0f}",
        effective=f"{found['effective_clients']:.2f}",
        top1=share_text(found.get("top1_share")),
        top3=share_text(found.get("top3_share")),
    )
    lines = [wrapped(line, 0)]
    flagged: dict[str, list[Mapping[str, Any]]] = {}
    for flag in found.get("flags") or ():
        flagged.setdefault(flag["client"], []).append(flag)
    for client, flags in flagged.items():
        labels = ", ".join(
            f"{flag_label(flag['label'])} (≥ {threshold_text(flag['threshold'])})"
            for flag in flags
        )
        said = _("{client} {share}: {flags}").format(
            client=client, share=share_text(flags[0]["share"]), flags=labels
        )
        lines.append(f"  {said}")
    if not flagged:
        lines.append(
            "  " + _("No client reaches {share} of your income.").format(share="10 %")
        )
    return lines


def wrapped(text: str, indent: int) -> str:
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
    return wrapped(" ".join(replacement_sentences(replacement, currency)), indent)


def replacement_lines(document: Document) -> list[str]:
    replacements = document.get("replacements") or []
    if not replacements:
        return [_("Replacements: no client lost or gone quiet in the period.")]
    lines = [_("Replacements:")]
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
        lines.append(_("No client yet: no income account under Income:Clients."))
    lines.append("")
    lines.extend(concentration_lines(document))
    lines.append("")
    lines.extend(replacement_lines(document))
    return "\n".join(lines) + "\n"


# --- One client -----------------------------------------------------------------


def monthly_lines(monthly: Mapping[str, str]) -> list[str]:
    """The client's months, gaps between them shown as zero, with a bar each."""
    if not monthly:
        return ["  " + _("No revenue in the period.")]
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
    end = tuple(int(part) for part in last.split("-"))
    months = []
    # Compared as numbers: as text, "10000-01" would come before "9999-12".
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def event_lines(events: Sequence[Mapping[str, Any]]) -> list[str]:
    if not events:
        return ["  " + _("No client-lost or client-back event.")]
    kinds = {"lost": _("lost"), "back": _("back")}
    return [
        f"  {event['date']}  {kinds.get(event['kind'], event['kind'])}"
        + (f"  {one_line(event['note'])}" if event.get("note") else "")
        for event in events
    ]


def client_text(
    document: Document,
    client: Mapping[str, Any],
    replacement: Mapping[str, Any] | None,
) -> str:
    """One client: its row, its lifecycle events, its months and its replacement."""
    cadence = client.get("cadence_days")
    invoiced = (client.get("receivables") or {}).get("invoices")
    if cadence is None:
        rhythm = _("revenue on one date")
    elif invoiced:
        rhythm = _("invoiced every {days} days (median)").format(days=cadence)
    else:
        rhythm = _("revenue every {days} days (median)").format(days=cadence)
    if client.get("last_paid"):
        rhythm += ", " + _("last paid {date}").format(date=client["last_paid"])
    recurring = _("recurring") if client.get("recurring") else _("not recurring")
    kind = f" ({client['kind']})" if client.get("kind") else ""
    lines = [heading(document), ""]
    lines.extend(
        table(
            [
                headers(),
                [_cell(client, key) for _header, key, _align in TABLE_COLUMNS],
            ],
            [align for _header, _key, align in TABLE_COLUMNS],
        )
    )
    lines.append("")
    lines.append(
        _("Revenue to date: {amount} {currency}; {rhythm}, {recurring}{kind}.").format(
            amount=client.get("revenue_total"),
            currency=document["currency"],
            rhythm=rhythm,
            recurring=recurring,
            kind=kind,
        )
    )
    lines.append("")
    lines.append(_("Events:"))
    lines.extend(event_lines(client.get("events") or ()))
    lines.append("")
    lines.append(_("Monthly revenue ({period}):").format(period=period_text(document)))
    lines.extend(monthly_lines(client.get("monthly") or {}))
    if replacement is not None:
        lines.append("")
        lines.append(
            _("Replacement: {heading}:").format(
                heading=replacement_heading(replacement)
            )
        )
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
    return [
        translated(warning) if isinstance(warning, str) else str(warning)
        for warning in warnings
    ]
