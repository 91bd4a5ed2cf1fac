"""The `hours` keys of the JSON document (docs/time.md).

Per client `hours`, the top-level `hours` (the totals, `no_client`, the median
effective rate), and a replacement's `hours_monthly`, `rate` and
`hours_to_replace_at_median`: all added only when the books record hours.
Hours are strings to two decimals; rates money strings to cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.document.values import optional_amount

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_freelance.core.time.hours import HourFigures, Hours
    from beancount_freelance.core.time.replacing import ReplacementHours

__all__ = ["add_hours", "figures_document", "hours_document", "hours_text"]

_HUNDREDTHS = Decimal("0.01")


def hours_text(value: Decimal | None) -> str | None:
    """Hours as a string to two decimals, half up: `"7.50"`."""
    if value is None:
        return None
    rounded = value.quantize(_HUNDREDTHS, rounding=ROUND_HALF_UP)
    return str(rounded.copy_abs() if rounded.is_zero() else rounded)


def figures_document(figures: HourFigures) -> dict[str, Any]:
    """One client's `hours` (or the totals')."""
    return {
        "worked_period": hours_text(figures.worked_period),
        "worked_t12m": hours_text(figures.worked_t12m),
        "billed_period": hours_text(figures.billed_period),
        "billed_t12m": hours_text(figures.billed_t12m),
        "unbilled_hours": hours_text(figures.unbilled_hours),
        "unbilled_value": optional_amount(figures.unbilled_value),
        "effective_rate_period": optional_amount(figures.effective_rate_period),
        "effective_rate_t12m": optional_amount(figures.effective_rate_t12m),
        "billed_rate_period": optional_amount(figures.billed_rate_period),
        "billed_rate_t12m": optional_amount(figures.billed_rate_t12m),
    }


def hours_document(hours: Hours) -> dict[str, Any]:
    """The top-level `hours`: the totals, `no_client` and the median rate."""
    return {
        **figures_document(hours.totals),
        "no_client": (
            None if hours.no_client is None else figures_document(hours.no_client)
        ),
        "median_effective_rate_t12m": optional_amount(hours.median_effective_rate_t12m),
    }


def replacement_hours_document(item: ReplacementHours) -> dict[str, Any]:
    return {
        "hours_monthly": hours_text(item.hours_monthly),
        "rate": optional_amount(item.rate),
        "hours_to_replace_at_median": hours_text(item.hours_to_replace_at_median),
    }


def add_hours(
    document: dict[str, Any], hours: Hours, replacements: Sequence[ReplacementHours]
) -> None:
    """Add the `hours` keys to a report's document (in place)."""
    for client in document["clients"]:
        figures = hours.of(client["id"])
        client["hours"] = None if figures is None else figures_document(figures)
    by_client = {(item.client, item.ended.isoformat()): item for item in replacements}
    for replacement in document["replacements"]:
        found = by_client.get((replacement["client"], replacement["ended"]))
        if found is not None:
            replacement.update(replacement_hours_document(found))
    document["hours"] = hours_document(hours)
