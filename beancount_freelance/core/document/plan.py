"""The plan's part of the document: `open_gap`, `pipeline`, `targets` and
`ceilings` (docs/metrics.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.core.document.values import share
from beancount_freelance.core.messages import warning_text
from beancount_freelance.core.money import amount

if TYPE_CHECKING:
    from beancount_freelance.core.ahead.ceilings import CeilingYear
    from beancount_freelance.core.ahead.plan import Plan
    from beancount_freelance.core.ahead.targets import Target

__all__ = ["plan_document"]

_PROBABILITY_DIGITS = 4


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
