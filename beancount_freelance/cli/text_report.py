"""The text face of the analysis: what `bean-clients` prints for a person to read.

Every function here formats the typed `Report` (or one of its `ClientStream` or
`Replacement` values) into aligned tables and paragraphs. Nothing is computed
here: amounts are printed in cents as the document spells them, shares and rates
are rounded as the document rounds them, then scaled to percents for reading. The
replacement sentences are `beancount_freelance.text.sentences`, shared with the
Fava page; this face wraps them.
"""

from __future__ import annotations

import textwrap
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_, one_line, warning_text
from beancount_freelance.core.money import amount, cents, share, whole, whole_days
from beancount_freelance.i18n import _, ngettext, translated
from beancount_freelance.text.flags import flag_label
from beancount_freelance.text.sentences import (
    replacement_heading,
    replacement_sentences,
)

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence

    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.receivables.analysis import ClientReceivables
    from beancount_freelance.core.revenue.concentration import (
        Concentration,
        ConcentrationFlag,
    )
    from beancount_freelance.core.revenue.portfolio import ClientStream, Portfolio
    from beancount_freelance.core.revenue.replacement import Replacement

NONE = "–"
BAR_WIDTH = 30
LINE_WIDTH = 88

TABLE_COLUMNS: tuple[tuple[str, bool], ...] = (
    # (header, right-aligned)
    (N_("Id"), False),
    (N_("Name"), False),
    (N_("Status"), False),
    (N_("Since"), False),
    (N_("Until"), False),
    (N_("Tenure"), True),
    (N_("Period"), True),
    (N_("12 months"), True),
    (N_("Share"), True),
    (N_("Last revenue"), False),
)
_PERIOD, _T12M, _STATUS = 6, 7, 2  # the columns a totals row fills

#: A client's `status` as the table says it.
STATUS_TEXT = {
    "active": N_("active"),
    "dormant": N_("dormant"),
    "lost": N_("lost"),
    "prospect": N_("prospect"),
}


# --- Small formatters ---------------------------------------------------------


def headers() -> list[str]:
    """The table's column headers, in the language in use."""
    return [_(header) for header, _align in TABLE_COLUMNS]


def aligned() -> list[bool]:
    return [align for _header, align in TABLE_COLUMNS]


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


def date_text(value: datetime.date | None) -> str:
    return NONE if value is None else value.isoformat()


def client_cells(client: ClientStream) -> list[str]:
    """The client's row of the table."""
    return [
        client.id,
        client.name,
        status_word(client.status),
        date_text(client.start),
        date_text(client.end),
        tenure_text(client.tenure_months),
        amount(client.revenue_period),
        amount(client.revenue_t12m),
        share_text(share(client.share_t12m)),
        date_text(client.last_revenue),
    ]


def status_word(status: str) -> str:
    """A client's status in the language in use (another value as it is)."""
    found = STATUS_TEXT.get(status)
    return _(found) if found is not None else status


# --- The report -----------------------------------------------------------------


def period_text(portfolio: Portfolio) -> str:
    start, end = portfolio.start, portfolio.end
    if start and end:
        return _("from {start} to {end}").format(start=start, end=end)
    if start:
        return _("from {start}").format(start=start)
    if end:
        return _("up to {end}").format(end=end)
    return _("all dates")


def heading(portfolio: Portfolio) -> str:
    return _("Clients as of {as_of}, period {period}, amounts in {currency}").format(
        as_of=portfolio.as_of,
        period=period_text(portfolio),
        currency=portfolio.currency,
    )


def client_table(portfolio: Portfolio) -> list[str]:
    """One row per client, then the totals."""
    rows = [headers()]
    rows.extend(client_cells(client) for client in portfolio.clients)
    totals = portfolio.totals
    unattributed = (
        totals.unattributed_total,
        totals.unattributed_period,
        totals.unattributed_t12m,
    )
    if any(amount(value) != "0.00" for value in unattributed):
        rows.append(
            _totals_row(
                _("(no client)"),
                totals.unattributed_period,
                totals.unattributed_t12m,
                "",
            )
        )
    active = totals.active_clients
    status = ngettext("{count} active", "{count} active", active).format(count=active)
    rows.append(
        _totals_row(_("Total"), totals.revenue_period, totals.revenue_t12m, status)
    )
    return table(rows, aligned())


def _totals_row(label: str, period: Decimal, t12m: Decimal, status: str) -> list[str]:
    row = [label] + [""] * (len(TABLE_COLUMNS) - 1)
    row[_PERIOD], row[_T12M], row[_STATUS] = amount(period), amount(t12m), status
    return row


def concentration_lines(found: Concentration) -> list[str]:
    """The concentration line, then one line per flagged client."""
    if found.effective_clients is None:
        return [_("Concentration: no revenue in the trailing 12 months.")]
    line = _(
        "Concentration (trailing 12 months): HHI {hhi}, {effective} effective "
        "clients, top client {top1}, top 3 {top3}."
    ).format(
        hhi=whole(found.hhi),
        effective=f"{round(found.effective_clients, 2):.2f}",
        top1=share_text(share(found.top1_share)),
        top3=share_text(share(found.top3_share)),
    )
    lines = [wrapped(line, 0)]
    flagged: dict[str, list[ConcentrationFlag]] = {}
    for flag in found.flags:
        flagged.setdefault(flag.client, []).append(flag)
    for client, flags in flagged.items():
        labels = ", ".join(
            f"{flag_label(flag.label)} (≥ {threshold_text(_rate(flag.threshold))})"
            for flag in flags
        )
        said = _("{client} {share}: {flags}").format(
            client=client, share=share_text(share(flags[0].share)), flags=labels
        )
        lines.append(f"  {said}")
    if not flagged:
        lines.append(
            "  " + _("No client reaches {share} of your income.").format(share="10 %")
        )
    return lines


def _rate(value: float) -> float:
    return round(value, 4)


def wrapped(text: str, indent: int) -> str:
    """A paragraph wrapped to the line width, indented."""
    return textwrap.fill(
        text,
        LINE_WIDTH,
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )


def replacement_paragraph(replacement: Replacement, currency: str, indent: int) -> str:
    """The sentences of `sentences.replacement_sentences`, wrapped and indented."""
    return wrapped(" ".join(replacement_sentences(replacement, currency)), indent)


def replacement_lines(portfolio: Portfolio) -> list[str]:
    replacements = portfolio.replacements
    if not replacements:
        return [_("Replacements: no client lost or gone quiet in the period.")]
    lines = [_("Replacements:")]
    for replacement in replacements:
        lines.append(f"  {replacement_heading(replacement)}:")
        lines.append(replacement_paragraph(replacement, portfolio.currency, 4))
    return lines


def report_text(portfolio: Portfolio) -> str:
    """The whole report: heading, client table, concentration and replacements."""
    lines = [heading(portfolio), ""]
    if portfolio.clients:
        lines.extend(client_table(portfolio))
    elif portfolio.unattributed_fix:
        # The core's fix, as the first warning says it.
        lines.append(f"No client yet: {portfolio.unattributed_fix}.")
    else:
        lines.append(_("No client yet: no income account under Income:Clients."))
    lines.append("")
    lines.extend(concentration_lines(portfolio.concentration))
    lines.append("")
    lines.extend(replacement_lines(portfolio))
    return "\n".join(lines) + "\n"


# --- One client -----------------------------------------------------------------


def monthly_lines(monthly: Mapping[str, Decimal]) -> list[str]:
    """The client's months, gaps between them shown as zero, with a bar each."""
    if not monthly:
        return ["  " + _("No revenue in the period.")]
    months = _month_range(min(monthly), max(monthly))
    values = {month: cents(monthly.get(month, Decimal(0))) for month in months}
    largest = max(abs(value) for value in values.values()) or Decimal(1)
    rows = []
    for month, value in values.items():
        length = round(float(abs(value)) / float(largest) * BAR_WIDTH)
        bar = ("▒" if value < 0 else "█") * length
        rows.append([f"  {month}", str(value), bar])
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


def event_lines(client: ClientStream) -> list[str]:
    if not client.events:
        return ["  " + _("No client-lost or client-back event.")]
    kinds = {"lost": _("lost"), "back": _("back")}
    return [
        f"  {event.date}  {kinds.get(event.kind, event.kind)}"
        + (f"  {one_line(event.note)}" if event.note else "")
        for event in client.events
    ]


def rhythm_text(client: ClientStream, paid: ClientReceivables) -> str:
    """How often revenue comes, and when the client last paid."""
    cadence = whole_days(client.cadence_days)
    if cadence is None:
        rhythm = _("revenue on one date")
    elif paid.invoices:
        rhythm = _("invoiced every {days} days (median)").format(days=cadence)
    else:
        rhythm = _("revenue every {days} days (median)").format(days=cadence)
    if paid.last_paid:
        rhythm += ", " + _("last paid {date}").format(date=paid.last_paid)
    return rhythm


def client_text(
    portfolio: Portfolio,
    client: ClientStream,
    replacement: Replacement | None,
    paid: ClientReceivables,
) -> str:
    """One client: its row, its lifecycle events, its months and its replacement;
    `paid`: its receivables (how it is invoiced, when it last paid)."""
    recurring = _("recurring") if client.recurring else _("not recurring")
    kind = f" ({client.kind})" if client.kind else ""
    lines = [heading(portfolio), ""]
    lines.extend(table([headers(), client_cells(client)], aligned()))
    lines.append("")
    lines.append(
        _("Revenue to date: {amount} {currency}; {rhythm}, {recurring}{kind}.").format(
            amount=amount(client.revenue_total),
            currency=portfolio.currency,
            rhythm=rhythm_text(client, paid),
            recurring=recurring,
            kind=kind,
        )
    )
    lines.append("")
    lines.append(_("Events:"))
    lines.extend(event_lines(client))
    lines.append("")
    lines.append(_("Monthly revenue ({period}):").format(period=period_text(portfolio)))
    lines.extend(monthly_lines(client.monthly))
    if replacement is not None:
        lines.append("")
        lines.append(
            _("Replacement: {heading}:").format(
                heading=replacement_heading(replacement)
            )
        )
        lines.append(replacement_paragraph(replacement, portfolio.currency, 2))
    return "\n".join(lines) + "\n"


def what_if_text(replacement: Replacement, currency: str) -> str:
    """The what-if replacement of an active client (`Report.what_if`), in the
    conditional."""
    heading = replacement_heading(replacement)
    return f"{heading}:\n{replacement_paragraph(replacement, currency, 2)}\n"


# --- Warnings -------------------------------------------------------------------


def warning_lines(warnings: Sequence[FreelanceError]) -> list[str]:
    """Each warning: `file:line: message`, as bean-check prints, translated."""
    return [translated(warning_text(warning)) for warning in warnings]
