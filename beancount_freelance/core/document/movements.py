"""The `movements` and `cohorts` keys of the report document (docs/metrics.md).

Money as strings rounded to cents, ratios rounded to 4 decimals, the client ids
of each movement as lists; `bean-clients movements --json` prints these two keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.core.document.outlook import exact_rate
from beancount_freelance.core.money import amount
from beancount_freelance.core.revenue.movements import KINDS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from fractions import Fraction

    from beancount_freelance.core.revenue.movements import Bridge, Movements
    from beancount_freelance.core.revenue.retention import Cohort

__all__ = ["cohorts_document", "movements_document"]


def movements_document(movements: Movements) -> dict[str, Any]:
    """The bridges, the period so far and the year's retention."""
    so_far = movements.so_far
    retention = movements.retention
    return {
        "by": movements.by,
        "periods": [_bridge(bridge) for bridge in movements.periods],
        "so_far": None
        if so_far is None
        else {
            "period": so_far.period,
            "revenue": amount(so_far.revenue),
            "through": so_far.through.isoformat(),
        },
        "nrr": _ratio(retention.nrr),
        "grr": _ratio(retention.grr),
        "new_share": _ratio(retention.new_share),
    }


def cohorts_document(cohorts: Sequence[Cohort]) -> list[dict[str, Any]]:
    """One object per year of first revenue: its clients, its revenue per year."""
    return [
        {
            "year": cohort.year,
            "clients": list(cohort.clients),
            "revenue": {
                f"{year:04d}": amount(value) for year, value in cohort.revenue.items()
            },
        }
        for cohort in cohorts
    ]


def _bridge(bridge: Bridge) -> dict[str, Any]:
    return {
        "period": bridge.period,
        "start": amount(bridge.start),
        "new": amount(bridge.new),
        "returned": amount(bridge.returned),
        "expansion": amount(bridge.expansion),
        "contraction": amount(bridge.contraction),
        "lost": amount(bridge.lost),
        "adjustment": amount(bridge.adjustment),
        "end": amount(bridge.end),
        "clients": {kind: list(bridge.clients[kind]) for kind in KINDS},
        "replacement_ratio": _ratio(bridge.replacement_ratio),
    }


def _ratio(value: Fraction | None) -> float | None:
    return exact_rate(value) if value is not None else None
