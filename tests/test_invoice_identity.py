"""An invoice wherever the books say it: its number in metadata, over several
receivable accounts, written off, paid through a platform or from a deposit.

Each ledger is small enough to check by hand; the comments do the arithmetic.
docs/receivables.md ("Invoice numbers", "One invoice, several accounts",
"Write-offs") states the rules these tests pin down.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.parser import printer

from beancount_freelance import i18n
from beancount_freelance.cli.invoices_text import status_text
from beancount_freelance.core.document.receivables import invoices_document
from beancount_freelance.core.ledger.config import Config, ConfigError, parse_config
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.question import ask
from beancount_freelance.core.receivables.analysis import (
    ReceivablesAsOf,
    analyse_receivables,
)
from beancount_freelance.core.receivables.open_items import InvoiceLine
from beancount_freelance.core.revenue.streams import analyse
from beancount_freelance.importers import InvoiceRegisterImporter
from beancount_freelance.importers.directory import INVOICE_KEY

D = Decimal
date = datetime.date

HEADER = """\
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin" "{config}"
2024-01-01 open Assets:Bank
2024-01-01 open Assets:Receivable
2024-01-01 open Assets:Receivable:Acme
2024-01-01 open Assets:Receivable:Brio
2024-01-01 open Income:Clients:Acme
2024-01-01 open Income:Clients:Brio
2024-01-01 open Expenses:BadDebts
2024-01-01 open Expenses:Fees:Stripe
"""


def load(text: str, config: str = "") -> tuple[list[Any], dict[str, Any]]:
    header = HEADER.replace("{config}", config)
    entries, errors, options = loader.load_string(header + textwrap.dedent(text))
    assert errors == []
    return entries, options


def analysed(text: str, as_of: datetime.date, config: str = "") -> ReceivablesAsOf:
    entries, options = load(text, config)
    return analyse_receivables(ask(entries, options, as_of=as_of))


# --- Invoice numbers in metadata ----------------------------------------------

SHARED = """
2024-03-01 * "Acme" "Invoice 101"
  invoice: "101"
  Assets:Receivable             1000.00 EUR
  Income:Clients:Acme
2024-03-05 * "Acme" "Invoice 102"
  invoice: "102"
  Assets:Receivable             1000.00 EUR
  Income:Clients:Acme
2024-03-08 * "Acme" "Transfer"
  invoice: " 102 "
  Assets:Bank                   1000.00 EUR
  Assets:Receivable
"""


def test_a_payment_naming_an_invoice_number_settles_that_invoice() -> None:
    found = analysed(SHARED, date(2024, 3, 31))
    first, second = found.invoices
    # First in, first out would pay 101 (in 7 days) and leave 102 open; the
    # number (spaces stripped) names 102: paid in 8 - 5 = 3 days, 101 still open.
    assert (second.number, second.settled, second.days_to_pay) == (
        "102",
        date(2024, 3, 8),
        3,
    )
    assert (first.number, first.balance, first.settled) == ("101", D("1000.00"), None)
    assert first.link is None and second.link is None
    assert found.warnings == ()


def test_the_number_is_read_on_the_receivable_posting_too() -> None:
    text = """
    2024-03-01 * "Acme" "Invoice"
      Assets:Receivable             1000.00 EUR
        invoice_no: 2024017
      Income:Clients:Acme
    2024-03-05 * "Acme" "Invoice"
      Assets:Receivable              400.00 EUR
        invoice_no: 2024018
      Income:Clients:Acme
    2024-03-09 * "Acme" "Transfer"
      Assets:Bank                    400.00 EUR
      Assets:Receivable
        invoice_number: "2024018"
    """
    first, second = analysed(text, date(2024, 3, 31)).invoices
    # A number written as a number (2024018) is the same as "2024018"; any of
    # the default keys counts, on the posting as on the transaction.
    assert (second.number, second.days_to_pay, first.balance) == (
        "2024018",
        4,
        D("1000.00"),
    )


def test_a_link_is_the_invoice_number_before_its_metadata() -> None:
    text = """
    2024-03-01 * "Acme" "Invoice" ^acme-7
      invoice: "7"
      Assets:Receivable:Acme         500.00 EUR
      Income:Clients:Acme
    """
    (invoice,) = analysed(text, date(2024, 3, 31)).invoices
    assert (invoice.link, invoice.number) == ("acme-7", "acme-7")


def test_a_number_naming_no_open_invoice_falls_back_to_fifo_with_one_warning() -> None:
    text = SHARED.replace('invoice: " 102 "', 'invoice: "120"')
    found = analysed(text, date(2024, 3, 31))
    first, second = found.invoices
    # No invoice 120: the oldest open invoice (101) is paid, in 7 days.
    assert (first.days_to_pay, second.balance) == (7, D("1000.00"))
    assert [w.message for w in found.warnings] == [
        "Invoice number 120 names no open invoice on Assets:Receivable; settled "
        "first in, first out: check the number against the invoice's"
    ]
    assert (
        found.warnings[0].source["lineno"] == found.invoices[0].entry.meta["lineno"] + 8
    )  # said at the transfer's line


def test_a_second_payment_of_a_paid_number_is_reported_not_applied_to_it() -> None:
    text = (
        SHARED
        + """
2024-03-09 * "Acme" "Transfer again"
  invoice: "102"
  Assets:Bank                   1000.00 EUR
  Assets:Receivable
"""
    )
    found = analysed(text, date(2024, 3, 31))
    first, second = found.invoices
    # 102 is paid already: the second transfer settles 101, first in first out.
    assert (first.settled, second.settled) == (date(2024, 3, 9), date(2024, 3, 8))
    assert len(found.warnings) == 1


@pytest.mark.parametrize(
    ("key", "language"),
    [("rechnungsnummer", "German"), ("numero_facture", "French")],
)
def test_only_the_configured_keys_name_an_invoice(key: str, language: str) -> None:
    text = f"""
    2024-03-01 * "Acme" "Rechnung / facture RE-1"
      {key}: "RE-1"
      Assets:Receivable             1000.00 EUR
      Income:Clients:Acme
    2024-03-05 * "Acme" "Rechnung / facture RE-2"
      {key}: "RE-2"
      Assets:Receivable             1000.00 EUR
      Income:Clients:Acme
    2024-03-08 * "Acme" "Zahlung / paiement"
      {key}: "RE-2"
      Assets:Bank                   1000.00 EUR
      Assets:Receivable
    """
    # The defaults do not know a {language} key: first in, first out (RE-1).
    first, second = analysed(text, date(2024, 3, 31)).invoices
    assert (first.days_to_pay, second.settled, second.number) == (7, None, None)
    # With `invoice_keys` set to it, the transfer pays RE-2, in 3 days.
    config = f"{{'invoice_keys': ['{key}']}}"
    first, second = analysed(text, date(2024, 3, 31), config).invoices
    assert (first.settled, second.days_to_pay, second.number) == (None, 3, "RE-2")


def test_invoice_keys_default_and_validation() -> None:
    assert Config().invoice_keys == ("invoice", "invoice_no", "invoice_number")
    assert parse_config("{'invoice_keys': ['rechnung', 'invoice']}").invoice_keys == (
        "rechnung",
        "invoice",
    )
    for bad in ("'invoice'", "[]", "['Rechnung']", "['invoice no']", "[3]"):
        with pytest.raises(ConfigError) as raised:
            parse_config(f"{{'invoice_keys': {bad}}}")
        assert str(raised.value).startswith(
            "beancount_freelance config 'invoice_keys' must be a list of metadata keys"
        )


def test_what_the_invoice_importer_writes_is_what_the_matching_reads(
    tmp_path: Path,
) -> None:
    data = Path(__file__).parent / "data" / "importers"
    books = str(data / "ledger.beancount")
    entries, errors, _ = loader.load_file(books)
    assert errors == []
    report = InvoiceRegisterImporter().read_register(
        str(data / "invoices.csv"), entries
    )
    assert INVOICE_KEY in Config().invoice_keys
    written = "\n".join(printer.format_entry(entry) for entry in report.invoices)
    # Lefevre pays invoice 2018-002 (1,234.50) by its number alone, no link; its
    # older open invoice 2017-042 (1,200.00) on the same account stays open.
    payment = """
2018-02-15 * "VIR CABINET LEFEVRE" "Facture 2018-002"
  invoice: "2018-002"
  Assets:Bank:Checking      1234.50 EUR
  Assets:AccountsReceivable
"""
    ledger = tmp_path / "main.beancount"
    ledger.write_text(f'include "{books}"\n{written}\n{payment}', encoding="utf-8")
    loaded, errors, options = loader.load_file(str(ledger))
    assert errors == []
    found = analyse_receivables(ask(loaded, options, as_of=date(2018, 2, 28)))
    by_date = {inv.date: inv for inv in found.invoices if inv.client == "Lefevre"}
    assert by_date[date(2018, 1, 5)].number == "invoice-2018-002"
    assert by_date[date(2018, 1, 5)].days_to_pay == 41  # 5 Jan to 15 Feb
    older = [inv for inv in found.invoices if inv.date.year == 2017]
    assert [inv.balance for inv in older if inv.client == "Lefevre"] == [D("1200.00")]


# --- One invoice over several receivable accounts -----------------------------

SPLIT = """
2024-01-01 open Assets:Receivable:Acme:Website
2024-01-01 open Assets:Receivable:Acme:Hosting
2024-04-01 * "Acme" "Invoice 2024-7: website and hosting"
  invoice: "2024-7"
  Assets:Receivable:Acme:Website   1000.00 EUR
  Assets:Receivable:Acme:Hosting    500.00 EUR
  Income:Clients:Acme             -1500.00 EUR
2024-04-20 * "Acme" "Website paid"
  Assets:Bank                      1000.00 EUR
  Assets:Receivable:Acme:Website
2024-05-10 * "Acme" "Hosting paid"
  Assets:Bank                       500.00 EUR
  Assets:Receivable:Acme:Hosting
"""


def test_a_split_invoice_is_one_invoice_with_a_line_per_account() -> None:
    (invoice,) = analysed(SPLIT, date(2024, 4, 30)).invoices
    # 1,000 + 500 = 1,500 owed by Acme; on 30 April the website line is paid,
    # the hosting line (500) is still open: the invoice is not paid.
    assert (invoice.account, invoice.amount, invoice.balance) == (
        "Assets:Receivable:Acme",
        D("1500.00"),
        D("500.00"),
    )
    assert invoice.lines == (
        InvoiceLine("Assets:Receivable:Acme:Website", "EUR", D("1000.00"), D(0)),
        InvoiceLine("Assets:Receivable:Acme:Hosting", "EUR", D("500.00"), D("500.00")),
    )
    assert (invoice.settled, invoice.paid, invoice.number) == (None, False, "2024-7")


def test_a_split_invoice_is_paid_when_its_last_line_is() -> None:
    found = analysed(SPLIT, date(2024, 5, 31))
    (invoice,) = found.invoices
    # Paid in two parts; days to pay to the last one: 1 April to 10 May = 39.
    assert (invoice.balance, invoice.paid_amount, invoice.payments) == (
        D(0),
        D("1500.00"),
        2,
    )
    assert (invoice.settled, invoice.days_to_pay) == (date(2024, 5, 10), 39)
    acme = found.client("Acme")
    assert (acme.invoices, acme.paid, acme.days_to_pay) == (1, 1, (39,))
    assert found.warnings == ()


def test_one_payment_over_both_lines_names_the_invoice() -> None:
    text = (
        SPLIT.split("2024-04-20")[0]
        + """
2024-04-25 * "Acme" "Transfer"
  invoice: "2024-7"
  Assets:Bank                      1500.00 EUR
  Assets:Receivable:Acme:Website  -1000.00 EUR
  Assets:Receivable:Acme:Hosting   -500.00 EUR
"""
    )
    (invoice,) = analysed(text, date(2024, 5, 31)).invoices
    assert (invoice.balance, invoice.days_to_pay) == (D(0), 24)


# --- Write-offs, platforms, deposits --------------------------------------------

WRITE_OFF = """
2024-01-10 * "Brio" "Invoice"
  Assets:Receivable:Brio         800.00 EUR
  Income:Clients:Brio
2024-02-01 * "Brio" "Part payment"
  Assets:Bank                    300.00 EUR
  Assets:Receivable:Brio
2024-06-30 * "Brio" "Bad debt: Brio is bankrupt"
  Expenses:BadDebts              500.00 EUR
  Assets:Receivable:Brio
"""


def test_a_write_off_closes_the_invoice_without_paying_it() -> None:
    found = analysed(WRITE_OFF, date(2024, 7, 31))
    (invoice,) = found.invoices
    # 800 invoiced, 300 paid, 500 written off against expenses: closed on 30
    # June, but not paid: no days to pay, and Brio last paid on 1 February.
    assert invoice.status(date(2024, 7, 31)) == "written_off"
    assert (invoice.balance, invoice.paid_amount, invoice.written_off_amount) == (
        D(0),
        D("300.00"),
        D("500.00"),
    )
    assert (invoice.paid, invoice.days_to_pay, invoice.on_time) == (False, None, None)
    brio = found.client("Brio")
    assert (brio.invoices, brio.paid, brio.open, brio.last_paid) == (
        1,
        0,
        D(0),
        date(2024, 2, 1),
    )


def test_a_written_off_invoice_is_said_so_in_the_document_and_the_table() -> None:
    found = analysed(WRITE_OFF, date(2024, 7, 31))
    (row,) = invoices_document(found)
    assert (row["status"], row["days_to_pay"], row["balance"]) == (
        "written_off",
        None,
        "0.00",
    )
    assert status_text("written_off") == "written off"
    assert i18n.translations(["fr"]).gettext("written off") == "passée en perte"


def test_a_platform_payout_with_its_fee_is_a_payment_of_the_whole_invoice() -> None:
    text = """
    2024-02-01 * "Acme" "Invoice"
      Assets:Receivable:Acme        1000.00 EUR
      Income:Clients:Acme
    2024-02-10 * "Stripe" "Payout, fee withheld"
      Assets:Bank                    970.70 EUR
      Expenses:Fees:Stripe            29.30 EUR
      Assets:Receivable:Acme       -1000.00 EUR
    """
    entries, options = load(text)
    question = ask(entries, options, as_of=date(2024, 2, 29))
    found = analyse_receivables(question)
    (invoice,) = found.invoices
    # The fee is an expense, not a write-off: paid in 9 days, 1,000 revenue.
    assert (invoice.status(date(2024, 2, 29)), invoice.days_to_pay) == ("paid", 9)
    assert found.client("Acme").last_paid == date(2024, 2, 10)
    revenue = {c.id: c.revenue_total for c in analyse(question).clients}
    assert revenue == {"Acme": D("1000.00"), "Brio": D(0)}


def test_a_deposit_held_as_a_liability_names_its_client_when_earned() -> None:
    text = """
    2024-01-01 open Liabilities:Deposits:Corvo
    2024-01-01 open Income:Consulting
    2024-01-05 * "Retainer received"
      Assets:Bank                   1000.00 EUR
      Liabilities:Deposits:Corvo
    2024-03-01 * "Project delivered"
      Liabilities:Deposits:Corvo     1000.00 EUR
      Income:Consulting
    """
    entries, options = load(text)
    portfolio = analyse(ask(entries, options, as_of=date(2024, 3, 31)))
    # The deposit account names Corvo (known from it alone), as
    # Assets:Receivable:Corvo would.
    revenue = {c.id: c.revenue_total for c in portfolio.clients}
    assert revenue == {"Acme": D(0), "Brio": D(0), "Corvo": D("1000.00")}
    assert portfolio.totals.unattributed_total == D(0)


def test_the_link_check_reports_an_unknown_number_at_its_line() -> None:
    text = SHARED.replace('invoice: " 102 "', 'invoice: "120"')
    header = HEADER.replace("{config}", "{'check_links': True}")
    _, errors, _ = loader.load_string(header + textwrap.dedent(text))
    (error,) = errors
    assert error.message.startswith("Invoice number 120 names no open invoice")
    # At the transfer's first line, four lines from the end of the ledger.
    assert error.source["lineno"] == header.count("\n") + text.count("\n") - 3


def test_bad_invoice_keys_on_the_plugin_line_are_an_error_not_a_crash() -> None:
    header = HEADER.replace("{config}", "{'invoice_keys': 'invoice'}")
    _, errors, _ = loader.load_string(header)
    assert [e.message.split(",")[0] for e in errors] == [
        "beancount_freelance config 'invoice_keys' must be a list of metadata keys "
        "(a lowercase letter"
    ]


def test_a_linked_payment_on_the_clients_receivable_settles_the_lines_in_order() -> (
    None
):
    text = (
        SPLIT.split("2024-04-20")[0].replace(
            '"Invoice 2024-7: website and hosting"',
            '"Invoice 2024-7: website and hosting" ^acme-2024-7',
        )
        + """
2024-04-25 * "Acme" "Transfer" ^acme-2024-7
  Assets:Bank                      1200.00 EUR
  Assets:Receivable:Acme
"""
    )
    (invoice,) = analysed(text, date(2024, 5, 31)).invoices
    # No line is on Assets:Receivable:Acme itself: the 1,200 settles the
    # website line (1,000), then 200 of the hosting line; 300 still owed.
    assert [line.balance for line in invoice.lines] == [D(0), D("300.00")]
    assert (invoice.balance, invoice.settled) == (D("300.00"), None)


def test_deposit_liabilities_name_a_client_but_are_no_receivables() -> None:
    accounts = ReceivableAccounts(Config().receivables_re)
    named = {
        account: (accounts.client_of(account), accounts.is_receivable(account))
        for account in (
            "Liabilities:Deposits:Acme",
            "Liabilities:Unearned:Acme:2024",
            "Liabilities:Current:CustomerDeposits:Brio",
            "Liabilities:DeferredRevenue:Corvo",
            "Liabilities:Loans:Bank",
            "Liabilities:Deposits",
        )
    }
    assert named == {
        "Liabilities:Deposits:Acme": ("Acme", False),
        "Liabilities:Unearned:Acme:2024": ("Acme", False),
        "Liabilities:Current:CustomerDeposits:Brio": ("Brio", False),
        "Liabilities:DeferredRevenue:Corvo": ("Corvo", False),
        "Liabilities:Loans:Bank": (None, False),
        "Liabilities:Deposits": (None, False),
    }
    # The account that names a receivable's client: a split invoice's account.
    assert accounts.client_root("Assets:Receivable:Acme:Website") == (
        "Assets:Receivable:Acme"
    )
    assert accounts.client_root("Assets:Receivable") == "Assets:Receivable"
