"""The pipeline: do the open proposals cover what the lost clients left?

`pipeline` is a pure function over values already computed: the proposals the
client book read, the date `as_of`, the reporting currency, a price lookup and
the portfolio's replacements. `open_gap` is the monthly revenue the lost clients
left and new clients have not replaced yet. The formulas are in docs/metrics.md.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.revenue.replacement import LOOKBACK_MONTHS, months_before

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Sequence

    from beancount_freelance.core.ledger.proposals import (
        Proposal,
        Proposals,
        Recurrence,
    )
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.revenue.replacement import Replacement

__all__ = ["OpenProposal", "Pipeline", "open_gap", "pipeline"]

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class OpenProposal:
    """A proposal still waiting for an answer on `as_of`."""

    client: str
    date: datetime.date
    amount: Decimal
    currency: str
    recurrence: Recurrence
    probability: Decimal
    # amount x probability a month ("once": spread over a year), in the
    # reporting currency; None when it cannot be converted (a warning says so).
    weighted_monthly: Decimal | None


@dataclass(frozen=True)
class Pipeline:
    """The open proposals against the open gap, and the win rate behind them."""

    open: tuple[OpenProposal, ...]
    weighted_monthly: Decimal
    won: int
    declined: int
    win_rate: float | None
    median_days_to_decide: float | None
    coverage: float | None
    open_gap: Decimal
    warnings: tuple[FreelanceError, ...] = ()


def open_gap(replacements: Iterable[Replacement]) -> Decimal:
    """Monthly revenue lost and not replaced yet, summed over the replacements."""
    return sum(
        (max(ZERO, r.monthly_lost - r.replaced_monthly) for r in replacements), ZERO
    )


def pipeline(
    proposals: Proposals,
    as_of: datetime.date,
    currency: str,
    prices: Rates,
    replacements: Sequence[Replacement],
) -> Pipeline:
    """The pipeline as of `as_of`, in `currency`."""
    warnings: list[FreelanceError] = []
    shown = tuple(
        _open(proposal, as_of, currency, prices, warnings)
        for proposal in proposals.proposals
        if proposal.is_open_on(as_of)
    )
    weighted = sum(
        (p.weighted_monthly for p in shown if p.weighted_monthly is not None), ZERO
    )
    after = months_before(as_of, LOOKBACK_MONTHS)
    decided = [
        p
        for p in proposals.proposals
        if p.decided is not None and after < p.decided <= as_of
    ]
    won = sum(1 for p in decided if p.outcome == "won")
    days = [(p.decided - p.date).days for p in decided if p.decided is not None]
    gap = open_gap(replacements)
    return Pipeline(
        open=shown,
        weighted_monthly=weighted,
        won=won,
        declined=len(decided) - won,
        win_rate=won / len(decided) if decided else None,
        median_days_to_decide=float(statistics.median(days)) if days else None,
        coverage=float(weighted / gap) if gap > 0 else None,
        open_gap=gap,
        warnings=tuple(warnings),
    )


def _open(
    proposal: Proposal,
    as_of: datetime.date,
    currency: str,
    prices: Rates,
    warnings: list[FreelanceError],
) -> OpenProposal:
    # The one conversion of a proposal: at `as_of`, by the ledger's prices.
    rate = prices.rate(proposal.currency, currency, as_of)
    weighted = None
    if rate is None:
        warnings.append(
            FreelanceError(
                proposal.source or {},
                message(
                    N_(
                        "Cannot convert the proposal for {client!r} ({amount}) to "
                        "{currency} on {as_of}: add a `price` directive on or "
                        "before that date; it is left out of the pipeline's sum"
                    ),
                    client=proposal.client,
                    amount=f"{proposal.amount} {proposal.currency}",
                    currency=currency,
                    as_of=as_of,
                ),
                None,
            )
        )
    else:
        weighted = proposal.amount * proposal.probability * rate
        if proposal.recurrence == "once":
            weighted /= MONTHS_PER_YEAR
    return OpenProposal(
        client=proposal.client,
        date=proposal.date,
        amount=proposal.amount,
        currency=proposal.currency,
        recurrence=proposal.recurrence,
        probability=proposal.probability,
        weighted_monthly=weighted,
    )
