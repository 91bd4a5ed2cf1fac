"""The look-ahead sentences: whole, with the right singular or plural."""

from __future__ import annotations

from decimal import Decimal

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
    client = {"id": "Dubois", "name": "Dubois Immobilier", "cadence_days": 30}
    late = {**client, "days_silent": 52, "days_since_revenue": 52}
    assert at_risk_sentence(late) == (
        "Dubois Immobilier usually brings revenue every 30 days; nothing for 52 days."
    )
    back = {**client, "cadence_days": 7.5, "days_silent": 12, "days_since_revenue": 400}
    assert at_risk_sentence(back) == (
        "Dubois Immobilier usually brings revenue every 7.5 days; nothing since it "
        "came back 12 days ago."
    )


def test_survival_sentence_in_each_case() -> None:
    assert survival_sentence({"n": 12, "events": 5, "median_months": 14}) == (
        "Half of your regular relationships had ended by 14 months "
        "(12 relationships, 5 ended)."
    )
    assert survival_sentence({"n": 1, "events": 1, "median_months": 1}) == (
        "Half of your regular relationships had ended by 1 month "
        "(1 relationship, 1 ended)."
    )
    assert survival_sentence({"n": 3, "events": 0, "median_months": None}) == (
        "Fewer than half of your regular relationships have ended so far "
        "(3 relationships, 0 ended)."
    )
    assert survival_sentence({"n": 0, "events": 0, "median_months": None}) == (
        "No regular client yet, so how long relationships last cannot be measured."
    )


def test_forecast_sentences() -> None:
    forecast = {
        "monthly_retention": 0.963,
        "retention_sample": {"ended": 1, "months": 29, "clients": 1},
        "one_off_monthly": "50.00",
        "one_off_clients": 1,
        "next_12_months": "3647.23",
    }
    assert retention_sentence(forecast, "2017-12-31") == (
        "Monthly retention 96.3 %: 1 relationship ended in 29 months with one "
        "regular client over the 24 months to 2017-12-31."
    )
    empty = {**forecast, "retention_sample": {"ended": 0, "months": 0, "clients": 0}}
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
