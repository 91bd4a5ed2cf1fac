"""Planning the replacement: the pipeline, the income targets and the ceilings.

`plan_of` gathers, for one analysis (its `as_of`, currency, period and
replacements), the three of docs/metrics.md's planning figures;
`core.document.plan_document` is their part of the JSON document:
`open_gap`, `pipeline`, `targets` and `ceilings`, and the warnings they add.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.core.ahead.ceilings import CeilingYear, ceilings
from beancount_freelance.core.ahead.pipeline import Pipeline, pipeline
from beancount_freelance.core.ahead.targets import Targets, targets
from beancount_freelance.core.revenue.lines import revenue_lines

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

    from beancount_freelance.core.ledger.scan import Scan
    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.portfolio import Portfolio

__all__ = ["Plan", "plan_of"]


@dataclass(frozen=True)
class Plan:
    """What is in the pipeline, how far the targets are, how near the ceilings."""

    pipeline: Pipeline
    targets: Targets
    ceilings: tuple[CeilingYear, ...]


def plan_of(
    scan: Scan,
    portfolio: Portfolio,
    *,
    filtered: bool = False,
    ceilings_currency: str | None = None,
) -> Plan:
    """The plan as of the portfolio's `as_of`, in its currency.

    Targets and ceilings count every revenue line up to `as_of`, whatever a
    selection of lines (`filtered`: the page's filters) shows: the portfolio's
    lines when nothing is selected, else the scan's lines converted again.
    The config's ceilings are amounts in the ledger's own currency
    (`ceilings_currency`, default the portfolio's): a report in another one
    still counts them in that currency.
    """
    as_of, currency = portfolio.as_of, portfolio.currency
    budgets = scan.budgets
    limits = scan.config.ceilings
    lines: Sequence[RevenueLine] = ()
    if budgets or limits:
        lines = portfolio.lines if not filtered else _all_lines(scan, currency, as_of)
    ceilings_currency = ceilings_currency or currency
    ceiling_lines = lines
    if limits and ceilings_currency != currency:
        ceiling_lines = _all_lines(scan, ceilings_currency, as_of)
    return Plan(
        pipeline=pipeline(
            scan.book.proposals,
            as_of,
            currency,
            scan.rates,
            portfolio.replacements,
        ),
        targets=targets(
            budgets,
            scan.config.income_re,
            currency,
            lines,
            as_of,
            (portfolio.start, portfolio.end),
        ),
        ceilings=ceilings(ceiling_lines, limits, as_of, ceilings_currency),
    )


def _all_lines(scan: Scan, currency: str, as_of: datetime.date) -> list[RevenueLine]:
    """Every revenue line up to `as_of` in `currency` (what converts to it)."""
    every = revenue_lines(scan.attributed, scan.rates, currency, vat=scan.vat).lines
    return [line for line in every if line.date <= as_of]
