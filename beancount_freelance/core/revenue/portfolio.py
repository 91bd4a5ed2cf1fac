"""The values of the revenue analysis: one client's stream, the portfolio.

`streams.analyse` computes them; the document, the faces and the analyses that
read the portfolio (policy, what-if) take them as they are. docs/metrics.md
defines every figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from beancount_freelance.core.revenue.recurring import RevenueSums

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping
    from decimal import Decimal

    from beancount.core import data

    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.revenue.advice import UnattributedAccount
    from beancount_freelance.core.revenue.concentration import Concentration
    from beancount_freelance.core.revenue.lifecycle import ClientEvent, Status
    from beancount_freelance.core.revenue.lines import RevenueLine, VatNetted
    from beancount_freelance.core.revenue.replacement import History, Replacement

__all__ = ["ClientStream", "Portfolio", "Totals"]


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
