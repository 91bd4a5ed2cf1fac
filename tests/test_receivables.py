"""Tests of core.receivables.analysis: invoices, payments, days to pay.

Every ledger is small enough to check by hand; the comments do the arithmetic.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from typing import Any

import pytest
from beancount import loader

from beancount_freelance.core.document.receivables import (
    client_receivables_document,
    invoices_document,
    overdue_document,
)
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
2015-01-01 open Assets:Bank
2015-01-01 open Assets:AccountsReceivable
2015-01-01 open Income:Clients:Acme
2015-01-01 open Income:Clients:Brio
2015-01-01 open Income:Misc
"""


def load(text: str, header: str = HEADER) -> tuple[list[Any], dict[str, Any]]:
    entries, errors, options = loader.load_string(header + textwrap.dedent(text))
    assert errors == []
    return entries, options


def analyse(
    text: str, as_of: datetime.date, header: str = HEADER, **kwargs: Any
) -> ReceivablesAsOf:
    entries, options = load(text, header)
    return analyse_receivables(ask(entries, options, as_of=as_of, **kwargs))


def check(text: str, header: str = HEADER) -> list[str]:
    """link_errors as bean-check would print them: `line: message`."""
    entries, options = load(text, header)
    errors = link_errors(ask(entries, options, config=Config(check_links=True)))
    return [f"{error.source['lineno']}: {error.message}" for error in errors]


def line_of(text: str, needle: str) -> int:
    """The line number of `needle` in HEADER + text, as Beancount counts."""
    lines = (HEADER + textwrap.dedent(text)).splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


ON_TIME_AND_LATE = """
2016-01-10 * "Acme" "Invoice 1" ^inv-1
  Assets:AccountsReceivable       1000.00 EUR
  Income:Clients:Acme

2016-02-01 * "Acme" "Payment of invoice 1" ^inv-1
  Assets:Bank                     1000.00 EUR
  Assets:AccountsReceivable

2016-02-01 * "Acme" "Invoice 2" ^inv-2
  due: 2016-02-15
  Assets:AccountsReceivable        500.00 EUR
  Income:Clients:Acme

2016-03-16 * "Acme" "Payment of invoice 2" ^inv-2
  Assets:Bank                      500.00 EUR
  Assets:AccountsReceivable
"""


def test_on_time_and_late() -> None:
    receivables = analyse(ON_TIME_AND_LATE, date(2016, 3, 31))
    first, second = receivables.invoices
    # Invoice 1: 10 Jan + 30 days of terms = due 9 Feb; paid 1 Feb, 22 days.
    assert (first.link, first.due, first.settled) == (
        "inv-1",
        date(2016, 2, 9),
        date(2016, 2, 1),
    )
    assert (first.days_to_pay, first.on_time) == (22, True)
    # Invoice 2: due 15 Feb by its metadata; paid 16 Mar: 29 (Feb) + 15 = 44 days.
    assert (second.due, second.days_to_pay, second.on_time) == (
        date(2016, 2, 15),
        44,
        False,
    )
    assert client_receivables_document(receivables, "Acme") == {
        "invoices": 2,
        "paid": 2,
        "paid_on_time_share": 0.5,
        "days_to_pay_avg": 33.0,  # (22 + 44) / 2
        "days_to_pay_median": 33.0,
        "open": "0.00",
        "overdue": "0.00",
        "aging": {
            "current": "0.00",
            "1-30": "0.00",
            "31-60": "0.00",
            "61-90": "0.00",
            "90+": "0.00",
        },
        "last_paid": "2016-03-16",  # the payment of invoice 2
    }
    assert overdue_document(receivables) == []


def test_client_without_invoices_has_zeros_and_nulls() -> None:
    receivables = analyse(ON_TIME_AND_LATE, date(2016, 3, 31))
    document = client_receivables_document(receivables, "Brio")
    assert document["invoices"] == document["paid"] == 0
    assert document["paid_on_time_share"] is None
    assert document["days_to_pay_avg"] is document["days_to_pay_median"] is None
    assert document["open"] == document["overdue"] == "0.00"
    assert set(document["aging"].values()) == {"0.00"}


PARTIAL = """
2016-01-01 * "Acme" "Invoice" ^part
  Assets:AccountsReceivable        900.00 EUR
  Income:Clients:Acme

2016-01-20 * "Acme" "First instalment" ^part
  Assets:Bank                      400.00 EUR
  Assets:AccountsReceivable

2016-03-01 * "Acme" "Second instalment" ^part
  Assets:Bank                      500.00 EUR
  Assets:AccountsReceivable
"""


def test_partial_payment_stays_open_until_the_balance_is_zero() -> None:
    # Due 31 Jan (1 Jan + 30). On 25 Jan: 900 - 400 = 500 open, not yet due.
    early = analyse(PARTIAL, date(2016, 1, 25)).client("Acme")
    assert (early.invoices, early.paid, early.open, early.overdue) == (
        1,
        0,
        D("500.00"),
        D(0),
    )
    assert early.aging[0] == D("500.00")
    # On 15 Feb it is 15 days past due: 500 in the 1-30 bucket.
    later = analyse(PARTIAL, date(2016, 2, 15))
    assert later.client("Acme").overdue == D("500.00")
    assert later.client("Acme").aging[1] == D("500.00")
    assert overdue_document(later) == [
        {
            "client": "Acme",
            "link": "part",
            "date": "2016-01-01",
            "due": "2016-01-31",
            "days_late": 15,
            "open": "500.00",
            "account": "Assets:AccountsReceivable",
            "narration": "Invoice",
        }
    ]
    # Paid in full on 1 Mar: 31 (Jan) + 29 (Feb 2016) = 60 days, after the due date.
    (invoice,) = analyse(PARTIAL, date(2016, 3, 31)).invoices
    assert (invoice.payments, invoice.paid_amount, invoice.balance) == (
        2,
        D("900.00"),
        D(0),
    )
    assert (invoice.days_to_pay, invoice.on_time) == (60, False)


OVERPAID = """
2016-01-05 * "Acme" "Invoice" ^over
  Assets:AccountsReceivable        300.00 EUR
  Income:Clients:Acme

2016-01-25 * "Acme" "Payment, 50 too much" ^over
  Assets:Bank                      350.00 EUR
  Assets:AccountsReceivable
"""


def test_overpaid_invoice_is_paid_and_reported() -> None:
    receivables = analyse(OVERPAID, date(2016, 2, 1))
    (invoice,) = receivables.invoices
    # Paid 25 Jan, 20 days after 5 Jan; the 50 more than invoiced are an
    # unapplied credit of the receivable, carried to its next invoice.
    assert (invoice.paid, invoice.days_to_pay, invoice.balance) == (True, 20, D(0))
    (unapplied,) = receivables.unapplied
    assert (unapplied.account, unapplied.amount) == (
        "Assets:AccountsReceivable",
        D("50.00"),
    )
    assert check(OVERPAID) == [
        f"{line_of(OVERPAID, 'Payment, 50 too much')}: Invoice ^over of 2016-01-05 "
        "(300.00 EUR) is paid 350.00 EUR: 50.00 EUR more than its amount; check "
        "the amounts or the link"
    ]


def test_overpayment_refunded_brings_the_balance_back_to_zero() -> None:
    refund = """
    2016-02-05 * "Acme" "Refund of the 50 paid too much" ^over
      Assets:AccountsReceivable         50.00 EUR
      Assets:Bank
    """
    (invoice,) = analyse(OVERPAID + textwrap.dedent(refund), date(2016, 2, 10)).invoices
    # 300 - 350 + 50 = 0: still paid on 25 Jan, 300 paid in all.
    assert (invoice.balance, invoice.paid_amount, invoice.settled) == (
        D(0),
        D("300.00"),
        date(2016, 1, 25),
    )


CREDIT_NOTE = """
2016-01-05 * "Acme" "Invoice" ^credit
  Assets:AccountsReceivable       1000.00 EUR
  Income:Clients:Acme

2016-01-15 * "Acme" "Credit note: 200 off" ^credit
  Income:Clients:Acme              200.00 EUR
  Assets:AccountsReceivable

2016-02-10 * "Acme" "Payment of the rest" ^credit
  Assets:Bank                      800.00 EUR
  Assets:AccountsReceivable

2016-03-01 * "Brio" "Invoice sent by mistake" ^cancelled
  Assets:AccountsReceivable        250.00 EUR
  Income:Clients:Brio

2016-03-02 * "Brio" "Credit note cancelling it" ^cancelled
  Income:Clients:Brio              250.00 EUR
  Assets:AccountsReceivable
"""


def test_credit_note_reduces_what_is_owed() -> None:
    receivables = analyse(CREDIT_NOTE, date(2016, 3, 31))
    credited, cancelled = receivables.invoices
    # 1000 - 200 credited - 800 paid = 0 on 10 Feb: 26 (Jan) + 10 = 36 days;
    # due 4 Feb (5 Jan + 30): late.
    assert (credited.credited, credited.paid_amount, credited.balance) == (
        D("200.00"),
        D("800.00"),
        D(0),
    )
    assert (credited.days_to_pay, credited.on_time, credited.payments) == (
        36,
        False,
        1,
    )
    # Cancelled in full by a credit note: nothing was to be paid, not counted.
    assert cancelled.cancelled and not cancelled.paid
    assert receivables.client("Brio").invoices == 0
    assert client_receivables_document(receivables, "Acme")["paid"] == 1
    assert check(CREDIT_NOTE) == []


AGING = """
2016-01-01 * "Brio" "Due on the day of the report" ^age-0
  due: 2016-06-30
  Assets:AccountsReceivable        100.00 EUR
  Income:Clients:Brio

2016-01-01 * "Brio" "One day late" ^age-1
  due: 2016-06-29
  Assets:AccountsReceivable        200.00 EUR
  Income:Clients:Brio

2016-01-01 * "Brio" "Sixty days late" ^age-60
  due: 2016-05-01
  Assets:AccountsReceivable        300.00 EUR
  Income:Clients:Brio

2016-01-01 * "Brio" "Ninety days late" ^age-90
  due: 2016-04-01
  Assets:AccountsReceivable        400.00 EUR
  Income:Clients:Brio

2016-01-01 * "Brio" "Ninety-one days late" ^age-91
  due: 2016-03-31
  Assets:AccountsReceivable        500.00 EUR
  Income:Clients:Brio

2016-07-01 * "Brio" "Paid the day after the report" ^age-91
  Assets:Bank                      500.00 EUR
  Assets:AccountsReceivable

2016-07-02 * "Brio" "Issued after the report" ^later
  Assets:AccountsReceivable        999.00 EUR
  Income:Clients:Brio
"""


def test_open_and_overdue_at_as_of_by_aging_bucket() -> None:
    receivables = analyse(AGING, date(2016, 6, 30))
    document = client_receivables_document(receivables, "Brio")
    # Days past due on 30 Jun: 0; 1; 30 (May) + 30 = 60; 29 + 31 + 30 = 90; 91.
    assert document["aging"] == {
        "current": "100.00",
        "1-30": "200.00",
        "31-60": "300.00",
        "61-90": "400.00",
        "90+": "500.00",
    }
    assert document["invoices"] == 5  # the invoice of 2 July is after as_of
    assert document["paid"] == 0  # the payment of 1 July is after as_of
    assert document["open"] == "1500.00"
    assert document["overdue"] == "1400.00"  # all but the one due on the day
    assert [
        (item["link"], item["days_late"]) for item in overdue_document(receivables)
    ] == [("age-91", 91), ("age-90", 90), ("age-60", 60), ("age-1", 1)]


IN_USD = """
2016-01-01 price USD 0.90 EUR
2016-01-01 open Income:Clients:Globex

2016-03-01 * "Globex" "Invoice in dollars" ^usd-1
  Assets:AccountsReceivable       1000.00 USD
  Income:Clients:Globex          -1000.00 USD

2016-04-15 * "Globex" "Paid in euros at 0.92" ^usd-1
  Assets:Bank                      920.00 EUR
  Assets:AccountsReceivable      -1000.00 USD @ 0.92 EUR
"""


def test_invoice_in_usd_paid_in_eur() -> None:
    # On 1 Apr the 1000 USD are open, valued at the invoice's rate (0.90 on
    # 1 Mar): 900.00 EUR, one day past its due date of 31 Mar.
    receivables = analyse(IN_USD, date(2016, 4, 1))
    (invoice,) = receivables.invoices
    assert (invoice.currency, invoice.balance, invoice.rate) == (
        "USD",
        D("1000.00"),
        D("0.90"),
    )
    assert client_receivables_document(receivables, "Globex")["aging"]["1-30"] == (
        "900.00"
    )
    # The receivable is credited 1000 USD on 15 Apr: paid in 31 + 15 = 45 days.
    paid = analyse(IN_USD, date(2016, 4, 30))
    assert paid.invoices[0].days_to_pay == 45
    assert paid.client("Globex").open == D(0)
    assert check(IN_USD) == []


def test_invoices_document_lists_every_invoice_with_its_status() -> None:
    receivables = analyse(PARTIAL + CREDIT_NOTE, date(2016, 2, 15))
    rows = {row["link"]: row for row in invoices_document(receivables)}
    assert rows["part"] == {
        "client": "Acme",
        "link": "part",
        "date": "2016-01-01",
        "due": "2016-01-31",
        "currency": "EUR",
        "amount": "900.00",
        "balance": "500.00",  # 900 - 400
        "status": "overdue",
        "settled": None,
        "days_to_pay": None,
        "on_time": None,
        "days_late": 15,
        "open": "500.00",
        "account": "Assets:AccountsReceivable",
        "narration": "Invoice",
    }
    assert (rows["credit"]["status"], rows["credit"]["days_to_pay"]) == ("paid", 36)
    assert [row["link"] for row in invoices_document(receivables, "Brio")] == []
    # The Brio invoice of 1 March is after as_of; on 31 March it is cancelled.
    later = analyse(PARTIAL + CREDIT_NOTE, date(2016, 3, 31))
    (brio,) = invoices_document(later, "Brio")
    assert (brio["status"], brio["open"]) == ("cancelled", "0.00")


def test_invoice_that_cannot_be_valued_is_warned_not_dropped() -> None:
    text = """
    2016-01-01 open Income:Clients:Zurich
    2016-03-01 * "Zurich" "Invoice in francs, no price" ^chf-1
      Assets:AccountsReceivable        800.00 CHF
      Income:Clients:Zurich
    """
    receivables = analyse(text, date(2016, 3, 10))
    (warning,) = receivables.warnings
    assert warning.source["lineno"] == line_of(text, "Invoice in francs")
    assert "cannot be valued in EUR" in warning.message
    assert receivables.client("Zurich").invoices == 1
    assert receivables.client("Zurich").open == D(0)


REUSED = """
2016-01-01 * "Acme" "Invoice 7" ^dup
  Assets:AccountsReceivable        100.00 EUR
  Income:Clients:Acme

2016-01-20 * "Acme" "Payment" ^dup
  Assets:Bank                      100.00 EUR
  Assets:AccountsReceivable

2016-02-01 * "Acme" "Invoice 8, with invoice 7's link by mistake" ^dup
  Assets:AccountsReceivable        200.00 EUR
  Income:Clients:Acme

2016-03-01 * "Acme" "Payment" ^dup
  Assets:Bank                      200.00 EUR
  Assets:AccountsReceivable
"""


def test_link_reused_by_mistake_counts_both_and_is_reported() -> None:
    receivables = analyse(REUSED, date(2016, 3, 31))
    first, second = receivables.invoices
    # Oldest open first: 19 days (1 -> 20 Jan), then 29 days (1 Feb -> 1 Mar 2016).
    assert (first.days_to_pay, second.days_to_pay) == (19, 29)
    assert receivables.client("Acme").invoices == 2
    first_line = line_of(REUSED, "Invoice 7")
    assert check(REUSED) == [
        f"{line_of(REUSED, 'Invoice 8')}: Link ^dup already marks the invoice of "
        f"2016-01-01 (<string>:{first_line}); give each invoice its own link "
        "(payments go to the oldest open one first)"
    ]


def test_one_payment_for_two_invoices_settles_the_oldest_first() -> None:
    text = """
    2016-01-01 * "Acme" "Invoice 1" ^a-1
      Assets:AccountsReceivable        100.00 EUR
      Income:Clients:Acme
    2016-01-11 * "Acme" "Invoice 2" ^a-2
      Assets:AccountsReceivable        200.00 EUR
      Income:Clients:Acme
    2016-01-21 * "Acme" "One transfer for both" ^a-1 ^a-2
      Assets:Bank                      250.00 EUR
      Assets:AccountsReceivable
    """
    first, second = analyse(text, date(2016, 1, 31)).invoices
    assert (first.balance, first.days_to_pay) == (D(0), 20)
    assert (second.balance, second.settled) == (D("50.00"), None)


def test_payment_matching_no_invoice_and_payment_before_invoice() -> None:
    text = """
    2016-01-05 * "Acme" "Payment with a typo in its link" ^invoce-1
      Assets:Bank                      100.00 EUR
      Assets:AccountsReceivable
    2016-01-06 * "Acme" "Payment booked before its invoice" ^inv-2
      Assets:Bank                      100.00 EUR
      Assets:AccountsReceivable
    2016-01-07 * "Acme" "Invoice" ^inv-2
      Assets:AccountsReceivable        100.00 EUR
      Income:Clients:Acme
    """
    assert check(text) == [
        f"{line_of(text, 'typo')}: Payment ^invoce-1 credits a receivable but no "
        "invoice carries that link; check the link against the invoice's",
        f"{line_of(text, 'booked before')}: Payment dated 2016-01-06, before "
        "Invoice ^inv-2 of 2016-01-07 (100.00 EUR); check the date or the link",
    ]


def test_unreadable_due_falls_back_to_the_terms() -> None:
    text = """
    2016-01-01 * "Acme" "Invoice" ^due-1
      due: "next week"
      Assets:AccountsReceivable        100.00 EUR
      Income:Clients:Acme
    2016-01-01 * "Acme" "Invoice" ^due-2
      due: "2016-01-15"
      Assets:AccountsReceivable        100.00 EUR
      Income:Clients:Acme
    """
    receivables = analyse(text, date(2016, 1, 2), config=Config(payment_terms_days=10))
    assert [invoice.due for invoice in receivables.invoices] == [
        date(2016, 1, 11),
        date(2016, 1, 15),
    ]
    assert check(text) == [
        f"{line_of(text, 'due-1')}: The due: metadata must be a date, as "
        "`due: 2016-04-30`, not 'next week'; using the payment terms (2016-01-31)"
    ]


def test_invoice_of_no_client_is_warned() -> None:
    text = """
    2016-01-01 * "Someone" "Invoice for nobody" ^misc-1
      Assets:AccountsReceivable        100.00 EUR
      Income:Misc
    """
    receivables = analyse(text, date(2016, 1, 2))
    assert receivables.clients == ()
    (warning,) = receivables.warnings
    assert warning.source["lineno"] == line_of(text, "Invoice for nobody")
    assert "belongs to no client" in warning.message


def test_custom_receivables_account_and_terms() -> None:
    text = """
    2015-01-01 open Assets:Debtors
    2016-01-01 * "Acme" "Invoice" ^deb-1
      Assets:Debtors                   100.00 EUR
      Income:Clients:Acme
    """
    config = Config(receivables="^Assets:Debtors", payment_terms_days=14)
    (invoice,) = analyse(text, date(2016, 1, 2), config=config).invoices
    assert invoice.due == date(2016, 1, 15)
    assert analyse(text, date(2016, 1, 2)).invoices == ()


# Beancount's documented invoice convention (the "Command-line Accounting
# Cookbook"): income to Income:Clients:<Name>, the receivable booked at invoice
# time, a ^invoice-… link shared by the invoice and its payment, amounts left
# for Beancount to fill in, no client declarations.
COOKBOOK = """
2014-01-01 open Assets:AccountsReceivable
2014-01-01 open Assets:BofA:Checking
2014-01-01 open Income:Clients:PanamaNorthernOutdoorCompany
2014-01-01 open Income:Clients:MidwestTeaching

2014-04-15 * "Invoice #1400" ^invoice-pnoc-1400
  Income:Clients:PanamaNorthernOutdoorCompany   -2400.00 USD
  Assets:AccountsReceivable

2014-05-02 * "Check deposit - payment from PNOC" ^invoice-pnoc-1400
  Assets:BofA:Checking                           2400.00 USD
  Assets:AccountsReceivable

2014-05-10 * "Invoice #1401" ^invoice-mwt-1401
  Income:Clients:MidwestTeaching                -1200.00 USD
  Assets:AccountsReceivable

2014-06-30 * "Check deposit - payment from Midwest" ^invoice-mwt-1401
  Assets:BofA:Checking                           1200.00 USD
  Assets:AccountsReceivable

2014-06-01 * "Invoice #1402" ^invoice-pnoc-1402
  Income:Clients:PanamaNorthernOutdoorCompany   -1800.00 USD
  Assets:AccountsReceivable
"""


def test_beancount_cookbook_convention_days_to_pay_by_hand() -> None:
    receivables = analyse(COOKBOOK, date(2014, 7, 15), header="", currency="USD")
    pnoc = client_receivables_document(receivables, "PanamaNorthernOutdoorCompany")
    # #1400: 15 Apr -> 2 May = 15 + 2 = 17 days, due 15 May: on time.
    # #1402: 1 Jun, due 1 Jul, open 1800 USD, 14 days late on 15 Jul.
    assert (pnoc["invoices"], pnoc["paid"], pnoc["paid_on_time_share"]) == (2, 1, 1.0)
    assert (pnoc["days_to_pay_avg"], pnoc["days_to_pay_median"]) == (17.0, 17.0)
    assert (pnoc["open"], pnoc["overdue"]) == ("1800.00", "1800.00")
    assert pnoc["aging"]["1-30"] == "1800.00"
    # #1401: 10 May -> 30 Jun = 21 (May) + 30 (Jun) = 51 days, due 9 Jun: late.
    midwest = client_receivables_document(receivables, "MidwestTeaching")
    assert (midwest["paid"], midwest["paid_on_time_share"]) == (1, 0.0)
    assert midwest["days_to_pay_avg"] == 51.0
    assert overdue_document(receivables) == [
        {
            "client": "PanamaNorthernOutdoorCompany",
            "link": "invoice-pnoc-1402",
            "date": "2014-06-01",
            "due": "2014-07-01",
            "days_late": 14,
            "open": "1800.00",
            "account": "Assets:AccountsReceivable",
            "narration": "Invoice #1402",
        }
    ]
    assert check(COOKBOOK, header="") == []


@pytest.mark.parametrize("as_of", [date(2013, 1, 1), date(2020, 1, 1)])
def test_ledger_without_invoices(as_of: datetime.date) -> None:
    receivables = analyse("", as_of)
    assert receivables.invoices == receivables.clients == receivables.overdue == ()
    assert overdue_document(receivables) == []
