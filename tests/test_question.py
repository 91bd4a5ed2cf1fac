"""The question asked once: the inferred currency and `as_of`."""

from __future__ import annotations

import datetime
import textwrap
from typing import Any

from beancount import loader

from beancount_freelance.core.question import Question, ask

PLUGIN = 'plugin "beancount_freelance.plugin"\n'


def question_of(text: str, **asked: Any) -> Question:
    entries, errors, options = loader.load_string(PLUGIN + textwrap.dedent(text))
    assert errors == []
    return ask(entries, options, **asked)


def test_the_currency_most_income_is_worth_in_and_one_warning() -> None:
    question = question_of(
        """
        2020-01-01 open Assets:Bank
        2020-01-01 open Assets:Vacation
        2020-01-01 open Income:Clients:Acme
        2020-01-01 open Income:Vacation
        2020-01-05 price HOOL 100 USD
        2020-02-01 * "Acme"
          Assets:Bank  100 USD
          Income:Clients:Acme
        2020-03-01 * "Acme"
          Assets:Bank  99 EUR
          Income:Clients:Acme  -110 USD @ 0.9 EUR
        2020-03-02 * "Acme"
          Assets:Bank  100 EUR
          Income:Clients:Acme
        """
        + "".join(
            f"""
        2020-04-{day:02d} * "Vacation"
          Assets:Vacation  5 VACHR
          Income:Vacation
        """
            for day in range(1, 5)
        )
    )
    # Votes: USD 1 (units), EUR 2 (the @ price's, then units); the four VACHR
    # postings are a pseudo-commodity's: never priced, they do not vote.
    assert question.currency == "EUR"
    (warning,) = question.warnings
    assert warning.message == (
        "The ledger has no operating_currency: amounts are reported in EUR, the "
        'currency most income is worth in; add `option "operating_currency" '
        '"EUR"` to the ledger to say so, or to choose another'
    )
    assert (warning.source["lineno"], question.as_of) == (1, datetime.date(2020, 4, 4))


def test_a_tie_goes_to_the_first_alphabetically_and_asked_wins() -> None:
    text = """
        2020-01-01 open Assets:Bank
        2020-01-01 open Income:Clients:Acme
        2020-02-01 * "Acme"
          Assets:Bank  100 USD
          Income:Clients:Acme
        2020-03-01 * "Acme"
          Assets:Bank  100 CHF
          Income:Clients:Acme
        """
    assert question_of(text).currency == "CHF"
    asked = question_of(text, currency="USD")
    assert (asked.currency, asked.warnings) == ("USD", ())


def test_without_income_the_most_used_currency_of_any_posting() -> None:
    question = question_of(
        """
        2020-01-01 open Assets:Bank
        2020-01-01 open Expenses:Rent
        2020-02-01 * "Rent"
          Expenses:Rent  500 CAD
          Assets:Bank
        """
    )
    assert question.currency == "CAD"


def test_as_of_is_the_last_transaction_not_a_later_open_or_price() -> None:
    question = question_of(
        """
        option "operating_currency" "EUR"
        2020-01-01 open Assets:Bank
        2020-01-01 open Income:Clients:Acme
        2020-06-30 * "Acme"
          Assets:Bank  100 EUR
          Income:Clients:Acme
        2022-01-01 open Expenses:Travel
        2022-01-02 price USD 0.9 EUR
        2022-01-03 custom "budget" "travel"
        """
    )
    assert (question.as_of, question.warnings) == (datetime.date(2020, 6, 30), ())
