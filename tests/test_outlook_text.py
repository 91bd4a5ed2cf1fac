"""The look-ahead sentences: whole, with the right singular or plural."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction

from typed_values import stream

from beancount_freelance.core.ahead.forecast import Forecast, ForecastMonth, Retention
from beancount_freelance.core.ahead.outlook import ClientOutlook
from beancount_freelance.core.ahead.survival import Survival
from beancount_freelance.text.outlook import (
    at_risk_heading,
    at_risk_sentence,
    one_off_sentence,
    retention_sentence,
    survival_sentence,
    total_sentence,
)


def money(value: Decimal) -> str:
    return f"{value} EUR"


def test_at_risk_heading_counts_clients() -> None:
    assert at_risk_heading(0, "2017-12-31") == (
        "On 2017-12-31, no regular client is later than usual."
    )
    assert at_risk_heading(1, "2017-12-31") == (
        "On 2017-12-31, one regular client is later than usual."
    )
    assert at_risk_heading(3, "2017-12-31") == (
        "On 2017-12-31, 3 regular clients are later than usual."
    )


def test_at_risk_sentence_says_revenue_and_a_return() -> None:
    client = stream(id="Dubois", name="Dubois Immobilier", cadence_days=30.0)
    late = ClientOutlook("Dubois", days_since_revenue=52, days_silent=52, at_risk=True)
    assert at_risk_sentence(client, late) == (
        "Dubois Immobilier usually brings revenue every 30 days; nothing for 52 days."
    )
    weekly = stream(id="Dubois", name="Dubois Immobilier", cadence_days=7.5)
    back = ClientOutlook("Dubois", days_since_revenue=400, days_silent=12, at_risk=True)
    assert at_risk_sentence(weekly, back) == (
        "Dubois Immobilier usually brings revenue every 7.5 days; nothing since it "
        "came back 12 days ago."
    )


def test_survival_sentence_in_each_case() -> None:
    assert survival_sentence(Survival(12, 5, (), 14)) == (
        "Half of your regular relationships had ended by 14 months "
        "(12 relationships, 5 ended)."
    )
    assert survival_sentence(Survival(1, 1, (), 1)) == (
        "Half of your regular relationships had ended by 1 month "
        "(1 relationship, 1 ended)."
    )
    assert survival_sentence(Survival(3, 0, (), None)) == (
        "Fewer than half of your regular relationships have ended so far "
        "(3 relationships, 0 ended)."
    )
    assert survival_sentence(Survival(0, 0, (), None)) == (
        "No regular client yet, so how long relationships last cannot be measured."
    )


def test_forecast_sentences() -> None:
    # One month ahead for short: 3597.23 recurring and 50 one-off.
    forecast = Forecast(
        retention=Retention(Fraction(963, 1000), ended=1, months=29, clients=1),
        run_rates={},
        one_off_monthly=Fraction(50),
        one_off_clients=1,
        months=(ForecastMonth("2018-01", Fraction("3597.23"), Fraction(50)),),
    )
    assert retention_sentence(forecast, "2017-12-31") == (
        "Monthly retention 96.3 %: 1 relationship ended in 29 months with one "
        "regular client over the 24 months to 2017-12-31."
    )
    empty = dataclasses.replace(forecast, retention=Retention(Fraction(1), 0, 0, 0))
    assert retention_sentence(empty, "2017-12-31") == (
        "Monthly retention taken as 100 %: no regular client in the 24 months to "
        "2017-12-31."
    )
    assert one_off_sentence(forecast, money) == (
        "One-off work: 50.00 EUR a month, the last 12 months' average (one client)."
    )
    assert total_sentence(forecast, money) == (
        "If things go on, the next 12 months bring 3647.23 EUR."
    )
    assert total_sentence(forecast, money, "Beta") == (
        "Without Beta, and everything else going on, the next 12 months bring "
        "3647.23 EUR."
    )
