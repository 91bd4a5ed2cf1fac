"""Which credit settles which invoice: links first, then first in, first out.

Each ledger is small enough to check by hand; the comments do the arithmetic.
docs/receivables.md states the rules these tests pin down.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from typing import Any

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.question import ask
from beancount_freelance.core.receivables.analysis import (
    ReceivablesAsOf,
    analyse_receivables,
    link_errors,
)

D = Decimal
date = datetime.date

HEADER = """\
option "operating_currency" "EUR"
2016-01-01 open Assets:Bank
2016-01-01 open Assets:Receivable
2016-01-01 open Assets:Receivable:Acme
2016-01-01 open Assets:Receivable:Brio
2016-01-01 open Equity:Receivable
2016-01-01 open Income:Clients:Acme
2016-01-01 open Income:Clients:Brio
2016-01-01 open Income:Consulting:Acme
"""


def load(text: str) -> tuple[list[Any], dict[str, Any]]:
    entries, errors, options = loader.load_string(HEADER + textwrap.dedent(text))
    assert errors == []
    return entries, options


def analyse(text: str, as_of: datetime.date) -> ReceivablesAsOf:
    entries, options = load(text)
    return analyse_receivables(ask(entries, options, as_of=as_of))


def check(text: str) -> list[str]:
    entries, options = load(text)
    return [
        e.message
        for e in link_errors(ask(entries, options, config=Config(check_links=True)))
    ]


def test_credit_without_link_settles_the_oldest_invoice_of_its_account() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice 1"
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-02-10 * "Acme" "Invoice 2"
      Assets:Receivable:Acme        200.00 EUR
      Income:Clients:Acme
    2016-02-20 * "Acme" "Payment"
      Assets:Bank                   400.00 EUR
      Assets:Receivable:Acme
    """
    receivables = analyse(text, date(2016, 3, 1))
    first, second = receivables.invoices
    # 400 pays invoice 1 (300) on 20 Feb: 41 days; 100 of invoice 2, 100 open.
    assert (first.link, first.settled, first.days_to_pay) == (
        None,
        date(2016, 2, 20),
        41,
    )
    assert (second.balance, second.settled) == (D("100.00"), None)
    assert receivables.client("Acme").last_paid == date(2016, 2, 20)
    assert receivables.warnings == ()


def test_a_shared_link_goes_first_then_the_rest_first_in_first_out() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice 1" ^a-1
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-01-20 * "Acme" "Invoice 2" ^a-2
      Assets:Receivable:Acme        200.00 EUR
      Income:Clients:Acme
    2016-02-01 * "Acme" "Payment of invoice 2" ^a-2
      Assets:Bank                   200.00 EUR
      Assets:Receivable:Acme
    2016-02-05 * "Acme" "Payment, no link"
      Assets:Bank                   300.00 EUR
      Assets:Receivable:Acme
    """
    first, second = analyse(text, date(2016, 3, 1)).invoices
    # ^a-2 pays invoice 2 although invoice 1 is older; the unlinked 300 then
    # settles invoice 1, the oldest still open.
    assert (second.settled, first.settled) == (date(2016, 2, 1), date(2016, 2, 5))


def test_on_a_shared_account_the_payments_client_goes_first() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice"
      Assets:Receivable             300.00 EUR
      Income:Clients:Acme
    2016-01-12 * "Brio" "Invoice"
      Assets:Receivable             500.00 EUR
      Income:Clients:Brio
    2016-02-01 * "Brio" "Payment"
      client: "Brio"
      Assets:Bank                   500.00 EUR
      Assets:Receivable
    """
    acme, brio = analyse(text, date(2016, 2, 1)).invoices
    # Brio's payment settles Brio's invoice, not Acme's older one.
    assert (acme.balance, brio.balance, brio.days_to_pay) == (D("300.00"), D(0), 20)


def test_unapplied_credit_is_carried_to_the_next_invoice() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice 1"
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-02-01 * "Acme" "Payment, 50 too much"
      Assets:Bank                   350.00 EUR
      Assets:Receivable:Acme
    """
    paid = analyse(text, date(2016, 2, 15))
    (unapplied,) = paid.unapplied
    assert (unapplied.account, unapplied.amount, unapplied.credits) == (
        "Assets:Receivable:Acme",
        D("50.00"),
        1,
    )
    (warning,) = paid.warnings
    assert warning.message.startswith(
        "50.00 EUR credited to Assets:Receivable:Acme settles no invoice"
    )
    later = """
    2016-03-01 * "Acme" "Invoice 2"
      Assets:Receivable:Acme        200.00 EUR
      Income:Clients:Acme
    """
    receivables = analyse(text + later, date(2016, 3, 15))
    # Invoice 2 takes the 50 first: 150 open; nothing left unapplied.
    assert receivables.invoices[1].balance == D("150.00")
    assert receivables.unapplied == ()
    assert receivables.warnings == ()


def test_a_credit_that_settles_nothing_is_reported_once_never_applied() -> None:
    text = """
    2016-01-05 * "Acme" "Payment of an invoice never booked"
      Assets:Bank                   100.00 EUR
      Assets:Receivable:Brio
    2016-01-06 * "Acme" "Another"
      Assets:Bank                    20.00 EUR
      Assets:Receivable:Brio
    2016-01-10 * "Acme" "Invoice"
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    """
    receivables = analyse(text, date(2016, 2, 1))
    (invoice,) = receivables.invoices
    assert invoice.balance == D("300.00")  # another account's credit: not applied
    assert [w.message for w in receivables.warnings] == [
        "120.00 EUR credited to Assets:Receivable:Brio settles no invoice (2 "
        "credits from 2016-01-05); kept as an unapplied credit for the account's "
        "next invoice: book the invoices they pay, or check the amounts"
    ]


def test_one_sided_link_on_the_payment_settles_by_fifo_quietly() -> None:
    # hledger's guide: the invoice number in the payment, none on the invoice.
    text = """
    2016-01-10 * "Acme" "Invoice 201601"
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-02-01 * "Acme" "Payment" ^inv-201601
      Assets:Bank                   300.00 EUR
      Assets:Receivable:Acme
    """
    (invoice,) = analyse(text, date(2016, 2, 1)).invoices
    assert (invoice.settled, invoice.days_to_pay) == (date(2016, 2, 1), 22)
    assert check(text) == []


def test_one_sided_link_on_the_invoice_is_settled_by_fifo() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice" ^inv-1
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-02-01 * "Acme" "Payment, no link"
      Assets:Bank                   300.00 EUR
      Assets:Receivable:Acme
    """
    (invoice,) = analyse(text, date(2016, 2, 1)).invoices
    assert (invoice.link, invoice.settled) == ("inv-1", date(2016, 2, 1))
    assert check(text) == []


def test_a_link_that_disagrees_with_the_invoice_it_settles_is_reported() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice" ^inv-1
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-02-01 * "Acme" "Payment, typo in its link" ^inv-l
      Assets:Bank                   300.00 EUR
      Assets:Receivable:Acme
    """
    (invoice,) = analyse(text, date(2016, 2, 1)).invoices
    assert invoice.settled == date(2016, 2, 1)  # first in, first out
    assert check(text) == [
        "Payment ^inv-l credits a receivable but no invoice carries that link; "
        "check the link against the invoice's"
    ]


def test_cash_basis_invoice_against_equity_counts_for_days_to_pay() -> None:
    # The income is booked with the payment (cash basis); the client is the
    # receivable's sub-account.
    text = """
    2016-02-01 * "Acme" "Invoice 2016-02"
      Assets:Receivable:Acme       1000.00 EUR
      Equity:Receivable
    2016-02-15 * "Acme" "Payment of 2016-02"
      Equity:Receivable            1000.00 EUR
      Assets:Receivable:Acme      -1000.00 EUR
      Income:Consulting:Acme      -1000.00 EUR
      Assets:Bank                  1000.00 EUR
    """
    receivables = analyse(text, date(2016, 3, 1))
    (invoice,) = receivables.invoices
    assert (invoice.client, invoice.amount, invoice.days_to_pay) == (
        "Acme",
        D("1000.00"),
        14,
    )
    assert receivables.client("Acme").last_paid == date(2016, 2, 15)


def test_hours_at_the_invoices_own_price_paid_in_dollars() -> None:
    text = """
    2016-01-01 commodity XYZ.WORK_HOUR
    2016-03-01 * "Acme" "7 hours of March"
      Assets:Receivable:Acme        7 XYZ.WORK_HOUR @ 300 USD
      Income:Consulting:Acme
    2016-03-20 * "Acme" "Payment"
      Assets:Bank                  2100 USD
      Assets:Receivable:Acme
    """
    (invoice,) = analyse(text, date(2016, 3, 10)).invoices
    # 7 x 300 = 2100 USD, open on 10 Mar; paid on 20 Mar, 19 days.
    assert (invoice.currency, invoice.amount, invoice.client) == (
        "USD",
        D(2100),
        "Acme",
    )
    assert invoice.settled is None
    (paid,) = analyse(text, date(2016, 3, 31)).invoices
    assert (paid.balance, paid.days_to_pay) == (D(0), 19)


def test_credit_notes_are_not_payments_for_last_paid() -> None:
    text = """
    2016-01-10 * "Acme" "Invoice"
      Assets:Receivable:Acme        300.00 EUR
      Income:Clients:Acme
    2016-01-20 * "Acme" "Payment"
      Assets:Bank                   100.00 EUR
      Assets:Receivable:Acme
    2016-02-01 * "Acme" "Credit note"
      Income:Clients:Acme           200.00 EUR
      Assets:Receivable:Acme
    """
    receivables = analyse(text, date(2016, 3, 1))
    (invoice,) = receivables.invoices
    assert (invoice.paid_amount, invoice.credited, invoice.settled) == (
        D("100.00"),
        D("200.00"),
        date(2016, 2, 1),
    )
    assert receivables.client("Acme").last_paid == date(2016, 1, 20)
    assert receivables.client("Brio").last_paid is None  # no receivable


# --- The invariant, on generated ledgers --------------------------------------

ACCOUNTS = ["Assets:Receivable", "Assets:Receivable:Acme", "Assets:Receivable:Brio"]
CLIENTS = ["Acme", "Brio"]
CURRENCIES = ["EUR", "USD"]
# A line per project under a client's receivable: one invoice over both.
PROJECTS = [f"Assets:Receivable:{c}:{p}" for c in CLIENTS for p in ("Web", "Ops")]


@st.composite
def receivable_ledgers(draw: st.DrawFn) -> str:
    """Invoices (every debit), payments and credit notes, naming their invoice by
    a link, a number in metadata (`invoice:`, on the entry or the posting) or
    not at all; some invoices split over two project accounts of their client."""
    lines = ["2016-01-01 open Income:Other", "2016-01-01 price USD 0.90 EUR"]
    lines += [f"2016-01-01 open {account}" for account in PROJECTS]
    # Each invoice line: its link, its number, its account, its currency.
    invoices: list[tuple[str, str, str, str]] = []
    day = datetime.date(2016, 1, 2)
    for number in range(draw(st.integers(1, 14))):
        day += datetime.timedelta(days=draw(st.integers(0, 20)))
        account = draw(st.sampled_from(ACCOUNTS + PROJECTS))
        currency = draw(st.sampled_from(CURRENCIES))
        amount = draw(st.integers(1, 500))
        kind = draw(st.sampled_from(["invoice", "invoice", "payment", "credit note"]))
        if kind == "invoice":
            lines += _invoice(draw, number, day, account, currency, amount, invoices)
            continue
        link = ""
        meta: list[str] = []
        choice = draw(st.sampled_from(["none", "invoice", "number", "stray"]))
        same = [i for i in invoices if i[2:] == (account, currency)]
        if choice == "invoice" and [i for i in same if i[0]]:
            link = draw(st.sampled_from([i for i in same if i[0]]))[0]
        elif choice == "number" and [i for i in same if i[1]]:
            named = draw(st.sampled_from([i for i in same if i[1]]))[1]
            meta.append(f'  invoice: "{named}"')
        elif choice == "stray":
            link = f"stray-{number}"
        other = "Assets:Bank" if kind == "payment" else "Income:Other"
        if account == "Assets:Receivable" and draw(st.booleans()):
            meta.append(f'  client: "{draw(st.sampled_from(CLIENTS))}"')
        lines += [
            f'{day} * "Someone" "{kind}" {"^" + link if link else ""}',
            *meta,
            f"  {other}  {amount}.00 {currency}",
            f"  {account}",
        ]
    return "\n".join(lines) + "\n"


def _invoice(
    draw: st.DrawFn,
    number: int,
    day: datetime.date,
    account: str,
    currency: str,
    amount: int,
    invoices: list[tuple[str, str, str, str]],
) -> list[str]:
    """An invoice of one line, or of two lines on its client's project accounts."""
    client = draw(st.sampled_from(CLIENTS))
    link = f"i-{number}" if draw(st.booleans()) else ""
    named = f"n-{number}" if draw(st.booleans()) else ""
    accounts = [account]
    if account in PROJECTS and draw(st.booleans()):
        client = account.split(":")[2]
        accounts = [
            f"Assets:Receivable:{client}:Web",
            f"Assets:Receivable:{client}:Ops",
        ]
    on_posting = named and draw(st.booleans())
    text = [f'{day} * "{client}" "Invoice" {"^" + link if link else ""}']
    if named and not on_posting:
        text.append(f'  invoice: "{named}"')
    for index, line in enumerate(accounts):
        invoices.append((link, named, line, currency))
        text.append(f"  {line}  {amount + index}.00 {currency}")
        if on_posting:
            text.append(f'    invoice: "{named}"')
    return [*text, f"  Income:Clients:{client}"]


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(receivable_ledgers(), st.integers(0, 200))
def test_open_invoices_less_unapplied_credits_are_the_accounts_balance(
    text: str, days: int
) -> None:
    entries, options = load(text)
    as_of = datetime.date(2016, 1, 1) + datetime.timedelta(days=days)
    receivables = analyse_receivables(ask(entries, options, as_of=as_of))
    balances: dict[tuple[str, str], Decimal] = {}
    for entry in entries:
        if isinstance(entry, data.Transaction) and entry.date <= as_of:
            for posting in entry.postings:
                if posting.account.startswith("Assets:Receivable"):
                    key = (posting.account, posting.units.currency)
                    balances[key] = balances.get(key, D(0)) + posting.units.number
    found: dict[tuple[str, str], Decimal] = {}
    for invoice in receivables.invoices:
        # Per account: a split invoice's lines each on theirs.
        for line in invoice.lines:
            key = (line.account, line.currency)
            found[key] = found.get(key, D(0)) + line.balance
        assert invoice.balance == sum((line.balance for line in invoice.lines), D(0))
    for item in receivables.unapplied:
        key = (item.account, item.currency)
        found[key] = found.get(key, D(0)) - item.amount
    nonzero = {key: value for key, value in balances.items() if value}
    assert {key: value for key, value in found.items() if value} == nonzero
    # Every invoice's balance is between zero and its amount.
    assert all(D(0) <= inv.balance <= inv.amount for inv in receivables.invoices)


def test_a_credit_note_on_a_shared_account_goes_to_its_clients_invoice() -> None:
    text = """
    2016-01-10 * "Brio" "Invoice"
      Assets:Receivable             500.00 EUR
      Income:Clients:Brio
    2016-01-12 * "Acme" "Invoice"
      Assets:Receivable             300.00 EUR
      Income:Clients:Acme
    2016-01-20 * "Acme" "Credit note: 100 off"
      Income:Clients:Acme           100.00 EUR
      Assets:Receivable
    """
    brio, acme = analyse(text, date(2016, 2, 1)).invoices
    # The credit note debits Acme's income: it reduces Acme's invoice, not
    # Brio's older one.
    assert (brio.balance, acme.balance, acme.credited) == (
        D("500.00"),
        D("200.00"),
        D("100.00"),
    )
