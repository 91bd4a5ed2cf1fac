"""What moved the revenue, period after period (docs/metrics.md, "Movements").

Between one complete quarter (or month) and the next, each client's change of
revenue is one movement: `new`, `returned`, `expansion`, `contraction`, `lost`,
`adjustment` (both periods zero or below, and different) or `steady`. The bridge
start + new + returned + expansion + adjustment − contraction − lost = end is
exact: start and end are each summed from the revenue lines. With the year's
retention of `core.revenue.retention`.

A period's revenue counts the lines the filters keep (the portfolio's shown
lines); a client's first revenue is its first positive line of the whole
history up to `as_of`, whatever the filters. Unattributed income is in no
movement. Periods are integers (`year * 4 + quarter - 1`, or month indexes as in
`replacement`), so that no date is made outside the calendar. Pure functions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from beancount_freelance.core.money import ZERO
from beancount_freelance.core.revenue.replacement import month_label
from beancount_freelance.core.revenue.retention import (
    EXACT,
    YearRetention,
    first_revenues,
    retention,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from decimal import Decimal

    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.portfolio import Portfolio

__all__ = [
    "GAINS",
    "KINDS",
    "LOSSES",
    "Bridge",
    "Granularity",
    "Movements",
    "SoFar",
    "movements",
]

Granularity = Literal["quarter", "month"]
Kind = Literal[
    "new", "returned", "expansion", "contraction", "lost", "adjustment", "steady"
]
#: Every movement, in the order the document and the faces show them.
KINDS: tuple[Kind, ...] = (
    "new",
    "returned",
    "expansion",
    "contraction",
    "lost",
    "adjustment",
    "steady",
)
GAINS: tuple[Kind, ...] = ("new", "returned", "expansion")
LOSSES: tuple[Kind, ...] = ("contraction", "lost")
#: Periods shown without a report period: two years.
DEFAULT_PERIODS: Mapping[Granularity, int] = {"quarter": 8, "month": 24}


@dataclass(frozen=True)
class Bridge:
    """One complete period, bridged from the period before it.

    `contraction` and `lost` are positive amounts that are subtracted;
    `adjustment` is signed and added (a client below zero in both periods).
    """

    period: str  # "2016-Q1" or "2016-03"
    start: Decimal  # the period before, summed from its lines
    new: Decimal
    returned: Decimal
    expansion: Decimal
    contraction: Decimal
    lost: Decimal
    adjustment: Decimal
    end: Decimal  # this period, summed from its lines
    clients: Mapping[Kind, tuple[str, ...]]  # every kind, ids sorted

    @property
    def replacement_ratio(self) -> Fraction | None:
        """What came in over what left, exactly; None when nothing left."""
        left = Fraction(self.lost) + Fraction(self.contraction)
        if not left:
            return None
        came = Fraction(self.new) + Fraction(self.returned) + Fraction(self.expansion)
        return came / left

    def amount(self, kind: Kind) -> Decimal:
        """The amount of one movement (`steady` moves nothing)."""
        return {
            "new": self.new,
            "returned": self.returned,
            "expansion": self.expansion,
            "contraction": self.contraction,
            "lost": self.lost,
            "adjustment": self.adjustment,
        }.get(kind, ZERO)


@dataclass(frozen=True)
class SoFar:
    """The period holding a mid-period `as_of`: its revenue so far, no movement."""

    period: str
    revenue: Decimal
    through: datetime.date


@dataclass(frozen=True)
class Movements:
    """The bridges of the complete periods asked for, and the year's retention."""

    by: Granularity
    periods: tuple[Bridge, ...]
    so_far: SoFar | None
    retention: YearRetention
    as_of: datetime.date
    currency: str


# --- Periods -------------------------------------------------------------------


def period_index(day: datetime.date, by: Granularity) -> int:
    if by == "month":
        return day.year * 12 + day.month - 1
    return day.year * 4 + (day.month - 1) // 3


def period_label(index: int, by: Granularity) -> str:
    if by == "month":
        return month_label(index)
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def last_complete(as_of: datetime.date, by: Granularity) -> int:
    """The last period that `as_of` is on or after the last day of."""
    index = period_index(as_of, by)
    if as_of == datetime.date.max:
        return index
    return (
        index
        if period_index(as_of + datetime.timedelta(days=1), by) != index
        else index - 1
    )


# --- The bridge ----------------------------------------------------------------


def movements(portfolio: Portfolio, by: Granularity = "quarter") -> Movements:
    """The movements of the portfolio's period (docs/metrics.md, "Movements").

    No report period: the last `DEFAULT_PERIODS` complete periods. A period:
    the complete ones from the one holding its start (not before the first
    revenue) to the one holding its end.
    """
    with localcontext(EXACT):
        return _movements(portfolio, by)


def _movements(portfolio: Portfolio, by: Granularity) -> Movements:
    as_of = portfolio.as_of
    firsts = first_revenues(portfolio)
    sums, totals = _period_sums(portfolio.lines, by)
    last = last_complete(as_of, by)
    shown_from, shown_to = _span(portfolio, firsts, by, last)
    periods = tuple(
        _bridge(index, sums, totals, firsts, by)
        for index in range(shown_from, shown_to + 1)
    )
    so_far = None
    running = period_index(as_of, by)
    if running > last and _holds(portfolio, running, by):
        so_far = SoFar(period_label(running, by), totals.get(running, ZERO), as_of)
    return Movements(
        by,
        periods,
        so_far,
        retention(portfolio.lines, firsts, as_of),
        as_of,
        portfolio.currency,
    )


def _period_sums(
    lines: Iterable[RevenueLine], by: Granularity
) -> tuple[dict[int, dict[str, Decimal]], dict[int, Decimal]]:
    """Per period, each client's revenue; and the period's total, line by line."""
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    totals: dict[int, Decimal] = {}
    for line in lines:
        client = line.client
        if client is None:
            continue
        index = period_index(line.date, by)
        clients = sums[index]
        clients[client] = clients.get(client, ZERO) + line.revenue
        totals[index] = totals.get(index, ZERO) + line.revenue
    return sums, totals


def _span(
    portfolio: Portfolio,
    firsts: Mapping[str, datetime.date],
    by: Granularity,
    last: int,
) -> tuple[int, int]:
    """The first and last period bridged (an empty range when none)."""
    possible = period_index(datetime.date.min, by)  # no line is before it
    if portfolio.start is None and portfolio.end is None:
        return max(last - DEFAULT_PERIODS[by] + 1, possible), last
    if not firsts:
        return 0, -1
    earliest = period_index(min(firsts.values()), by)
    begin = earliest if portfolio.start is None else period_index(portfolio.start, by)
    finish = last if portfolio.end is None else period_index(portfolio.end, by)
    return max(begin, earliest), min(finish, last)


def _holds(portfolio: Portfolio, index: int, by: Granularity) -> bool:
    """Whether the report period holds this period (no period: every one)."""
    start, end = portfolio.start, portfolio.end
    return (start is None or period_index(start, by) <= index) and (
        end is None or index <= period_index(end, by)
    )


def _bridge(
    index: int,
    sums: Mapping[int, Mapping[str, Decimal]],
    totals: Mapping[int, Decimal],
    firsts: Mapping[str, datetime.date],
    by: Granularity,
) -> Bridge:
    before, now = sums.get(index - 1, {}), sums.get(index, {})
    amounts: dict[Kind, Decimal] = dict.fromkeys(KINDS, ZERO)
    clients: dict[Kind, list[str]] = {kind: [] for kind in KINDS}
    for client in sorted(before.keys() | now.keys()):
        was, is_ = before.get(client, ZERO), now.get(client, ZERO)
        kind = _kind(was, is_, firsts.get(client), index, by)
        if kind is None:
            continue
        clients[kind].append(client)
        if kind in ("contraction", "lost"):
            amounts[kind] += was - is_
        elif kind != "steady":
            amounts[kind] += is_ - was
    return Bridge(
        period=period_label(index, by),
        start=totals.get(index - 1, ZERO),
        new=amounts["new"],
        returned=amounts["returned"],
        expansion=amounts["expansion"],
        contraction=amounts["contraction"],
        lost=amounts["lost"],
        adjustment=amounts["adjustment"],
        end=totals.get(index, ZERO),
        clients={kind: tuple(ids) for kind, ids in clients.items()},
    )


def _kind(
    was: Decimal,
    is_: Decimal,
    first: datetime.date | None,
    index: int,
    by: Granularity,
) -> Kind | None:
    """One client's movement from `was` to `is_`; None when nothing moved."""
    if was > 0:
        if is_ <= 0:
            return "lost"
        if is_ == was:
            return "steady"
        return "expansion" if is_ > was else "contraction"
    if is_ > 0:
        if first is not None and period_index(first, by) == index:
            return "new"
        return "returned"
    return "adjustment" if is_ != was else None
