"""Values accepted silently before, that are surely mistakes: each an error at its
file:line with the fix (docs/errors.md)."""

from __future__ import annotations

import textwrap

from beancount import loader

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report

HEADER = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2016-01-01 open Assets:Bank EUR
2016-01-01 open Income:Clients:Acme EUR
2016-01-01 open Income:Clients:Globex EUR
"""


def errors_of(body: str) -> list[tuple[int, str]]:
    _, errors, _ = loader.load_string(HEADER + textwrap.dedent(body))
    return [(e.source["lineno"], e.message) for e in errors]


def test_a_declared_account_that_is_no_income_account() -> None:
    found = errors_of(
        """
        2016-01-01 custom "client" "Acme" "Acme"
          account: Assets:Bank
        """
    )
    assert found == [
        (
            8,
            "Client 'Acme' declares account Assets:Bank, which is not an income "
            "account (the config's `income` is '^Income:'); write `account: "
            "Income:Clients:Acme`, or widen `income`",
        )
    ]


def test_a_declared_account_never_opened_nor_used() -> None:
    found = errors_of(
        """
        2016-01-01 custom "client" "Initech" "Initech"
          account: Income:Clients:Initeck
        """
    )
    assert [line for line, _ in found] == [8]
    assert "never opens nor posts to" in found[0][1]


def test_a_sub_account_in_use_is_enough() -> None:
    assert (
        errors_of(
            """
            2016-01-01 custom "client" "Acme" "Acme"
              account: Income:Clients:Acme
            2016-01-01 open Income:Consulting:Acme:Travel EUR
            2016-01-01 custom "client" "Globex" "Globex"
              account: Income:Consulting
            """
        )
        == []
    )


def test_taking_over_another_declared_clients_account() -> None:
    body = """
        2016-01-01 custom "client" "Globex" "Globex"
        2016-01-01 custom "client" "Umbrella" "Umbrella"
          account: Income:Clients:Globex
        2016-01-05 * "GLOBEX"
          Assets:Bank              100.00 EUR
          Income:Clients:Globex   -100.00 EUR
        """
    found = errors_of(body)
    assert [line for line, _ in found] == [9]
    assert "the account of client 'Globex' by its id" in found[0][1]


def test_a_differently_named_account_is_what_account_is_for() -> None:
    # `AcmeCorp` is no declared client: mapping its account to Acme is fine.
    assert (
        errors_of(
            """
            2016-01-01 open Income:Clients:AcmeCorp EUR
            2016-01-01 custom "client" "Acme" "Acme"
              account: Income:Clients:AcmeCorp
            """
        )
        == []
    )


def test_an_account_written_as_a_client_id_is_reported_and_left_out() -> None:
    body = """
        2016-01-05 * "ACME"
          client: "Income:Clients:Acme"
          Assets:Bank             100.00 EUR
          Income:Clients:Acme    -100.00 EUR
        """
    found = errors_of(body)
    assert found == [
        (
            8,
            "The transaction metadata client: 'Income:Clients:Acme' is an account, "
            'not a client id; write `client: "Acme"`',
        )
    ]
    # The account still says who the client is: no revenue is lost.
    entries, _, options = loader.load_string(HEADER + textwrap.dedent(body))
    document = report_document(analyse_report(entries, options))
    totals = {c["id"]: c["revenue_total"] for c in document["clients"]}
    assert totals["Acme"] == "100.00"
    assert document["totals"]["unattributed"]["revenue_total"] == "0.00"
