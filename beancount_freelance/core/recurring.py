"""Recurring and one-off revenue, side by side (docs/metrics.md).

A retainer and a one-off project weigh differently: the totals are split by
each client's `recurring` flag (DESIGN's lifecycle rule), over the same lines
as the portfolio's totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_freelance.core.streams import ClientStream

ZERO = Decimal(0)


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
