"""`bean-clients hours` and a client's hours, as text (docs/time.md).

Reads the report's typed hours part; hours to one decimal, rates to cents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.cli.text_report import period_text, table, wrapped
from beancount_freelance.core.money import amount
from beancount_freelance.i18n import _
from beancount_freelance.text.hours_sentences import (
    hours_word,
    money_word,
    replacement_hours_sentence,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.replacement import Replacement
    from beancount_freelance.core.time.hours import HourFigures

__all__ = ["client_hours_text", "hours_text", "what_if_hours_text"]


def _row(label: str, figures: HourFigures) -> list[str]:
    return [
        label,
        hours_word(figures.worked_period),
        hours_word(figures.billed_period),
        hours_word(figures.worked_t12m),
        hours_word(figures.unbilled_hours),
        _money(figures.unbilled_value),
        _money(figures.effective_rate_t12m),
        _money(figures.billed_rate_t12m),
    ]


def _money(value: Decimal | None) -> str:
    return "–" if value is None else amount(value)


def hours_text(report: Report) -> str:
    """The hours as a table, the median rate, and the replacements in hours."""
    hours = report.hours
    if hours is None:
        return _("The books record no hours (docs/time.md says how to).") + "\n"
    names = {stream.id: stream.name for stream in report.portfolio.clients}
    lines = [
        _("Hours as of {as_of}, period {period}, rates in {currency} an hour").format(
            as_of=hours.as_of,
            period=period_text(report.portfolio),
            currency=hours.currency,
        ),
        "",
    ]
    rows = [
        [
            _("Client"),
            _("Worked"),
            _("Billed"),
            _("Worked 12m"),
            _("Unbilled"),
            _("Value"),
            _("Rate 12m"),
            _("Billed rate 12m"),
        ]
    ]
    for client, figures in hours.clients.items():
        rows.append(_row(names.get(client, client), figures))
    if hours.no_client is not None:
        rows.append(_row(_("(no client)"), hours.no_client))
    rows.append(_row(_("Total"), hours.totals))
    lines.extend(table(rows, [False, *[True] * 7]))
    lines.append("")
    median = hours.median_effective_rate_t12m
    lines.append(
        _("Median effective rate over the last 12 months: {rate}.").format(
            rate=_money(median)
        )
    )
    money = money_word(hours.currency)
    for item in report.replacement_hours:
        said = replacement_hours_sentence(
            names.get(item.client, item.client), item, money
        )
        if said is not None:
            lines.append(wrapped(said, 0))
    return "\n".join(lines) + "\n"


def client_hours_text(report: Report, client_id: str) -> str:
    """A client's hours for `bean-clients client`: nothing when it has none."""
    hours = report.hours
    figures = None if hours is None else hours.of(client_id)
    if hours is None or figures is None:
        return ""
    said = _(
        "Hours: {worked} worked and {billed} billed in the period, {unbilled} "
        "unbilled; {rate} {currency} an hour over the last 12 months "
        "({billed_rate} billed)."
    ).format(
        worked=hours_word(figures.worked_period),
        billed=hours_word(figures.billed_period),
        unbilled=hours_word(figures.unbilled_hours),
        rate=_money(figures.effective_rate_t12m),
        billed_rate=_money(figures.billed_rate_t12m),
        currency=hours.currency,
    )
    return wrapped(said, 0) + "\n"


def what_if_hours_text(report: Report, lost: Replacement, name: str) -> str:
    """A what-if's revenue in hours of new work: nothing without hours."""
    hours, item = report.hours, report.hours_replacing(lost)
    if hours is None or item is None:
        return ""
    said = replacement_hours_sentence(name, item, money_word(hours.currency))
    return "" if said is None else wrapped(said, 2) + "\n"
