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

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.money import ZERO
from beancount_freelance.core.time.hours import median_rate

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.revenue.replacement import Replacement
    from beancount_freelance.core.time.hours import Hours, RevenueOn

__all__ = ["ReplacementHours", "replacement_hours"]


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
    worked, revenue = ZERO, ZERO
    window = (replacement.window_start, replacement.window_end)
    if window[0] is not None and window[1] is not None:
        first, last = window[0], window[1]
        for record in hours.records:
            if record.client == client and first <= _month(record.date) <= last:
                worked += record.worked
        for line in lines:
            if line.client == client and first <= _month(line.date) <= last:
                revenue += line.revenue
    months = replacement.window_months
    median = median_rate(hours.clients, without=client)
    return ReplacementHours(
        client=client,
        ended=replacement.ended,
        hours_monthly=worked / months if worked and months else None,
        rate=revenue / worked if worked else None,
        median_rate=median,
        hours_to_replace_at_median=(
            replacement.monthly_lost / median if median else None
        ),
        monthly_lost=replacement.monthly_lost,
    )


def _month(day: datetime.date) -> str:
    """`"YYYY-MM"`, as the replacement's window is written."""
    return f"{day.year:04d}-{day.month:02d}"
