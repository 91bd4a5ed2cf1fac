"""Yearly turnover ceilings: how close each calendar year's revenue comes to them.

    plugin "beancount_freelance.plugin" "{'ceilings': [('Micro BNC', 83600)]}"

Per calendar year up to `as_of`, the revenue of every income line (with a client
or not) against each ceiling of the config: its share, the day the revenue went
strictly above it, and, while below, the day it would at the year's daily pace.
The plugin reports each crossing at the entry that crossed. The formulas are in
docs/metrics.md; the figures to set are the user's (docs/ledger.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.money import amount as money
from beancount_freelance.core.revenue.lines import revenue_lines

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from beancount_freelance.core.question import Question
    from beancount_freelance.core.revenue.lines import RevenueLine

__all__ = ["CeilingYear", "ceiling_errors", "ceilings"]


@dataclass(frozen=True)
class CeilingYear:
    """One ceiling in one calendar year."""

    label: str
    amount: Decimal
    year: int
    revenue: Decimal  # from 1 January to `as_of` (or 31 December)
    share: float  # revenue / amount; above 1 once crossed
    crossed_on: datetime.date | None
    projected_crossing: datetime.date | None  # None once crossed, or not this year
    currency: str = ""  # of `amount` and `revenue`: the ledger's own
    crossing: RevenueLine | None = None  # the line that crossed, for file:line


def ceilings(
    lines: Iterable[RevenueLine],
    limits: Sequence[tuple[str, Decimal]],
    as_of: datetime.date,
    currency: str = "",
) -> tuple[CeilingYear, ...]:
    """Each year (from the first line's to `as_of`'s) against each ceiling."""
    if not limits:
        return ()
    by_year: dict[int, list[RevenueLine]] = {}
    for line in lines:
        if line.date <= as_of:
            by_year.setdefault(line.date.year, []).append(line)
    first_year = min(by_year, default=as_of.year)
    return tuple(
        _year(label, amount, year, by_year.get(year, []), as_of, currency)
        for year in range(first_year, as_of.year + 1)
        for label, amount in limits
    )


def _year(
    label: str,
    amount: Decimal,
    year: int,
    lines: list[RevenueLine],
    as_of: datetime.date,
    currency: str,
) -> CeilingYear:
    running = ZERO
    crossing = None
    for line in sorted(lines, key=lambda item: item.date):
        running += line.revenue
        if crossing is None and running > amount:
            crossing = line
    first_day = datetime.date(year, 1, 1)
    last_day = min(as_of, datetime.date(year, 12, 31))
    return CeilingYear(
        label=label,
        amount=amount,
        year=year,
        revenue=running,
        share=float(running / amount),
        crossed_on=crossing.date if crossing is not None else None,
        projected_crossing=(
            None
            if crossing is not None
            else _projected(running, amount, first_day, last_day)
        ),
        currency=currency,
        crossing=crossing,
    )


def _projected(
    revenue: Decimal,
    amount: Decimal,
    first_day: datetime.date,
    last_day: datetime.date,
) -> datetime.date | None:
    """The first day the year's pace takes the revenue strictly above `amount`.

    Pace = revenue / days from 1 January to `last_day`, inclusive. The revenue
    after n days is pace x n; the first n with pace x n > amount is
    floor(amount / pace) + 1. None if the pace is nil or that day is next year.
    """
    if revenue <= 0:
        return None
    days_so_far = (last_day - first_day).days + 1
    days = int(Fraction(amount) * days_so_far / Fraction(revenue)) + 1
    if days > 366:  # next year, or past the calendar's last day
        return None
    crossing = first_day + datetime.timedelta(days=days - 1)
    return crossing if crossing.year == first_day.year else None


def ceiling_errors(question: Question) -> list[FreelanceError]:
    """One error per year and ceiling crossed, at the entry that crossed it."""
    settings, scan = question.config, question.scan
    if not settings.ceilings:
        return []
    currency = question.ledger_currency
    lines = revenue_lines(scan.attributed, scan.rates, currency, vat=scan.vat).lines
    last = max((line.date for line in lines), default=None)
    if last is None:
        return []
    errors = []
    for item in ceilings(lines, settings.ceilings, last, currency):
        if item.crossing is None:
            continue
        errors.append(
            FreelanceError(
                item.crossing.entry.meta,
                _crossed_message(item, currency),
                item.crossing.entry,
            )
        )
    return errors


def _crossed_message(item: CeilingYear, currency: str) -> str:
    return message(
        N_(
            "The revenue of {year} goes above the ceiling {label!r} ({amount} "
            "{currency}) on {date}; check what crossing it means for you, or "
            "change the config's `ceilings` if the amount is not right"
        ),
        year=item.year,
        label=item.label,
        amount=money(item.amount),
        currency=currency,
        date=item.crossed_on,
    )
