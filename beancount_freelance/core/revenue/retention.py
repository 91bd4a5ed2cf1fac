"""Over a year and over the years: retention, new clients' share, cohorts.

Beside the movements (`core.revenue.movements`, docs/metrics.md "Movements"):
over the trailing twelve months (as_of − 12 months, as_of] against the twelve
before, the net and gross revenue retention and the share of new clients; and
the clients by calendar year of first revenue with what they brought each
year. Revenue counts the lines the filters keep (the portfolio's shown lines);
a client's first revenue is its first positive line of the whole history up to
`as_of`. Sums are exact. Pure functions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING

from beancount_freelance.core.money import ZERO
from beancount_freelance.core.revenue.replacement import months_before

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from decimal import Decimal

    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.portfolio import Portfolio

__all__ = ["EXACT", "Cohort", "YearRetention", "cohorts", "first_revenues", "retention"]

#: Sums without rounding: a converted amount may carry 28 significant digits,
#: and the bridge adds up exactly.
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


@dataclass(frozen=True)
class YearRetention:
    """The trailing twelve months (as_of − 12 months, as_of] against the twelve
    before: ratios None when their denominator is not positive."""

    before: Decimal  # the year before, of the clients with positive revenue then
    kept: Decimal  # their revenue this year
    kept_at_most: Decimal  # Σ min(this year, the year before) over them
    revenue: Decimal  # this year, every client
    new_revenue: Decimal  # this year, of the clients whose first revenue is in it

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.kept) / Fraction(self.before) if self.before > 0 else None

    @property
    def grr(self) -> Fraction | None:
        if self.before <= 0:
            return None
        return Fraction(self.kept_at_most) / Fraction(self.before)

    @property
    def new_share(self) -> Fraction | None:
        if self.revenue <= 0:
            return None
        return Fraction(self.new_revenue) / Fraction(self.revenue)


@dataclass(frozen=True)
class Cohort:
    """The clients whose first revenue is in one calendar year, and what they
    brought each year from then to `as_of`'s year."""

    year: int
    clients: tuple[str, ...]
    revenue: Mapping[int, Decimal]  # year -> revenue, every year, zeros kept


def first_revenues(portfolio: Portfolio) -> dict[str, datetime.date]:
    """Each client's first positive line up to as_of, whatever the filters."""
    return {
        client: history.first_revenue
        for client, history in portfolio.history.clients.items()
        if history.first_revenue is not None
    }


# --- Over a year ---------------------------------------------------------------


def retention(
    lines: Iterable[RevenueLine],
    firsts: Mapping[str, datetime.date],
    as_of: datetime.date,
) -> YearRetention:
    year_ago = months_before(as_of, 12)
    two_years_ago = months_before(as_of, 24)
    now: dict[str, Decimal] = {}
    then: dict[str, Decimal] = {}
    for line in lines:
        client = line.client
        if client is None:
            continue
        if year_ago < line.date <= as_of:
            now[client] = now.get(client, ZERO) + line.revenue
        elif two_years_ago < line.date <= year_ago:
            then[client] = then.get(client, ZERO) + line.revenue
    kept = {client: before for client, before in then.items() if before > 0}
    return YearRetention(
        before=sum(kept.values(), ZERO),
        kept=sum((now.get(client, ZERO) for client in kept), ZERO),
        kept_at_most=sum(
            (min(now.get(client, ZERO), before) for client, before in kept.items()),
            ZERO,
        ),
        revenue=sum(now.values(), ZERO),
        new_revenue=sum(
            (
                revenue
                for client, revenue in now.items()
                if client in firsts and year_ago < firsts[client] <= as_of
            ),
            ZERO,
        ),
    )


def cohorts(portfolio: Portfolio) -> tuple[Cohort, ...]:
    """The clients by calendar year of first revenue, over the whole history.

    A client is in its cohort when the filters keep one of its lines; the
    revenue counts the lines they keep, every year up to `as_of`'s.
    """
    with localcontext(EXACT):
        return _cohorts(portfolio)


def _cohorts(portfolio: Portfolio) -> tuple[Cohort, ...]:
    firsts = first_revenues(portfolio)
    yearly: dict[str, dict[int, Decimal]] = {}
    for line in portfolio.lines:
        client = line.client
        if client is None or client not in firsts:
            continue
        years = yearly.setdefault(client, {})
        years[line.date.year] = years.get(line.date.year, ZERO) + line.revenue
    members: dict[int, list[str]] = defaultdict(list)
    for client in sorted(yearly):
        members[firsts[client].year].append(client)
    last_year = portfolio.as_of.year
    found = []
    for year in sorted(members):
        clients = members[year]
        revenue: dict[int, Decimal] = {}
        for client in clients:
            for when, value in yearly[client].items():
                revenue[when] = revenue.get(when, ZERO) + value
        shown = range(min(year, *revenue), last_year + 1)
        found.append(
            Cohort(year, tuple(clients), {y: revenue.get(y, ZERO) for y in shown})
        )
    return tuple(found)
