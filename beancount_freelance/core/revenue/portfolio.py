"""The values of the revenue analysis: one client's stream, the portfolio.

`streams.analyse` computes them; the document, the faces and the analyses that
read the portfolio (policy, what-if) take them as they are. docs/metrics.md
defines every figure. Recurring and one-off revenue side by side: a retainer and
a one-off project weigh differently, so the totals are split by each client's
`recurring` flag (docs/metrics.md's lifecycle rule), over the same lines as the
portfolio's totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.revenue.advice import UnattributedAccount
    from beancount_freelance.core.revenue.concentration import Concentration
    from beancount_freelance.core.revenue.lifecycle import ClientEvent, Status
    from beancount_freelance.core.revenue.lines import RevenueLine, VatNetted
    from beancount_freelance.core.revenue.replacement import History, Replacement

__all__ = [
    "ClientStream",
    "Portfolio",
    "RevenueSums",
    "Totals",
    "revenue_sums",
    "split_by_interval",
]


@dataclass(frozen=True)
class RevenueSums:
    """Lifetime, period and trailing-12-month revenue of a group of clients."""

    revenue_total: Decimal = ZERO
    revenue_period: Decimal = ZERO
    revenue_t12m: Decimal = ZERO


@dataclass(frozen=True)
class ClientStream:
    """One client: its relationship's lifecycle and the revenue it brings."""

    id: str
    name: str
    kind: str | None
    status: Status
    start: datetime.date | None
    end: datetime.date | None
    last_revenue: datetime.date | None
    tenure_months: int | None
    cadence_days: float | None
    recurring: bool
    revenue_total: Decimal
    revenue_period: Decimal
    revenue_t12m: Decimal
    share_t12m: float | None
    monthly: Mapping[str, Decimal]
    events: tuple[ClientEvent, ...] = ()
    selected: bool = True  # has a line matching `select` (always, without one)
    # The declaration, else the entry of its last revenue line: for file:line.
    source: data.Meta | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Totals:
    """Sums over the clients; revenue with no client is kept apart."""

    revenue_total: Decimal
    revenue_period: Decimal
    revenue_t12m: Decimal
    unattributed_total: Decimal
    unattributed_period: Decimal
    unattributed_t12m: Decimal
    active_clients: int
    recurring: RevenueSums = field(default_factory=RevenueSums)
    one_off: RevenueSums = field(default_factory=RevenueSums)


@dataclass(frozen=True)
class Portfolio:
    """The analysis of a ledger as of a date (docs/metrics.md)."""

    as_of: datetime.date
    currency: str
    start: datetime.date | None
    end: datetime.date | None
    clients: tuple[ClientStream, ...]  # by revenue_t12m descending, then id
    totals: Totals
    concentration: Concentration
    replacements: tuple[Replacement, ...]
    warnings: tuple[FreelanceError, ...]
    lines: tuple[RevenueLine, ...]  # the shown lines: selected, up to as_of
    history: History = field(compare=False, repr=False)
    # The income accounts of the unattributed lines, largest total first, and
    # the line to add to the books that gives them their clients.
    unattributed_accounts: tuple[UnattributedAccount, ...] = ()
    unattributed_fix: str | None = None
    # Every loss up to as_of, newest first (replacement_history).
    replacement_history: tuple[Replacement, ...] = ()
    # The income counted net of the VAT it includes, by account.
    vat_included: tuple[VatNetted, ...] = ()


# --- Recurring and one-off ---------------------------------------------------


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
