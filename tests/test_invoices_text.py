"""The receivables' text face on hand-written typed receivables.

tests/test_cli.py runs the same formatting on receivables computed from ledgers;
here every value is given, so that the words can be checked against it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount.core import data

from beancount_freelance.cli.invoices_text import (
    client_receivables_text,
    invoices_text,
    report_receivables_text,
)
from beancount_freelance.core.receivables.analysis import (
    ClientReceivables,
    InvoiceAsOf,
    ReceivablesAsOf,
)

D = datetime.date
ZERO = Decimal(0)


def invoice(client: str | None, link: str | None, narration: str = "") -> InvoiceAsOf:
    """1200.00 EUR sent on 2016-01-31, due 2016-03-01, unpaid."""
    entry = data.Transaction(
        {}, D(2016, 1, 31), "*", None, narration, frozenset(), frozenset(), []
    )
    return InvoiceAsOf(
        link=link,
        client=client,
        date=D(2016, 1, 31),
        due=D(2016, 3, 1),
        account="Assets:Receivable",
        currency="EUR",
        amount=Decimal("1200.00"),
        credited=ZERO,
        paid_amount=ZERO,
        balance=Decimal("1200.00"),
        settled=None,
        payments=0,
        rate=Decimal(1),
        entry=entry,
    )


# 45 days late on 2016-04-15.
OVERDUE = invoice("Acme", "inv-7")
# Acme: 4 invoices, 2 paid (20 and 31 days, one on time), 1200 open and overdue.
ACME = ClientReceivables(
    "Acme",
    invoices=4,
    paid=2,
    on_time=1,
    days_to_pay=(20, 31),
    open=Decimal("1200.00"),
    overdue=Decimal("1200.00"),
)
LATE = ClientReceivables("Late", invoices=1, open=Decimal("80.00"))


def receivables(**values: Any) -> ReceivablesAsOf:
    fields: dict[str, Any] = {
        "as_of": D(2016, 4, 15),
        "currency": "EUR",
        "invoices": (OVERDUE,),
        "clients": (ACME, LATE),  # Cash was paid on the spot: no invoice
        "overdue": (OVERDUE,),
        "warnings": (),
    }
    fields.update(values)
    return ReceivablesAsOf(**fields)


FOUND = receivables()
CLIENTS = ("Acme", "Cash", "Late")


def test_report_part_lists_overdue_invoices_then_clients_with_invoices() -> None:
    lines = report_receivables_text(FOUND, CLIENTS).splitlines()
    assert lines[0] == ""
    assert lines[1] == "Overdue invoices, most days late first:"
    overdue = ["Acme", "inv-7", "2016-01-31", "2016-03-01", "45", "1200.00"]
    assert lines[3].split() == overdue
    at = lines.index(
        "Per client (days to pay from invoice to payment; open and overdue amounts):"
    )
    rows = [line.split() for line in lines[at + 2 : at + 4]]
    assert rows == [
        ["Acme", "4", "2", "50.0", "%", "25.5", "25.5", "1200.00", "1200.00"],
        ["Late", "1", "0", "–", "–", "–", "80.00", "0.00"],
    ]
    assert lines[-1] == "  Aging and every invoice: bean-clients invoices LEDGER"


def test_report_part_without_invoices_or_receivables() -> None:
    empty = receivables(overdue=())
    assert report_receivables_text(empty, ["Cash"]).splitlines() == [
        "",
        "No overdue invoice.",
        "",
        "No invoice: no transaction books revenue against a receivable.",
    ]


def test_client_part_in_words() -> None:
    text = client_receivables_text(FOUND, "Acme")
    assert " ".join(text.split()).startswith(
        "Invoices: 4 issued, 2 paid in 25.5 days on average (25.5 median), 50.0 % on "
        "time; open 1200.00 EUR, overdue 1200.00 EUR. Overdue invoices, most days "
        "late first:"
    )
    assert "inv-7" in text
    late = client_receivables_text(FOUND, "Late")
    assert late == "\nInvoices: 1 issued, 0 paid; open 80.00 EUR, overdue 0.00 EUR.\n"
    cash = client_receivables_text(FOUND, "Cash")
    assert cash == "\nInvoices: none booked against a receivable account.\n"


def test_invoices_of_no_client_are_not_announced_as_no_invoice() -> None:
    """Invoices booked, none attributed: the list follows, not "No invoice:"."""
    unlinked = invoice(None, None, "Invoice 201602ab to AB Inc. for February")
    found = receivables(
        as_of=D(2016, 3, 16), invoices=(unlinked,), clients=(), overdue=(unlinked,)
    )
    text = invoices_text(found)
    assert "No invoice:" not in text
    assert "No invoice belongs to a client: see the warnings." in text
    # An invoice without links is named by the start of its narration.
    assert "Invoice 201602ab to AB…" in text
    empty = invoices_text(receivables(invoices=(), clients=(), overdue=()))
    assert "No invoice: no transaction books revenue against a receivable." in empty
