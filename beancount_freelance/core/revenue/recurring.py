"""Recurring and one-off revenue, side by side (docs/metrics.md).

A retainer and a one-off project weigh differently: the totals are split by
each client's `recurring` flag (docs/metrics.md's lifecycle rule), over the same lines
as the portfolio's totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from beancount_freelance.core.revenue.portfolio import ClientStream


@dataclass(frozen=True)
class RevenueSums:
    """Lifetime, period and trailing-12-month revenue of a group of clients."""

    revenue_total: Decimal = ZERO
    revenue_period: Decimal = ZERO
    revenue_t12m: Decimal = ZERO


def revenue_sums(streams: Sequence[ClientStream], recurring: bool) -> RevenueSums:
    """The sums over the clients whose `recurring` flag is `recurring`."""
    group = [stream for stream in streams if stream.recurring is recurring]
    return RevenueSums(
        revenue_total=sum((s.revenue_total for s in group), ZERO),
        revenue_period=sum((s.revenue_period for s in group), ZERO),
        revenue_t12m=sum((s.revenue_t12m for s in group), ZERO),
    )


def split_by_interval(
    by_client: Mapping[str, Sequence[Decimal]], recurring: Mapping[str, bool]
) -> tuple[list[Decimal], list[Decimal]]:
    """(recurring, one-off) revenue per interval, from each client's series.

    `by_client` is `streams.revenue_by_interval`'s: a client's revenue in each
    interval; `recurring` its flag.
    """
    length = max((len(series) for series in by_client.values()), default=0)
    recurring_sums, one_off_sums = [ZERO] * length, [ZERO] * length
    for client, series in by_client.items():
        target = recurring_sums if recurring.get(client) else one_off_sums
        for index, value in enumerate(series):
            target[index] += value
    return recurring_sums, one_off_sums
