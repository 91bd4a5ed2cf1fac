"""The client wherever the books say it (docs/ledger.md, "Your books as they are").

Small ledgers written as books are kept elsewhere: the client under another
metadata key (`customer:`, as Ledger's `Customer:` tags convert), in a tag, only
in the narration (hledger and Ledger journals converted to Beancount), a deposit
held as a liability until earned. Each with its numbers checked by hand, with
the plugin line alone and, where needed, with the line the package proposes.
"""

from __future__ import annotations

import pickle
import subprocess
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import printer
from click.testing import CliRunner
from fava.core.filters import AdvancedFilter

from beancount_freelance.cli.commands import main
from beancount_freelance.cli.setup_explain import as_written
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.config import parse_config
from beancount_freelance.core.ledger.config_values import vat_rate
from beancount_freelance.core.ledger.scan import scan_ledger
from beancount_freelance.core.money import amount
from beancount_freelance.core.report import analyse_report
from beancount_freelance.core.revenue.setup import setup
from beancount_freelance.plugin import attribute_clients

HEAD = """\
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2024-01-01 open Assets:Bank
2024-01-01 open Income:Sales
2024-01-01 open Liabilities:Deposits:Acme
"""


def load(body: str, head: str = HEAD) -> tuple[list[data.Directive], list[Any], Any]:
    return loader.load_string(head + textwrap.dedent(body))


def clients(entries: list[data.Directive], options: Any) -> dict[str, Decimal]:
    document = report_document(analyse_report(entries, options))
    return {c["id"]: Decimal(c["revenue_total"]) for c in document["clients"]}


def rules(body: str) -> list[tuple[str | None, str | None]]:
    """(client, rule) of each income posting, in ledger order, as the books
    are written (without the plugin's `client:`)."""
    entries, _, _ = load(body, HEAD.replace('plugin "beancount_freelance.plugin"', ""))
    scan = scan_ledger(entries, parse_config(None))
    return [(item.client, item.rule) for item in scan.attributed]


# --- client_keys: `customer:` on the posting or the transaction ---------------

CUSTOMERS = """
2024-01-05 custom "client" "Acme" "ACME Corporation"
  payee: "ACME"
2024-02-01 * "Sale"
  customer: "acme"
  Assets:Bank  100.00 EUR
  Income:Sales
2024-02-02 * "Sale"
  customer: "ACME Corporation"
  Assets:Bank  200.00 EUR
  Income:Sales
2024-02-03 * "Sale"
  Assets:Bank  300.00 EUR
  Income:Sales
    customer: "Globex Ltd"
2024-02-04 * "Sale"
  customer: "Globex Ltd"
  Assets:Bank  400.00 EUR
  Income:Sales
    customer: "Initech"
"""


def test_customer_names_a_declared_client_or_is_the_id() -> None:
    entries, errors, options = load(CUSTOMERS)
    assert errors == []
    # acme (the id in other case) 100 + ACME Corporation (its name) 200;
    # Globex Ltd as written 300; the posting's Initech before the transaction's.
    assert clients(entries, options) == {
        "Acme": Decimal("300.00"),
        "Initech": Decimal("400.00"),
        "Globex Ltd": Decimal("300.00"),
    }
    assert rules(CUSTOMERS) == [
        ("Acme", "transaction"),
        ("Acme", "transaction"),
        ("Globex Ltd", "posting"),
        ("Initech", "posting"),
    ]


def test_the_plugin_writes_client_and_a_second_run_finds_no_error() -> None:
    entries, errors, options = load(CUSTOMERS)
    assert errors == []
    sales = [e for e in entries if isinstance(e, data.Transaction)]
    assert [e.postings[1].meta[CLIENT_KEY] for e in sales] == [
        "Acme",
        "Acme",
        "Globex Ltd",
        "Initech",
    ]
    again, errors_again = attribute_clients(list(entries), options)
    assert errors_again == []
    assert clients(again, options) == clients(entries, options)


def test_a_written_client_must_still_name_a_known_client() -> None:
    _, errors, _ = load(
        """
        2024-02-01 * "Sale"
          client: "Globx"
          customer: "Globex"
          Assets:Bank  100.00 EUR
          Income:Sales
        """
    )
    assert [e.message for e in errors] == [
        "Unknown client 'Globx' in transaction metadata client:; did you mean 'Globex'?"
    ]


def test_a_customer_that_is_no_string_is_an_error_at_its_line() -> None:
    _, errors, _ = load(
        """
        2024-02-01 * "Sale"
          Assets:Bank  100.00 EUR
          Income:Sales
            customer: 42
        """
    )
    assert [(e.source["lineno"], e.message) for e in errors] == [
        (
            9,
            "The posting metadata customer: must name the client in quotes, as "
            '`customer: "<client>"`, not 42',
        )
    ]


def test_client_keys_sets_the_keys_and_their_order() -> None:
    head = HEAD.replace(
        'plugin "beancount_freelance.plugin"',
        "plugin \"beancount_freelance.plugin\" \"{'client_keys': ['kunde']}\"",
    )
    entries, errors, options = load(
        """
        2024-02-01 * "Verkauf"
          kunde: "Müller GmbH"
          customer: "Ignored"
          Assets:Bank  119.00 EUR
          Income:Sales
        """,
        head,
    )
    assert errors == []
    assert clients(entries, options) == {"Müller GmbH": Decimal("119.00")}


# --- client_tags ---------------------------------------------------------------


def test_a_client_tag_names_the_client_after_the_transaction_metadata() -> None:
    entries, errors, options = load(
        """
        2024-02-01 * "Design" #client-acme #travel
          Assets:Bank  250.00 EUR
          Income:Sales
        2024-02-02 * "Design" #client/Initech
          customer: "Globex"
          Assets:Bank  50.00 EUR
          Income:Sales
        2024-02-03 * "Design" #client-acme #client-initech
          Assets:Bank  10.00 EUR
          Income:Sales
        """
    )
    # The first: the tag's value as written; the second: the metadata wins;
    # the third names two clients: an error, and no client.
    assert clients(entries, options) == {
        "acme": Decimal("250.00"),
        "Globex": Decimal("50.00"),
    }
    assert [e.message for e in errors] == [
        "The transaction's tags name several clients (Initech, acme); keep one, "
        'or add `client: "<id>"` to each income posting'
    ]


# --- The narration of a transaction without payee ------------------------------


def test_a_payee_regex_reads_the_narration_when_there_is_no_payee() -> None:
    body = """
        2024-01-05 custom "client" "Acme"
          payee: "ACME"
        2024-02-01 * "Invoice 12 ACME Corp, March"
          Assets:Bank  500.00 EUR
          Income:Sales
        2024-02-02 * "" "ACME again"
          Assets:Bank  70.00 EUR
          Income:Sales
        2024-02-03 * "Someone" "paid for ACME"
          Assets:Bank  30.00 EUR
          Income:Sales
        """
    entries, errors, options = load(body)
    assert errors == []
    # An empty payee is no payee; a payee that matches nothing keeps 30 out.
    assert clients(entries, options) == {"Acme": Decimal("570.00")}
    assert rules(body) == [
        ("Acme", "narration"),
        ("Acme", "narration"),
        (None, None),
    ]


# --- A deposit held as a liability ---------------------------------------------


def test_a_deposit_turned_into_income_names_its_client() -> None:
    body = """
        2024-02-01 * "Acme" "Retainer received, not yet earned"
          Assets:Bank  1000.00 EUR
          Liabilities:Deposits:Acme
        2024-02-29 * "February earned"
          Liabilities:Deposits:Acme  600.00 EUR
          Income:Sales
        """
    entries, errors, options = load(body)
    assert errors == []
    assert clients(entries, options) == {"Acme": Decimal("600.00")}
    assert rules(body) == [("Acme", "deposit")]


# --- Where the user looks: Fava's filter bar and bean-query --------------------


def test_fava_filter_bar_sees_a_customer() -> None:
    entries, _, _ = load(CUSTOMERS)
    found = AdvancedFilter('client:"Globex Ltd"').apply(entries)
    # The transaction of 2024-02-04 is Initech's: its posting says so.
    assert [e.date.isoformat() for e in found] == ["2024-02-03"]


def test_bean_query_sees_a_tag_client(
    command: Callable[[str], str], tmp_path: Path
) -> None:
    books = tmp_path / "books.beancount"
    books.write_text(
        HEAD
        + textwrap.dedent(
            """
            2024-02-01 * "Design" #client-Acme
              Assets:Bank  250.00 EUR
              Income:Sales
            """
        )
    )
    query = "SELECT date, meta('client') AS client WHERE account = 'Income:Sales'"
    run = subprocess.run(
        [command("bean-query"), "-f", "csv", str(books), query],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[1:] == ["2024-02-01,Acme"]


# --- Closing entries and VAT-included income -----------------------------------

CLOSED = """
2024-01-01 open Equity:Earnings:Current
2024-01-01 open Expenses:Software
2024-03-01 * "Acme" "Design"
  Assets:Bank  1190.00 EUR
  Income:Sales
    customer: "Acme"
2024-03-02 * "Acme" "Support"
  Assets:Bank  595.00 EUR
  Income:Sales
    customer: "Acme"
2024-03-31 * "Closing the quarter"
  Income:Sales  1785.00 EUR
  Expenses:Software  -100.00 EUR
  Equity:Earnings:Current
2024-04-01 * "Closing again, hledger close --retain"
  Income:Sales  1.00 EUR
  Equity:Earnings:Current
"""


def test_closing_entries_are_left_out_with_one_warning() -> None:
    entries, errors, options = load(CLOSED)
    assert errors == []
    document = report_document(analyse_report(entries, options))
    # 1190 + 595, not 1785 - 1785 - 1: the closing entries are no refund.
    assert {c["id"]: c["revenue_total"] for c in document["clients"]} == {
        "Acme": "1785.00"
    }
    assert [w.split(": ", 1)[1] for w in document["warnings"]] == [
        "2 closing entries (income moved to equity, from 2024-03-31) are left out "
        "of the revenue: they are neither revenue nor refunds"
    ]


def test_vat_included_in_the_open_metadata_is_netted_per_posting() -> None:
    head = HEAD.replace(
        "2024-01-01 open Income:Sales",
        '2024-01-01 open Income:Sales\n  vat_included: "19%"',
    )
    entries, errors, options = load(CLOSED, head)
    assert errors == []
    document = report_document(analyse_report(entries, options))
    # 1190 / 1.19 = 1000.00; 595 / 1.19 = 500.00.
    assert document["clients"][0]["revenue_total"] == "1500.00"
    assert document["vat_included"] == [
        {
            "account": "Income:Sales",
            "rate": "0.19",
            "gross": "1785.00",
            "net": "1500.00",
            "postings": 2,
        }
    ]


def test_the_config_rate_wins_over_the_open_and_covers_sub_accounts() -> None:
    head = HEAD.replace(
        'plugin "beancount_freelance.plugin"',
        'plugin "beancount_freelance.plugin" '
        "\"{'vat_included': [('^Income:Sales', 7)]}\"",
    ).replace(
        "2024-01-01 open Income:Sales",
        '2024-01-01 open Income:Sales\n  vat_included: "0.19"\n'
        "2024-01-01 open Income:Sales:Books",
    )
    entries, errors, options = load(
        """
        2024-03-01 * "Buchhandlung" "Books"
          Assets:Bank  100.00 EUR
          Income:Sales:Books
            customer: "Buchhandlung"
        """,
        head,
    )
    assert errors == []
    document = report_document(analyse_report(entries, options))
    # 100 / 1.07 = 93.457… → 93.46, the config's 7 % and not the open's 19 %.
    assert document["clients"][0]["revenue_total"] == "93.46"
    assert document["vat_included"][0]["rate"] == "0.07"


def test_ceilings_count_the_net() -> None:
    head = HEAD.replace(
        'plugin "beancount_freelance.plugin"',
        'plugin "beancount_freelance.plugin" '
        "\"{'vat_included': [('^Income:Sales', '19%')], "
        "'ceilings': [('Kleinunternehmer', 1600)]}\"",
    )
    # Gross 1785 is above 1600; the net 1500 is not: no error.
    _, errors, _ = load(CLOSED, head)
    assert errors == []
    # 714.01 / 1.19 = 600.008… → 600.01: the net 1600.01 crosses it.
    _, crossing, _ = load(CLOSED.replace("595.00", "714.01"), head)
    assert [e.message.split(" on ")[0] for e in crossing] == [
        "The revenue of 2024 goes above the ceiling 'Kleinunternehmer' (1600.00 EUR)"
    ]


# --- The text report on invoices that have no client ---------------------------


def test_the_report_does_not_say_no_invoice_when_invoices_lack_a_client(
    tmp_path: Path,
) -> None:
    books = tmp_path / "books.beancount"
    books.write_text(
        HEAD
        + "2024-01-01 open Assets:Receivable\n"
        + textwrap.dedent(
            """
            2024-02-01 * "Invoice 7"
              Assets:Receivable  800.00 EUR
              Income:Sales
            """
        )
    )
    report = CliRunner().invoke(main, ["report", str(books)], env={"LANG": "C"})
    invoices = CliRunner().invoke(main, ["invoices", str(books)], env={"LANG": "C"})
    assert report.exit_code == 0 and invoices.exit_code == 0
    # `bean-clients invoices` lists the invoice; the report says whose it is not.
    assert "Invoice 7" in invoices.stdout
    assert "No invoice: no transaction" not in report.stdout
    assert "No invoice belongs to a client: see the warnings." in report.stdout


# --- The corpus: books as they are kept elsewhere ------------------------------

BOOKS = Path(__file__).parent / "data" / "conventions" / "books"
DEFAULT_RECEIVABLES = "^Assets:([^:]+:)*?(Accounts)?Receivables?(:|$)"


@dataclass(frozen=True)
class Book:
    """A ledger of the corpus, checked by hand: alone, then with the line."""

    clients: dict[str, str]  # id -> revenue_total, with the plugin line alone
    unattributed: dict[str, str]  # account -> revenue_total, alone
    line: str | None  # the plugin line `setup` proposes
    fixed: dict[str, str] = field(default_factory=dict)  # clients with the line
    left: dict[str, str] = field(default_factory=dict)  # unattributed with it


CORPUS = {
    # 1190 / 1.19 = 1000 (Müller), 595 / 1.19 = 500 (Schmidt); interest 2.
    # The year-end closing is left out. Forderungen behaves like a receivable.
    "german.beancount": Book(
        {},
        {"Income:Erloese:Beratung": "1500.00", "Income:Zinsen": "2.00"},
        "{'payee_accounts': '^Income:Erloese:Beratung$', 'receivables': '"
        + DEFAULT_RECEIVABLES
        + "|^Assets:Forderungen(:|$)'}",
        {"Müller GmbH": "1000.00", "Schmidt KG": "500.00"},
        {"Income:Zinsen": "2.00"},
    ),
    # Dupont 1200 + 800 by its regex in the narration; martin 600 by its tag.
    "french.beancount": Book(
        {"Dupont": "2000.00", "martin": "600.00"},
        {"Produits:Interets": "3.50"},
        None,
    ),
    # Omzet is net (BTW on a liability): Jansen 1000 + 500, De Vries 2000.
    "dutch.beancount": Book(
        {},
        {"Income:Omzet": "3500.00"},
        "{'payee_accounts': '^Income:Omzet$', 'receivables': '"
        + DEFAULT_RECEIVABLES
        + "|^Assets:Debiteuren(:|$)'}",
        {"De Vries BV": "2000.00", "Bakkerij Jansen": "1500.00"},
    ),
    # cliente: López 900 + 1100, Pérez 750; interest 1.25 is nobody's.
    "spanish.beancount": Book(
        {},
        {"Income:Ingresos:Servicios": "2750.00", "Income:Ingresos:Intereses": "1.25"},
        "{'client_keys': ['client', 'customer', 'cliente'], 'receivables': '"
        + DEFAULT_RECEIVABLES
        + "|^Assets:Deudores(:|$)'}",
        {"Construcciones López": "2000.00", "Pérez y Asociados": "750.00"},
        {"Income:Ingresos:Intereses": "1.25"},
    ),
    # Uriage is the sales account, not a client: Tanaka 110000 + 55000,
    # Suzuki 220000; interest 12.
    "japanese.beancount": Book(
        {},
        {"Income:Uriage": "385000.00", "Income:Uketori-Risoku": "12.00"},
        "{'payee_accounts': '^Income:Uriage$', 'receivables': '"
        + DEFAULT_RECEIVABLES
        + "|^Assets:Urikakekin(:|$)'}",
        {"Suzuki Sangyo": "220000.00", "Tanaka Shoji": "165000.00"},
        {"Income:Uketori-Risoku": "12.00"},
    ),
    # customer: Acme Corp 3000 + ACME CORP 1500 (one client), Globex 2000;
    # the closing entry is left out, the interest is nobody's.
    "hledger-converted.beancount": Book(
        {"Acme Corp": "4500.00", "Globex": "2000.00"},
        {"Income:Interest": "12.00"},
        None,
    ),
    # Stripe 1000 + 1000 and Upwork 400 are the platforms'; Initech 500 and
    # hooli 300 are named on the line; fees stay expenses; the currency gain
    # (1000 USD @ 0.90 = 900, received 925: 25) is nobody's, never a client.
    "platforms.beancount": Book(
        {"Initech": "500.00", "hooli": "300.00"},
        {"Income:Freelance": "2400.00", "Income:Currency-Gains": "25.00"},
        "{'payee_accounts': '^Income:Freelance$'}",
        {
            "Stripe": "2000.00",
            "Initech": "500.00",
            "Upwork": "400.00",
            "hooli": "300.00",
        },
        {"Income:Currency-Gains": "25.00"},
    ),
    # Deposits are no revenue until earned: Acme 500 + 500, Globex 1200.
    "retainers.beancount": Book({"Globex": "1200.00", "Acme": "1000.00"}, {}, None),
    # Consulting is a service line with three payees, not a client.
    "service-line.beancount": Book(
        {},
        {"Income:Business:Consulting": "7000.00"},
        "{'payee_accounts': '^Income:Business:Consulting$'}",
        {"Acme Corp": "5000.00", "Initech": "1200.00", "Globex": "800.00"},
    ),
}


def book_document(name: str, line: str | None = None) -> tuple[dict[str, Any], Any]:
    text = (BOOKS / name).read_text(encoding="utf-8")
    if line is not None:
        text = text.replace(PLUGIN_LINE, f'{PLUGIN_LINE} "{line}"')
    entries, errors, options = loader.load_string(text)
    return report_document(analyse_report(entries, options)), errors


PLUGIN_LINE = 'plugin "beancount_freelance.plugin"'


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_books_with_the_plugin_line_alone(name: str) -> None:
    document, errors = book_document(name)
    assert errors == []
    expected = CORPUS[name]
    assert {c["id"]: c["revenue_total"] for c in document["clients"]} == (
        expected.clients
    )
    assert {
        a["account"]: a["revenue_total"] for a in document["unattributed_accounts"]
    } == expected.unattributed


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_books_with_the_line_setup_proposes(name: str) -> None:
    entries, options = as_written(str(BOOKS / name))
    proposed = setup(entries, options)
    expected = CORPUS[name]
    if expected.line is None:
        assert proposed.line is None
        return
    assert proposed.line == f'{PLUGIN_LINE} "{expected.line}"'
    # The first warning of the report proposes the same line.
    alone, _ = book_document(name)
    assert f"`{proposed.line}`" in alone["warnings"][0]
    # What setup said the line gives is what the line gives, pasted.
    assert {row.id: amount(row.revenue_total) for row in proposed.after} == (
        expected.fixed
    )
    document, errors = book_document(name, expected.line)
    assert errors == []
    assert {c["id"]: c["revenue_total"] for c in document["clients"]} == (
        expected.fixed
    )
    assert {
        a["account"]: a["revenue_total"] for a in document["unattributed_accounts"]
    } == expected.left


def test_the_german_invoices_are_matched_once_the_receivables_are_known() -> None:
    document, _ = book_document("german.beancount", CORPUS["german.beancount"].line)
    invoices = {
        c["id"]: (c["receivables"]["invoices"], c["receivables"]["days_to_pay_avg"])
        for c in document["clients"]
    }
    # Invoiced 1 March, paid 20 March: 19 days; 1 April to 30 April: 29 days.
    assert invoices == {"Müller GmbH": (1, 19.0), "Schmidt KG": (1, 29.0)}


# --- setup and explain on the command line -------------------------------------


def run_cli(*args: str, lang: str = "en") -> Any:
    return CliRunner().invoke(main, ["--lang", lang, *args], env={"LANG": "C"})


def test_explain_gives_each_posting_its_rule_and_line() -> None:
    books = str(BOOKS / "french.beancount")
    result = run_cli("explain", books, "--account", "Produits")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    # The posting's own line: the income posting under its transaction.
    assert lines[0] == (
        f"{books}:18: 2024-01-31 Produits:Prestations -1200.00 EUR: Dupont [narration]"
    )
    assert lines[1] == (
        "  no payee; its narration 'Facture F-001 SARL Dupont, site vitrine' "
        "matches the client's payee: regex"
    )
    assert lines[4] == (
        f"{books}:26: 2024-03-15 Produits:Prestations -600.00 EUR: martin [tag]"
    )
    assert lines[6].endswith("Produits:Interets -3.50 EUR: no client [-]")
    assert lines[7].startswith("  no rule applies: no client:, customer: metadata")


def test_explain_of_one_client_and_its_mistakes() -> None:
    books = str(BOOKS / "hledger-converted.beancount")
    acme = run_cli("explain", books, "--client", "Acme Corp")
    assert acme.exit_code == 0
    assert [line.split(": ", 1)[1] for line in acme.stdout.splitlines()[::2]] == [
        "2023-02-01 Income:Consulting -3000.00 USD: Acme Corp [transaction metadata]",
        "2023-06-01 Income:Consulting -1500.00 USD: Acme Corp [posting metadata]",
    ]
    unknown = run_cli("explain", books, "--client", "Globx")
    assert unknown.exit_code == 2
    assert "No income posting of client 'Globx'; did you mean 'Globex'?" in (
        unknown.output
    )
    both = run_cli("explain", books, "--client", "Globex", "--account", "Income")
    assert both.exit_code == 2
    missing = run_cli("explain", str(BOOKS / "nothing.beancount"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.output


def test_setup_shows_the_evidence_the_line_and_what_it_gives() -> None:
    result = run_cli("setup", str(BOOKS / "service-line.beancount"))
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Income:Business:Consulting  7000.00         4  Acme Corp (2)" in text
    assert (
        '  plugin "beancount_freelance.plugin" '
        "\"{'payee_accounts': '^Income:Business:Consulting$'}\"\n"
    ) in text
    assert "  Acme Corp  5000.00  payee on a shared account (2)" in text
    assert text.rstrip().endswith("Income without a client: 0.00")


def test_setup_in_french() -> None:
    result = run_cli("setup", str(BOOKS / "platforms.beancount"), lang="fr")
    assert result.exit_code == 0, result.output
    assert "Clients que la ligne donnerait :" in result.stdout
    explained = run_cli("explain", str(BOOKS / "french.beancount"), lang="fr")
    assert explained.stdout.splitlines()[5] == "  son tag #client-martin"
    assert (
        "  Income:Currency-Gains: tenu au coût ou converti à un prix : des gains, "
        "pas un client"
    ) in result.stdout


def test_the_client_the_plugin_writes_is_a_string_that_knows_its_rule() -> None:
    entries, _, _ = load(CUSTOMERS)
    sale = next(e for e in entries if isinstance(e, data.Transaction))
    written = sale.postings[1].meta[CLIENT_KEY]
    # A string everywhere it is read: equal, printed, pickled with its rule.
    assert written == "Acme" and isinstance(written, str)
    assert 'client: "Acme"' in printer.format_entry(sale)
    again = pickle.loads(pickle.dumps(written))
    assert (again, again.rule) == ("Acme", "transaction")
    # Read again after the plugin ran, each posting keeps the rule that found it.
    assert [
        (i.client, i.rule) for i in scan_ledger(entries, parse_config(None)).attributed
    ] == [
        ("Acme", "transaction"),
        ("Acme", "transaction"),
        ("Globex Ltd", "posting"),
        ("Initech", "posting"),
    ]


@pytest.mark.parametrize(
    ("written", "rate"),
    [("19%", "0.19"), ("0.19", "0.19"), (19, "0.19"), ("7 %", "0.07"), (5.5, "0.055")],
)
def test_a_vat_rate_is_written_three_ways(written: object, rate: str) -> None:
    assert vat_rate(written) == Decimal(rate)


@pytest.mark.parametrize("written", ["standard", "0", "100%", True, "-19%", "nan"])
def test_what_is_no_vat_rate(written: object) -> None:
    assert vat_rate(written) is None


def test_explain_says_which_deposit_named_the_client() -> None:
    result = run_cli("explain", str(BOOKS / "retainers.beancount"), "--client", "Acme")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "  the transaction posts to Liabilities:Deposits:Acme, which names the client"
    )
    closing = run_cli(
        "explain", str(BOOKS / "german.beancount"), "--account", "Income:Zinsen"
    )
    assert closing.stdout.splitlines()[-1] == (
        "  a closing entry (income moved to equity): left out"
    )


def test_a_key_whose_every_value_differs_names_no_client() -> None:
    """`ref:` on each sale, a new number each time, is a document's number."""
    body = "".join(
        f"""
        2024-0{month}-01 * "Someone" "Sale"
          ref: "R-{month}"
          kunde: "{name}"
          Assets:Bank  100.00 EUR
          Income:Sales
        """
        for month, name in ((1, "Müller"), (2, "Schmidt"), (3, "Müller"))
    )
    entries, _, options = load(body)
    advice = setup(entries, options).advice
    assert advice.keys == ("kunde",)


def test_setup_prints_the_ledger_s_errors_as_every_command(tmp_path: Path) -> None:
    books = tmp_path / "books.beancount"
    books.write_text(
        HEAD.replace(
            'plugin "beancount_freelance.plugin"',
            "plugin \"beancount_freelance.plugin\" \"{'client_keys': 'customer'}\"",
        )
    )
    result = run_cli("setup", str(books))
    assert result.exit_code == 0
    assert "beancount_freelance config 'client_keys' must be a list" in result.output
    assert "Every income posting has a client: nothing to propose." in result.output


def test_clients_named_only_in_narrations_are_proposed_as_declarations() -> None:
    name = "hledger-narration.beancount"
    document, errors = book_document(name)
    assert errors == []
    assert document["clients"] == []
    entries, options = as_written(str(BOOKS / name))
    proposed = setup(entries, options)
    # payee_accounts takes no id from a narration: declarations instead.
    assert proposed.line is None
    assert proposed.advice.named == (("AcmeCorp", "Acme Corp"), ("Globex", "Globex"))
    assert [(r.id, amount(r.revenue_total), r.rules) for r in proposed.after] == [
        ("AcmeCorp", "4500.00", (("narration", 2),)),
        ("Globex", "2000.00", (("narration", 1),)),
    ]
    # Written into the books as proposed, the declarations give the same.
    text = (BOOKS / name).read_text(encoding="utf-8") + textwrap.dedent(
        """
        2023-01-01 custom "client" "AcmeCorp" "Acme Corp"
          payee: "^Acme Corp [|]"
        2023-01-01 custom "client" "Globex" "Globex"
          payee: "^Globex [|]"
        """
    )
    entries, errors, options = loader.load_string(text)
    assert errors == []
    assert clients(entries, options) == {
        "AcmeCorp": Decimal("4500.00"),
        "Globex": Decimal("2000.00"),
    }
