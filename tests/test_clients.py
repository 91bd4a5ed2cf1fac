"""The client book, the five rules of attribution, lifecycle checks, revenue lines."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from typing import Any

from beancount import loader

from beancount_freelance.core.ledger.attribution import Attributed, receivable_accounts
from beancount_freelance.core.ledger.book import DEFAULT_CLIENT_ACCOUNTS, account_client
from beancount_freelance.core.ledger.config import Config, parse_config
from beancount_freelance.core.ledger.lifecycle_checks import lifecycle_errors
from beancount_freelance.core.ledger.rates import rates_of
from beancount_freelance.core.ledger.reading import (
    attribute,
    attribute_transaction,
    read_book,
)
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.lines import revenue_lines

HEADER = """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Assets:AccountsReceivable
2014-01-01 open Income:Clients:Lefevre
2014-01-01 open Income:Clients:Lefevre:Training
2014-01-01 open Income:Clients:Acme
2014-01-01 open Income:Freelance
2014-01-01 open Income:Freelance:Workshops
2014-01-01 open Income:Freelance:Workshops:Paris
2014-01-01 open Income:Interest
"""


def ledger(body: str) -> str:
    return HEADER + "2014-01-01 open Assets:PayPal USD\n" + textwrap.dedent(body)


def load(body: str) -> tuple[list[Any], dict[str, Any]]:
    entries, errors, options = loader.load_string(ledger(body))
    assert errors == []
    return entries, options


def attributed(body: str, config: Config | None = None) -> dict[str, Attributed]:
    """Narration of each income posting's transaction -> its attribution."""
    entries, _ = load(body)
    book, errors = read_book(entries, Config())
    assert errors == []
    result = attribute(entries, book, config or Config())
    return {item.entry.narration: item for item in result.postings}


# --- The book ----------------------------------------------------------------


def test_declarations_events_and_convention_clients_make_the_book() -> None:
    entries, _ = load(
        """
        2014-09-15 custom "client" "Lefevre" "Cabinet Lefèvre Avocats"
          payee: "LEFEVRE|CABINET LEF"
          kind: "retainer"
        2014-09-16 custom "client" "Studio"
          account: Income:Freelance:Workshops
        2014-10-05 * "Retainer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        2015-12-29 custom "client-lost" "Lefevre" "Restructuring"
        2016-09-01 custom "client-back" "Lefevre"
        """
    )
    book, errors = read_book(entries, Config())
    assert errors == []
    assert sorted(book.clients) == ["Acme", "Lefevre", "Studio"]
    lefevre = book.clients["Lefevre"]
    assert lefevre.name == "Cabinet Lefèvre Avocats"
    assert lefevre.kind == "retainer"
    assert lefevre.income_account == "Income:Clients:Lefevre"
    assert lefevre.payee is not None and lefevre.payee.search("cabinet lefevre")
    # Found by its open account alone, the id stands for the name.
    assert book.clients["Acme"].name == "Acme"
    assert book.clients["Studio"].income_account == "Income:Freelance:Workshops"
    events = book.events_of("Lefevre")
    assert [(e.kind, str(e.date), e.note) for e in events] == [
        ("lost", "2015-12-29", "Restructuring"),
        ("back", "2016-09-01", ""),
    ]
    assert book.events_of("Acme") == ()


def test_convention_client() -> None:
    def convention_client(account: str) -> str | None:
        return account_client(account, DEFAULT_CLIENT_ACCOUNTS)

    assert convention_client("Income:Clients:Lefevre") == "Lefevre"
    assert convention_client("Income:Clients:Lefevre:Training") == "Lefevre"
    assert convention_client("Income:Clients") is None
    assert convention_client("Income:Freelance") is None
    assert convention_client("Assets:Clients:Lefevre") is None


def test_closest_id_ignores_case_first() -> None:
    entries, _ = load("")
    book, _ = read_book(entries, Config())
    assert book.closest("lefevre") == "Lefevre"
    assert book.closest("Lefebvre") == "Lefevre"
    assert book.closest("Zzzzzz") is None


# --- The five rules, and their precedence ------------------------------------


def test_rule_1_posting_metadata_wins_over_everything() -> None:
    found = attributed(
        """
        2014-09-15 custom "client" "Lefevre"
          payee: "LEFEVRE"
        2014-10-05 * "LEFEVRE" "All rules apply"
          client: "Lefevre"
          Assets:Bank  300 EUR
          Income:Clients:Acme  -300 EUR
            client: "Acme"
        """
    )
    item = found["All rules apply"]
    assert (item.client, item.rule) == ("Acme", "posting")


def test_rule_2_transaction_metadata_wins_over_account_and_payee() -> None:
    found = attributed(
        """
        2014-09-15 custom "client" "Lefevre"
          payee: "LEFEVRE"
        2014-10-05 * "LEFEVRE" "Transaction says Acme"
          client: "Acme"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        """
    )
    item = found["Transaction says Acme"]
    assert (item.client, item.rule) == ("Acme", "transaction")


def test_rule_3_account_wins_over_payee() -> None:
    found = attributed(
        """
        2014-09-15 custom "client" "Lefevre"
          payee: "LEFEVRE"
        2014-10-05 * "LEFEVRE" "Booked to Acme"
          Assets:Bank  300 EUR
          Income:Clients:Acme
        """
    )
    item = found["Booked to Acme"]
    assert (item.client, item.rule) == ("Acme", "account")


def test_rule_3_convention_declared_account_and_sub_accounts() -> None:
    found = attributed(
        """
        2014-09-15 custom "client" "Studio"
          account: Income:Freelance:Workshops
        2014-10-05 * "Convention"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        2014-10-06 * "Convention sub-account"
          Assets:Bank  100 EUR
          Income:Clients:Lefevre:Training
        2014-10-07 * "Declared account"
          Assets:Bank  200 EUR
          Income:Freelance:Workshops
        2014-10-08 * "Declared sub-account"
          Assets:Bank  50 EUR
          Income:Freelance:Workshops:Paris
        """
    )
    assert {name: (item.client, item.rule) for name, item in found.items()} == {
        "Convention": ("Lefevre", "account"),
        "Convention sub-account": ("Lefevre", "account"),
        "Declared account": ("Studio", "account"),
        "Declared sub-account": ("Studio", "account"),
    }


def test_rule_3_the_longest_declared_account_wins() -> None:
    found = attributed(
        """
        2014-09-15 custom "client" "Studio"
          account: Income:Freelance:Workshops
        2014-09-15 custom "client" "Paris"
          account: Income:Freelance:Workshops:Paris
        2014-10-07 * "Workshop"
          Assets:Bank  200 EUR
          Income:Freelance:Workshops
        2014-10-08 * "Workshop in Paris"
          Assets:Bank  50 EUR
          Income:Freelance:Workshops:Paris
        """
    )
    assert found["Workshop"].client == "Studio"
    assert found["Workshop in Paris"].client == "Paris"


def test_rule_4_payee_regex_case_insensitive_on_a_shared_account() -> None:
    found = attributed(
        """
        2014-09-15 custom "client" "Lefevre"
          payee: "LEFEVRE|CABINET LEF"
        2014-10-05 * "Cabinet Lefèvre & associés" "Regex matches"
          Assets:Bank  300 EUR
          Income:Freelance
        2014-10-06 * "Someone else" "No match"
          Assets:Bank  300 EUR
          Income:Freelance
        """
    )
    item = found["Regex matches"]
    assert (item.client, item.rule) == ("Lefevre", "payee")
    assert (found["No match"].client, found["No match"].rule) == (None, None)


def test_rule_5_unattributed_outside_the_required_scope_is_no_error() -> None:
    entries, _ = load(
        """
        2014-10-05 * "Bank" "Interest"
          Assets:Bank  3 EUR
          Income:Interest
        """
    )
    book, _ = read_book(entries, Config())
    result = attribute(entries, book, Config())
    [item] = result.postings
    assert (item.client, item.rule) == (None, None)
    assert result.errors == ()


def test_income_is_what_the_config_says() -> None:
    body = """
        2014-10-05 * "Interest"
          Assets:Bank  3 EUR
          Income:Interest
        2014-10-06 * "Retainer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        """
    assert sorted(attributed(body)) == ["Interest", "Retainer"]
    narrow = Config(income=r"^Income:Clients:")
    assert sorted(attributed(body, narrow)) == ["Retainer"]


def test_each_income_posting_of_a_transaction_is_attributed_on_its_own() -> None:
    entries, _ = load(
        """
        2014-10-05 * "Two clients, one transfer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre  -200 EUR
          Income:Clients:Acme  -100 EUR
        """
    )
    book, _ = read_book(entries, Config())
    found = attribute(entries, book, Config()).postings
    assert [(item.client, item.rule, item.index) for item in found] == [
        ("Lefevre", "account", 1),
        ("Acme", "account", 2),
    ]
    assert [item.posting.units.number for item in found] == [
        Decimal("-200"),
        Decimal("-100"),
    ]


# --- Lifecycle -----------------------------------------------------------------


def lifecycle(body: str) -> list[str]:
    entries, _ = load(body)
    book, _ = read_book(entries, Config())
    return [e.message for e in lifecycle_errors(book, attribute_all(entries, book))]


def attribute_all(entries: list[Any], book: Any) -> tuple[Attributed, ...]:
    return attribute(entries, book, Config()).postings


def test_revenue_on_the_day_of_the_loss_or_of_the_return_is_fine() -> None:
    assert (
        lifecycle(
            """
            2015-01-05 * "Retainer"
              Assets:Bank  300 EUR
              Income:Clients:Lefevre
            2015-12-29 * "Last retainer"
              Assets:Bank  300 EUR
              Income:Clients:Lefevre
            2015-12-29 custom "client-lost" "Lefevre"
            2016-09-01 custom "client-back" "Lefevre"
            2016-09-01 * "Back"
              Assets:Bank  300 EUR
              Income:Clients:Lefevre
            """
        )
        == []
    )


def test_a_refund_after_the_loss_is_no_revenue() -> None:
    assert (
        lifecycle(
            """
            2015-01-05 * "Retainer"
              Assets:Bank  300 EUR
              Income:Clients:Lefevre
            2015-12-29 custom "client-lost" "Lefevre"
            2016-01-10 * "Credit note"
              Assets:Bank  -50 EUR
              Income:Clients:Lefevre
            """
        )
        == []
    )


def test_revenue_while_lost_is_reported_once_per_posting() -> None:
    messages = lifecycle(
        """
        2015-01-05 * "Retainer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        2015-12-29 custom "client-lost" "Lefevre"
        2016-01-05 * "Paid anyway"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        2016-09-01 custom "client-back" "Lefevre"
        2016-09-05 * "Back for real"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        """
    )
    assert messages == [
        "Revenue from 'Lefevre' on 2016-01-05 after its loss on 2015-12-29; add "
        '`2016-01-05 custom "client-back" "Lefevre"` if the client came back, or '
        "check the client of this posting"
    ]


# --- Revenue lines and currencies --------------------------------------------


def revenue(body: str, currency: str = "EUR") -> tuple[list[Any], list[Any]]:
    entries, _ = load(body)
    book, _ = read_book(entries, Config())
    result = revenue_lines(attribute_all(entries, book), rates_of(entries), currency)
    assert result.currency == currency
    return list(result.lines), list(result.warnings)


def test_revenue_is_minus_the_posting_and_credit_notes_are_negative() -> None:
    lines, warnings = revenue(
        """
        2014-10-05 * "Invoice"
          Assets:AccountsReceivable  300 EUR
          Income:Clients:Lefevre
        2014-10-20 * "Credit note"
          Assets:AccountsReceivable  -40 EUR
          Income:Clients:Lefevre
        """
    )
    assert [(str(line.date), line.client, line.revenue) for line in lines] == [
        ("2014-10-05", "Lefevre", Decimal("300")),
        ("2014-10-20", "Lefevre", Decimal("-40")),
    ]
    assert lines[0].account == "Income:Clients:Lefevre"
    assert lines[0].rule == "account"
    assert warnings == []


def test_at_price_converts() -> None:
    lines, warnings = revenue(
        """
        2014-10-05 * "Paid in dollars"
          Assets:PayPal  100 USD @ 0.80 EUR
          Income:Clients:Acme  -100 USD @ 0.80 EUR
        """
    )
    assert [line.revenue for line in lines] == [Decimal("80.00")]
    assert warnings == []


def test_total_price_converts() -> None:
    lines, warnings = revenue(
        """
        2014-10-05 * "Paid in dollars"
          Assets:Bank  150 EUR
          Income:Clients:Acme  -200 USD @@ 150 EUR
        """
    )
    assert [line.revenue for line in lines] == [Decimal("150")]
    assert warnings == []


def test_price_directive_on_or_before_the_date() -> None:
    lines, warnings = revenue(
        """
        2014-09-30 price USD 0.75 EUR
        2014-10-05 price USD 0.80 EUR
        2014-10-07 price USD 0.90 EUR
        2014-10-05 * "On the price's day"
          Assets:PayPal  100 USD
          Income:Clients:Acme
        2014-10-06 * "The day after"
          Assets:PayPal  10 USD
          Income:Clients:Acme
        """
    )
    assert [(str(line.date), line.revenue) for line in lines] == [
        ("2014-10-05", Decimal("80.00")),
        ("2014-10-06", Decimal("8.00")),
    ]
    assert warnings == []


def test_inverse_price_directive_converts() -> None:
    lines, _ = revenue(
        """
        2014-10-01 price EUR 1.25 USD
        2014-10-05 * "Dollars"
          Assets:PayPal  100 USD
          Income:Clients:Acme
        """
    )
    assert [line.revenue for line in lines] == [Decimal("80")]


def test_unconvertible_amount_is_a_warning_with_its_line_never_dropped() -> None:
    body = """
        2014-10-07 price USD 0.90 EUR
        2014-10-05 * "Before any price"
          Assets:PayPal  100 USD
          Income:Clients:Acme  ; this line
        2014-10-08 * "After the price"
          Assets:PayPal  100 USD
          Income:Clients:Acme
        """
    lines, warnings = revenue(body)
    assert [line.revenue for line in lines] == [Decimal("90.00")]
    [warning] = warnings
    assert warning.message == (
        "Cannot convert -100 USD to EUR on 2014-10-05: add an `@` price to the "
        "posting or a `price` directive on or before that date"
    )
    assert warning.source["filename"] == "<string>"
    assert warning.source["lineno"] == 1 + ledger(body).splitlines().index(
        "  Income:Clients:Acme  ; this line"
    )
    assert warning.entry.narration == "Before any price"


def test_reporting_currency() -> None:
    def reporting_currency(options: dict[str, Any], asked: str | None) -> str:
        return ask([], options, currency=asked).currency

    assert reporting_currency({"operating_currency": ["EUR", "USD"]}, None) == "EUR"
    assert reporting_currency({"operating_currency": ["EUR"]}, "USD") == "USD"
    # No operating currency and no amount at all: EUR, said in a warning.
    assert reporting_currency({}, None) == "EUR"


# --- Rules 5 and 6, client_accounts ------------------------------------------


def test_client_accounts_then_the_convention() -> None:
    entries, _ = load(
        """
        2014-01-01 open Income:Consulting:Globex
        2014-02-01 * "Globex" "Audit"
          Assets:Bank  500 EUR
          Income:Consulting:Globex
        2014-02-02 * "Lefevre" "Retainer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        """
    )
    config = parse_config("{'client_accounts': '^Income:Consulting:(?P<client>[^:]+)'}")
    book, errors = read_book(entries, config)
    assert errors == []
    found = {
        i.entry.narration: (i.client, i.rule)
        for i in attribute(entries, book, config).postings
    }
    # The documented Income:Clients:<X> holds whatever client_accounts says.
    assert found == {"Audit": ("Globex", "account"), "Retainer": ("Lefevre", "account")}


def test_the_payee_names_the_client_on_payee_accounts() -> None:
    entries, _ = load(
        """
        2014-01-01 custom "client" "Studio"
          payee: "STUDIO"
        2014-02-01 * "ACME Corp" "Workshop"
          Assets:Bank  500 EUR
          Income:Freelance
        2014-02-02 * "STUDIO G" "Design"
          Assets:Bank  300 EUR
          Income:Freelance
        2014-02-03 * "ACME Corp" "Interest, not consulting"
          Assets:Bank  1 EUR
          Income:Interest
        """
    )
    config = parse_config("{'payee_accounts': '^Income:Freelance$'}")
    book, _ = read_book(entries, config)
    found = {
        i.entry.narration: (i.client, i.rule)
        for i in attribute(entries, book, config).postings
    }
    assert found == {
        "Workshop": ("ACME Corp", "payee_account"),
        # A declaration's payee regex maps the payee to its id (rule 4 first).
        "Design": ("Studio", "payee"),
        "Interest, not consulting": (None, None),
    }
    assert "ACME Corp" in book.clients
    assert "STUDIO G" not in book.clients


def test_the_receivable_sub_account_names_the_client() -> None:
    entries, _ = load(
        """
        2014-01-01 open Assets:Receivable:AcmeCorp
        2014-01-01 open Assets:Receivable:Globex
        2014-01-01 custom "client" "Acme"
          receivable: Assets:Receivable:AcmeCorp
        2014-02-01 * "Invoice 1"
          Assets:Receivable:AcmeCorp  500 EUR
          Income:Freelance
        2014-02-02 * "Invoice 2"
          Assets:Receivable:Globex  300 EUR
          Income:Freelance
        2014-02-03 * "Invoice 3, booked to Lefevre's account"
          Assets:Receivable:Globex  100 EUR
          Income:Clients:Lefevre
        2014-02-04 * "Two receivables: no one client"
          Assets:Receivable:Globex  100 EUR
          Assets:Receivable:AcmeCorp  100 EUR
          Income:Freelance
        """
    )
    book, errors = read_book(entries, Config())
    assert errors == []
    assert book.clients["Globex"].origin == "receivable"
    found = {
        i.entry.narration: (i.client, i.rule)
        for i in attribute(entries, book, Config()).postings
    }
    assert found == {
        "Invoice 1": ("Acme", "receivable"),  # the declared receivable: wins
        "Invoice 2": ("Globex", "receivable"),
        "Invoice 3, booked to Lefevre's account": ("Lefevre", "account"),
        "Two receivables: no one client": (None, None),
    }


def test_attribute_transaction_for_the_import_hook() -> None:
    entries, _ = load(
        """
        2014-02-01 * "Ledger" "Retainer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre
        """
    )
    config = Config()
    book, _ = read_book(entries, config)
    imported = entries[-1]._replace(meta={"filename": "bank.csv", "lineno": 3})
    found, errors = attribute_transaction(
        imported, book, config, receivable_accounts(book, config)
    )
    assert [(item.client, item.rule) for item in found] == [("Lefevre", "account")]
    assert errors == []
