"""The replacement numbers in words, as both the CLI and the Fava page say them.

Each test takes the contract's replacement object of DESIGN §3 for Lefevre (lost
on 2015-12-29, 300.00 EUR a month, 30 % of the income; new clients bring 150.00:
2 needed; one signed every 4 months: 2 / 0.25 = 8 months; 120 / 300 = 40 %
replaced since), changes the numbers a case is about, and checks every word.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal
from typing import Any

from beancount_freelance.core.revenue.replacement import Replacement
from beancount_freelance.text.sentences import (
    months_text,
    percent_text,
    replacement_heading,
    replacement_sentences,
)

LEFEVRE = Replacement(
    client="Lefevre",
    ended=datetime.date(2015, 12, 29),
    reason="lost",
    note="Restructuring; moving to an agency",
    monthly_lost=Decimal("300.00"),
    share_at_end=0.3,
    new_client_monthly=Decimal("150.00"),
    clients_needed=2,
    acquisition_per_month=0.25,
    months_to_replace=8.0,
    replaced_monthly=Decimal("120.00"),
    replaced_share=0.4,
    window_start="2014-12",
    window_end="2015-12",
    window_months=12,
    reference_clients=(),
    reference_fallback=False,
    clients_acquired=3,
    acquisition_months=12,
    new_clients=(),
)

_AMOUNTS = ("monthly_lost", "new_client_monthly", "replaced_monthly")


def lefevre(**values: Any) -> Replacement:
    """Lefevre's replacement with some values changed (amounts and dates as the
    document writes them)."""
    for key, value in values.items():
        if key in _AMOUNTS and isinstance(value, str):
            values[key] = Decimal(value)
        elif key == "ended":
            values[key] = datetime.date.fromisoformat(value)
        elif key == "note" and value is None:
            values[key] = ""
    return dataclasses.replace(LEFEVRE, **values)


def said(**values: Any) -> list[str]:
    return replacement_sentences(lefevre(**values), "EUR")


def test_normal_case_is_the_issue_example() -> None:
    assert " ".join(replacement_sentences(LEFEVRE, "EUR")) == (
        "Lefevre brought 300.00 EUR a month (30 % of your income). New clients of "
        "your usual size bring 150.00 EUR: you need 2. You signed about one every 4 "
        "months, so expect about 8 months. Since then you have replaced 40 %."
    )


def test_one_sentence_each() -> None:
    assert replacement_sentences(LEFEVRE, "EUR") == [
        "Lefevre brought 300.00 EUR a month (30 % of your income).",
        "New clients of your usual size bring 150.00 EUR: you need 2.",
        "You signed about one every 4 months, so expect about 8 months.",
        "Since then you have replaced 40 %.",
    ]


def test_name_and_money_of_a_face() -> None:
    def money(amount: Decimal) -> str:
        return f"€{amount:,.2f}"

    sentences = replacement_sentences(
        lefevre(monthly_lost="1300.00"),
        "EUR",
        name="Cabinet Lefèvre Avocats",
        money=money,
    )
    assert sentences[0] == (
        "Cabinet Lefèvre Avocats brought €1,300.00 a month (30 % of your income)."
    )
    assert sentences[1] == "New clients of your usual size bring €150.00: you need 2."


def test_no_reference_client() -> None:
    sentences = said(
        new_client_monthly=None, clients_needed=None, months_to_replace=None
    )
    assert sentences[1:] == [
        "You have no other client to compare with, so how many new clients it "
        "takes is unknown.",
        # The pace of signing is still known, the time to replace is not.
        "You signed about one every 4 months.",
        "Since then you have replaced 40 %.",
    ]


def test_reference_fallback() -> None:
    # No client started in the 24 months before the end: the earlier ones count.
    assert said(reference_fallback=True, new_client_monthly="180.00")[1] == (
        "No other client started in the 24 months before 2015-12-29; your earlier "
        "clients brought 180.00 EUR a month in their first year: you need 2."
    )


def test_usual_size_that_replaces_nothing() -> None:
    # The references' first year came to nothing (refunds): no count of clients.
    assert said(clients_needed=None, months_to_replace=None)[1] == (
        "New clients of your usual size bring 150.00 EUR, which does not replace "
        "anything."
    )


def test_zero_acquisition_rate() -> None:
    sentences = said(acquisition_per_month=0.0, months_to_replace=None)
    assert sentences[2] == (
        "You have signed no new client in the 24 months before 2015-12-29, so how "
        "long it takes cannot be estimated."
    )
    assert not any("expect" in sentence for sentence in sentences)


def test_fast_signing_and_short_wait() -> None:
    # 1.5 new clients a month and 2 needed: 2 / 1.5 = 1.33 months.
    assert said(acquisition_per_month=1.5, months_to_replace=1.3333)[2] == (
        "You signed about 1.5 new clients a month, so expect about 1 month."
    )
    # One a month, one needed: 1 / 1 = 1 month.
    assert said(acquisition_per_month=1.0, clients_needed=1, months_to_replace=1.0)[
        1:3
    ] == [
        "New clients of your usual size bring 150.00 EUR: you need 1.",
        "You signed about one new client a month, so expect about 1 month.",
    ]
    assert said(acquisition_per_month=2.0, clients_needed=1, months_to_replace=0.5)[
        2
    ] == ("You signed about 2.0 new clients a month, so expect less than a month.")


def test_nothing_replaced() -> None:
    assert said(replaced_monthly="0.00", replaced_share=0.0)[-1] == (
        "Since then you have replaced none of it."
    )


def test_fully_replaced() -> None:
    # 400 a month from new clients for 300 lost: the share stops at 1.
    assert said(replaced_monthly="400.00", replaced_share=1.0)[-1] == (
        "Since then you have replaced all of it."
    )
    # 299 of 300 is not all of it, even rounded.
    assert said(replaced_monthly="299.00", replaced_share=0.9967)[-1] == (
        "Since then you have replaced 99 %."
    )


def test_nothing_lost_has_no_shares() -> None:
    # Refunds ate the window: no share of income, no share replaced.
    sentences = said(monthly_lost="0.00", share_at_end=None, replaced_share=None)
    assert sentences[0] == "Lefevre brought 0.00 EUR a month."
    assert sentences[-1] == "Since then new clients bring 120.00 EUR a month."


def test_dormant_and_lost_headings() -> None:
    assert replacement_heading(LEFEVRE) == (
        "Lefevre, lost on 2015-12-29 (Restructuring; moving to an agency)"
    )
    dormant = lefevre(reason="dormant", note=None, ended="2016-01-05")
    assert replacement_heading(dormant) == (
        "Lefevre, dormant since its last revenue on 2016-01-05"
    )
    assert replacement_heading(dormant, name="Cabinet Lefèvre Avocats") == (
        "Cabinet Lefèvre Avocats, dormant since its last revenue on 2016-01-05"
    )
    # A dormant client is worded like a lost one: it brought, it is replaced.
    assert replacement_sentences(dormant, "EUR") == replacement_sentences(
        LEFEVRE, "EUR"
    )


def test_what_if_is_conditional_without_since_then() -> None:
    what_if = lefevre(
        ended="2016-06-30", reason="what-if", note="", replaced_monthly="0.00"
    )
    assert replacement_heading(what_if) == "If Lefevre left on 2016-06-30"
    assert replacement_sentences(what_if, "EUR") == [
        "Lefevre brings 300.00 EUR a month (30 % of your income).",
        "New clients of your usual size bring 150.00 EUR: you would need 2.",
        "You signed about one every 4 months, so expect about 8 months.",
    ]


def test_percent_and_months_round_as_a_person_says() -> None:
    assert percent_text(0.3) == "30 %"
    assert percent_text(0.0) == "0 %"
    assert percent_text(0.004) == "less than 1 %"
    assert percent_text(0.996) == "99 %"
    assert percent_text(1.0) == "100 %"
    assert percent_text(None) == "–"
    assert percent_text(None, none="—") == "—"
    assert months_text(0.5) == "less than a month"
    assert months_text(1.4) == "about 1 month"
    assert months_text(12.0) == "about 12 months"
