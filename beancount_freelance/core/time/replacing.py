"""A lost client's revenue in hours of new work (docs/time.md).

For a replacement (docs/metrics.md) of a client that recorded hours:
`hours_monthly` = its hours worked in the replacement's window ÷ the window's
months, `rate` = its revenue in the window ÷ those hours, and
`hours_to_replace_at_median` = `monthly_lost` ÷ the median effective rate of
the trailing 12 months at `as_of`, the lost client left out: "Lefèvre paid
50 € an hour for 6 hours a month; at your usual 42 € an hour, 7.1 hours of new
work a month replace it."
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.money import ZERO
from beancount_freelance.core.time.hours import median_rate

if TYPE_CHECKING:
    from beancount_freelance.core.revenue.replacement import Replacement
    from beancount_freelance.core.time.hours import Hours, RevenueOn
    from beancount_freelance.core.time.reading import HourRecord

__all__ = ["ReplacementHours", "replacement_hours", "replacements_hours"]


@dataclass(frozen=True)
class ReplacementHours:
    """A replacement's numbers in hours (None: the client had no hours then)."""

    client: str
    ended: datetime.date
    hours_monthly: Decimal | None
    rate: Decimal | None
    # The others' median effective rate at `as_of`, and the hours a month of
    # new work at that rate that bring in `monthly_lost`.
    median_rate: Decimal | None
    hours_to_replace_at_median: Decimal | None
    monthly_lost: Decimal


def replacement_hours(
    hours: Hours, replacement: Replacement, lines: Iterable[RevenueOn]
) -> ReplacementHours:
    """The hours of one replacement, over its window."""
    client = replacement.client
    return _of(
        hours,
        replacement,
        [record for record in hours.records if record.client == client],
        [line for line in lines if line.client == client],
    )


def replacements_hours(
    hours: Hours, replacements: Iterable[Replacement], lines: Iterable[RevenueOn]
) -> tuple[ReplacementHours, ...]:
    """`replacement_hours` of each replacement: the records and the revenue
    lines sorted by client once, not once per replacement."""
    records: dict[str | None, list[HourRecord]] = {}
    for record in hours.records:
        records.setdefault(record.client, []).append(record)
    revenue: dict[str | None, list[RevenueOn]] = {}
    for line in lines:
        revenue.setdefault(line.client, []).append(line)
    return tuple(
        _of(hours, item, records.get(item.client, []), revenue.get(item.client, []))
        for item in replacements
    )


def _of(
    hours: Hours,
    replacement: Replacement,
    records: list[HourRecord],
    lines: list[RevenueOn],
) -> ReplacementHours:
    """A replacement's numbers from its client's records and revenue lines."""
    worked, revenue = ZERO, ZERO
    if replacement.window_start is not None and replacement.window_end is not None:
        first = _first_day(replacement.window_start)
        after = _first_day(replacement.window_end, months_later=1)
        worked = sum((r.worked for r in records if first <= r.date < after), ZERO)
        revenue = sum(
            (line.revenue for line in lines if first <= line.date < after), ZERO
        )
    months = replacement.window_months
    median = median_rate(hours.clients, without=replacement.client)
    return ReplacementHours(
        client=replacement.client,
        ended=replacement.ended,
        hours_monthly=worked / months if worked and months else None,
        rate=revenue / worked if worked else None,
        median_rate=median,
        hours_to_replace_at_median=(
            replacement.monthly_lost / median if median else None
        ),
        monthly_lost=replacement.monthly_lost,
    )


def _first_day(month: str, months_later: int = 0) -> datetime.date:
    """The first day of a `"YYYY-MM"` month, or of a month that many later."""
    year, number = int(month[:4]), int(month[5:7]) + months_later
    year, number = year + (number - 1) // 12, (number - 1) % 12 + 1
    return datetime.date(year, number, 1)
