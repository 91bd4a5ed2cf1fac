"""Planning the replacement: the pipeline, the income targets and the ceilings.

`plan_of` gathers, for one analysis (its `as_of`, currency, period and
replacements), the three of docs/metrics.md's planning figures; `plan_document`
is their part of the JSON document: `open_gap`, `pipeline`, `targets` and
`ceilings`, and the warnings they add.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ceilings import CeilingYear, ceilings
from beancount_freelance.core.document import share, warning_text
from beancount_freelance.core.money import amount
from beancount_freelance.core.pipeline import Pipeline, pipeline
from beancount_freelance.core.revenue import revenue_lines
from beancount_freelance.core.targets import Target, Targets, budget_entries, targets

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

    from beancount.core import data

    from beancount_freelance.core.revenue import RevenueLine
    from beancount_freelance.core.scan import Scan
    from beancount_freelance.core.streams import Portfolio

__all__ = ["Plan", "plan_document", "plan_of"]

_PROBABILITY_DIGITS = 4


@dataclass(frozen=True)
class Plan:
    """What is in the pipeline, how far the targets are, how near the ceilings."""

    pipeline: Pipeline
    targets: Targets
    ceilings: tuple[CeilingYear, ...]


def plan_of(
    entries: Sequence[data.Directive],
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
    budgets = budget_entries(entries)
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
    every = revenue_lines(scan.attributed, scan.rates, currency).lines
    return [line for line in every if line.date <= as_of]


def plan_document(plan: Plan) -> dict[str, Any]:
    """`open_gap`, `pipeline`, `targets`, `ceilings` and `warnings` (to add)."""
    found = plan.pipeline
    return {
        "open_gap": amount(found.open_gap),
        "pipeline": {
            "open": [
                {
                    "client": item.client,
                    "date": item.date.isoformat(),
                    "amount": amount(item.amount),
                    "currency": item.currency,
                    "recurrence": item.recurrence,
                    "probability": round(float(item.probability), _PROBABILITY_DIGITS),
                    "weighted_monthly": (
                        amount(item.weighted_monthly)
                        if item.weighted_monthly is not None
                        else None
                    ),
                }
                for item in found.open
            ],
            "weighted_monthly": amount(found.weighted_monthly),
            "won": found.won,
            "declined": found.declined,
            "win_rate": share(found.win_rate),
            "median_days_to_decide": found.median_days_to_decide,
            "coverage": share(found.coverage),
        },
        "targets": {
            "accounts": [_target(t) for t in plan.targets.accounts],
            "total": (
                {
                    **_target(plan.targets.total),
                    "accounts": list(plan.targets.top_most),
                }
                if plan.targets.total
                else None
            ),
        },
        "ceilings": [_ceiling(item) for item in plan.ceilings],
        "warnings": [
            warning_text(w) for w in (*found.warnings, *plan.targets.warnings)
        ],
    }


def _target(target: Target) -> dict[str, Any]:
    return {
        "account": target.account,
        "period_target": amount(target.period_target),
        "period_revenue": amount(target.period_revenue),
        "year_target": amount(target.year_target),
        "year_to_date": amount(target.year_to_date),
        "monthly_needed": (
            amount(target.monthly_needed) if target.monthly_needed is not None else None
        ),
    }


def _ceiling(item: CeilingYear) -> dict[str, Any]:
    return {
        "label": item.label,
        "amount": amount(item.amount),
        "currency": item.currency,
        "year": item.year,
        "revenue": amount(item.revenue),
        "share": share(item.share),
        "crossed_on": item.crossed_on.isoformat() if item.crossed_on else None,
        "projected_crossing": (
            item.projected_crossing.isoformat() if item.projected_crossing else None
        ),
    }
