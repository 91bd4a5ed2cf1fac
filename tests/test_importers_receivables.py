"""Importing the bank payments of invoiced clients: never counted twice.

Books kept as contractors keep them, never having read our docs: accrual
invoices on a receivable per client (`Assets:Receivable:<X>`, no links, income
on one `Income:Consulting`), a client kept on a cash basis (the invoice debits
its receivable against Equity, the payment books the income and reverses it),
and books with one shared `Assets:AccountsReceivable` and `client:` metadata.
A bank statement is imported end to end through beangulp with the hook, and the
analysis of the books plus the imported entries shows each invoice's revenue
once.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

import beangulp
from beancount import loader
from beancount.core import data
from beancount.core.amount import Amount
from beancount.parser import parser
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.streams import analyse
from beancount_freelance.importers import (
    UNATTRIBUTED_KEY,
    BankStatementImporter,
    assign_clients_hook,
)

PER_CLIENT_BOOKS = """
option "title" "Consulting"
option "operating_currency" "USD"
plugin "beancount_freelance.plugin"

2024-01-01 open Assets:Checking USD
2024-01-01 open Assets:Receivable:Acme USD
2024-01-01 open Assets:Receivable:Globex USD
2024-01-01 open Assets:Receivable:Initech USD
2024-01-01 open Income:Consulting USD
2024-01-01 open Equity:Unearned-Invoices USD
2024-01-01 open Expenses:Software USD

2024-01-31 * "Acme Corp" "Invoice 2024-01"
  Assets:Receivable:Acme      3000.00 USD
  Income:Consulting

2024-02-15 * "ACME CORPORATION" "Wire"
  Assets:Checking             3000.00 USD
  Assets:Receivable:Acme

2024-02-29 * "Acme Corp" "Invoice 2024-02"
  Assets:Receivable:Acme      2000.00 USD
  Income:Consulting

2024-02-29 * "Globex" "Invoice 7"
  Assets:Receivable:Globex    1500.00 USD
  Income:Consulting

; Initech is kept on a cash basis: no income until it pays.
2024-02-01 * "Initech" "Invoice 3"
  Assets:Receivable:Initech    800.00 USD
  Equity:Unearned-Invoices

2024-02-20 * "INITECH LLC" "Payment invoice 3"
  Assets:Checking              800.00 USD
  Income:Consulting           -800.00 USD
  Assets:Receivable:Initech   -800.00 USD
  Equity:Unearned-Invoices     800.00 USD

2024-03-01 * "Initech" "Invoice 4"
  Assets:Receivable:Initech   1200.00 USD
  Equity:Unearned-Invoices
"""

PER_CLIENT_STATEMENT = """\
Date;Counterparty;Reference;Amount;Balance
10/03/2024;ACME CORPORATION;Wire invoice February;2000,00;
12/03/2024;GLOBEX;Payment;1500,00;
14/03/2024;ACME;Paid twice by mistake;2000,00;
15/03/2024;INITECH LLC;Invoice 4;1200,00;
18/03/2024;CB GITHUB;Subscription;-20,00;
20/03/2024;UNKNOWN LTD;Who is this;50,00;
"""


def extract(tmp_path: Path, books: str, statement: str, currency: str) -> str:
    """Run `extract` as a user's import.py would: beangulp.Ingest with the hook."""
    ledger = tmp_path / "books.beancount"
    ledger.write_text(textwrap.dedent(books), encoding="utf-8")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "bank.csv").write_text(statement, encoding="utf-8")
    ingest = beangulp.Ingest(
        [BankStatementImporter("Assets:Checking", currency)],
        [assign_clients_hook(ledger=str(ledger))],
    )
    result = CliRunner().invoke(
        ingest.cli, ["extract", str(downloads), "--existing", str(ledger)]
    )
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def transactions(text: str) -> list[data.Transaction]:
    entries, errors, _ = parser.parse_string(text)
    assert not errors
    return [e for e in entries if isinstance(e, data.Transaction)]


def postings(entry: data.Transaction) -> list[tuple[str, Decimal | None]]:
    return [
        (p.account, p.units.number if p.units is not None else None)
        for p in entry.postings
    ]


def analysed(tmp_path: Path, imported: str) -> tuple[Decimal, list[str]]:
    """All revenue of the books with the imported entries, and the load errors."""
    both = tmp_path / "with-import.beancount"
    both.write_text(
        f'include "{tmp_path / "books.beancount"}"\n' + imported, encoding="utf-8"
    )
    entries, errors, options = loader.load_file(str(both))
    totals = analyse(ask(entries, options)).totals
    return totals.revenue_total + totals.unattributed_total, [
        error.message for error in errors
    ]


def test_payments_into_per_client_receivables_are_not_income_again(
    tmp_path: Path,
) -> None:
    out = extract(tmp_path, PER_CLIENT_BOOKS, PER_CLIENT_STATEMENT, "USD")
    acme, globex, twice, initech, github, unknown = transactions(out)
    # A payee that paid into Acme's receivable before.
    assert postings(acme) == [
        ("Assets:Checking", Decimal("2000.00")),
        ("Assets:Receivable:Acme", Decimal("-2000.00")),
    ]
    # The payee is the client its receivable names (case ignored).
    assert postings(globex)[1] == ("Assets:Receivable:Globex", Decimal("-1500.00"))
    # Acme is now overpaid: still its receivable, never income.
    assert postings(twice)[1] == ("Assets:Receivable:Acme", Decimal("-2000.00"))
    # Cash basis: the income, and invoice 4 reversed against Equity, as before.
    assert postings(initech) == [
        ("Assets:Checking", Decimal("1200.00")),
        ("Income:Consulting", Decimal("-1200.00")),
        ("Assets:Receivable:Initech", Decimal("-1200.00")),
        ("Equity:Unearned-Invoices", Decimal("1200.00")),
    ]
    assert len(github.postings) == 1  # money going out: not a client's
    assert unknown.flag == "!" and "UNKNOWN LTD" in unknown.meta[UNATTRIBUTED_KEY]
    # Six lines in, six transactions out (one flagged).

    revenue, errors = analysed(tmp_path, out)
    # 3000 + 2000 + 1500 invoiced, 800 + 1200 paid in cash: once each.
    assert revenue == Decimal("8500.00")
    # The lines that are no client's keep their one posting, for the user.
    assert errors == [
        "Transaction does not balance: (-20.00 USD)",
        "Transaction does not balance: (50.00 USD)",
    ]


SHARED_BOOKS = """
option "title" "Studio"
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"

2024-01-01 open Assets:Checking EUR
2024-01-01 open Assets:AccountsReceivable EUR
2024-01-01 open Income:Clients:Hooli EUR
2024-01-01 open Income:Consulting EUR

2024-01-01 custom "client" "Globex" "Globex GmbH"
2024-01-01 custom "client" "Hooli" "Hooli SA"
  payee: "HOOLI"

2024-01-31 * "Globex GmbH" "Invoice 12"
  client: "Globex"
  Assets:AccountsReceivable    1000.00 EUR
  Income:Consulting

2024-02-10 * "Hooli SA" "Invoice 13"
  Assets:AccountsReceivable     600.00 EUR
  Income:Clients:Hooli

2024-02-12 * "Hooli SA" "Workshop paid on the day"
  Assets:Checking               100.00 EUR
  Income:Clients:Hooli
"""

SHARED_STATEMENT = """\
Date;Counterparty;Reference;Amount;Balance
20/02/2024;GLOBEX GMBH;Virement;1000,00;
25/02/2024;VIR HOOLI SA;Facture 13;600,00;
"""


def test_payments_into_a_shared_receivable_with_client_metadata(
    tmp_path: Path,
) -> None:
    out = extract(tmp_path, SHARED_BOOKS, SHARED_STATEMENT, "EUR")
    globex, hooli = transactions(out)
    # Globex is known by its invoice's payee; its income was booked then.
    assert postings(globex)[1] == ("Assets:AccountsReceivable", Decimal("-1000.00"))
    assert globex.meta["client"] == "Globex"
    # Hooli (payee regex) is invoiced on the receivable, though a workshop was
    # once paid on the day: its payment settles the receivable.
    assert postings(hooli)[1] == ("Assets:AccountsReceivable", Decimal("-600.00"))
    assert hooli.meta["client"] == "Hooli"
    revenue, errors = analysed(tmp_path, out)
    assert errors == []
    assert revenue == Decimal("1000.00") + Decimal("600.00") + Decimal("100.00")


DEBTORS_BOOKS = """
option "operating_currency" "GBP"
plugin "beancount_freelance.plugin" "{'receivables': '^Assets:Debtors'}"

2024-01-01 open Assets:Checking GBP
2024-01-01 open Assets:Debtors:Wayne GBP
2024-01-01 open Income:Consulting GBP

2024-01-31 * "Wayne Enterprises" "Invoice 1"
  Assets:Debtors:Wayne   700.00 GBP
  Income:Consulting
"""


def test_the_hook_reads_the_ledgers_own_plugin_line(tmp_path: Path) -> None:
    statement = "Date;Counterparty;Reference;Amount;Balance\n"
    statement += "05/02/2024;WAYNE;Invoice 1;700,00;\n"
    out = extract(tmp_path, DEBTORS_BOOKS, statement, "GBP")
    (wayne,) = transactions(out)
    # British books call the receivable "Debtors": the plugin line says so.
    assert postings(wayne)[1] == ("Assets:Debtors:Wayne", Decimal("-700.00"))
    revenue, _ = analysed(tmp_path, out)
    assert revenue == Decimal("700.00")


CASH_BASIS_BOOKS = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"

2024-01-01 open Assets:Checking EUR
2024-01-01 open Assets:Receivable:Umbrella EUR
2024-01-01 open Income:Consulting EUR
2024-01-01 open Equity:Invoices-Outstanding EUR

2024-04-02 * "Umbrella plc" "Invoice U-2024-07"
  invoice: "U-2024-07"
  Assets:Receivable:Umbrella     900.00 EUR
  Equity:Invoices-Outstanding
"""


def test_a_cash_basis_invoice_named_by_its_payment_is_reversed(
    tmp_path: Path,
) -> None:
    statement = "Date;Counterparty;Reference;Amount;Balance\n"
    statement += "30/04/2024;UMBRELLA PLC;Facture U-2024-07;900,00;\n"
    out = extract(tmp_path, CASH_BASIS_BOOKS, statement, "EUR")
    (paid,) = transactions(out)
    # No earlier payment to copy: the income goes to the convention account.
    assert postings(paid) == [
        ("Assets:Checking", Decimal("900.00")),
        ("Income:Clients:Umbrella", Decimal("-900.00")),
        ("Assets:Receivable:Umbrella", Decimal("-900.00")),
        ("Equity:Invoices-Outstanding", Decimal("900.00")),
    ]


def _per_client_books() -> list[data.Directive]:
    entries, errors, _ = loader.load_string(textwrap.dedent(PER_CLIENT_BOOKS))
    assert not errors
    return list(entries)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.sampled_from(["", " ", ".", "-", ",", "'"])),
        min_size=6,
        max_size=6,
    )
)
def test_the_payee_is_the_client_whatever_its_case_and_punctuation(
    spelling: list[tuple[bool, str]],
) -> None:
    payee = "".join(
        (letter.upper() if upper else letter) + mark
        for letter, (upper, mark) in zip("globex", spelling, strict=True)
    )
    line = data.Transaction(
        data.new_metadata("bank.csv", 2),
        datetime.date(2024, 3, 12),
        "*",
        payee,
        "Payment",
        data.EMPTY_SET,
        data.EMPTY_SET,
        [
            data.Posting(
                "Assets:Checking",
                Amount(Decimal("1500.00"), "USD"),
                None,
                None,
                None,
                None,
            )
        ],
    )
    hook = assign_clients_hook()
    ((_, (paid,), *_),) = hook(
        [("bank.csv", [line], "Assets:Checking", None)], _per_client_books()
    )
    assert isinstance(paid, data.Transaction)
    assert postings(paid)[1] == ("Assets:Receivable:Globex", Decimal("-1500.00"))
