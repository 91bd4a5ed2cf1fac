"""The outlook's part of the document: at risk, survival, forecast (docs/metrics.md).

Exact values (Fractions) rounded only here: money to cents, rates to 4
decimals, halves away from zero, as `core.money.amount` rounds.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ahead.forecast import forecast
from beancount_freelance.core.ahead.risk import at_risk, clients_at_risk, days_silent
from beancount_freelance.core.ahead.risk import days_since_revenue as days_since
from beancount_freelance.core.ahead.survival import survival
from beancount_freelance.core.money import amount

if TYPE_CHECKING:
    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.ahead.survival import Survival
    from beancount_freelance.core.revenue.portfolio import Portfolio

__all__ = [
    "add_outlook",
    "exact_amount",
    "exact_rate",
    "forecast_document",
    "survival_document",
]


def add_outlook(document: dict[str, Any], portfolio: Portfolio) -> None:
    """Per client `days_since_revenue`, `days_silent`, `at_risk`; `at_risk_clients`,
    `survival` and `forecast` at the top (all from every revenue line)."""
    as_of = portfolio.as_of
    streams = {stream.id: stream for stream in portfolio.clients}
    for client in document["clients"]:
        stream = streams[client["id"]]
        client["days_since_revenue"] = days_since(stream, as_of)
        client["days_silent"] = days_silent(stream, as_of)
        client["at_risk"] = at_risk(stream, as_of)
    document["at_risk_clients"] = [
        item.client for item in clients_at_risk(portfolio.clients, as_of)
    ]
    document["survival"] = survival_document(survival(portfolio.clients))
    found = forecast(portfolio.clients, portfolio.history, as_of)
    document["forecast"] = forecast_document(found)


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
    cents = _half_up(value * 100)
    return amount(Decimal(cents).scaleb(-2))


def exact_rate(value: Fraction) -> float:
    """An exact rate or probability rounded to 4 decimals, half up."""
    return float(Decimal(_half_up(value * 10_000)).scaleb(-4))


def _optional_rate(value: Decimal | None) -> float | None:
    return exact_rate(Fraction(value)) if value is not None else None


def _half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (ROUND_HALF_UP)."""
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole
