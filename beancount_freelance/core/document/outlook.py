"""The outlook's part of the document: at risk, survival, forecast (docs/metrics.md).

The outlook is the core's (`core.ahead.outlook`); its exact values (Fractions)
are rounded here by the floor's `exact_cents` and `exact_rate`: money to cents,
rates to 4 decimals, halves away from zero, as `core.money.amount` rounds.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.money import amount, exact_cents, exact_rate

if TYPE_CHECKING:
    from decimal import Decimal

    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.ahead.outlook import Outlook
    from beancount_freelance.core.ahead.survival import Survival

__all__ = [
    "add_outlook",
    "exact_amount",
    "exact_rate",
    "forecast_document",
    "survival_document",
]


def add_outlook(document: dict[str, Any], outlook: Outlook) -> None:
    """Per client `days_since_revenue`, `days_silent`, `at_risk`; `at_risk_clients`,
    `survival` and `forecast` at the top (all from every revenue line)."""
    for client in document["clients"]:
        found = outlook.client(client["id"])
        client["days_since_revenue"] = found.days_since_revenue
        client["days_silent"] = found.days_silent
        client["at_risk"] = found.at_risk
    document["at_risk_clients"] = [item.client for item in outlook.at_risk]
    document["survival"] = survival_document(outlook.survival)
    document["forecast"] = forecast_document(outlook.forecast)


def survival_document(found: Survival) -> dict[str, Any]:
    """`{"n", "events", "curve": [{"months", "survival", "low", "high"}], ...}`."""
    return {
        "n": found.relationships,
        "events": found.ended,
        "curve": [
            {
                "months": step.months,
                "survival": exact_rate(step.survival),
                "low": _optional_rate(step.low),
                "high": _optional_rate(step.high),
                "at_risk": step.at_risk,
                "ended": step.ended,
            }
            for step in found.curve
        ],
        "median_months": found.median_months,
    }


def forecast_document(found: Forecast) -> dict[str, Any]:
    """`{"monthly_retention", "months": [{"month", "recurring", "one_off",
    "total"}], "next_12_months"}`, with the samples behind them."""
    retention = found.retention
    return {
        "monthly_retention": exact_rate(retention.monthly),
        "retention_sample": {
            "ended": retention.ended,
            "months": retention.months,
            "clients": retention.clients,
        },
        "run_rates": {
            client: exact_amount(rate)
            for client, rate in sorted(found.run_rates.items())
        },
        "one_off_monthly": exact_amount(found.one_off_monthly),
        "one_off_clients": found.one_off_clients,
        "months": [
            {
                "month": month.month,
                "recurring": exact_amount(month.recurring),
                "one_off": exact_amount(month.one_off),
                "total": exact_amount(month.total),
            }
            for month in found.months
        ],
        "next_12_months": exact_amount(found.next_12_months),
        "without": found.without,
    }


def exact_amount(value: Fraction) -> str:
    """An exact amount as money: cents, half away from zero, like `amount`."""
    return amount(exact_cents(value))


def _optional_rate(value: Decimal | None) -> float | None:
    return exact_rate(Fraction(value)) if value is not None else None
