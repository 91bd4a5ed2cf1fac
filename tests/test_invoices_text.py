"""The receivables' text face on hand-written documents of the contract's shape.

tests/test_cli.py runs the same formatting on documents computed from ledgers;
here every value is given, so that the words can be checked against it.
"""

from __future__ import annotations

from typing import Any

from beancount_freelance.cli.invoices_text import (
    client_receivables_text,
    invoices_text,
    report_receivables_text,
)

AGING = ("current", "1-30", "31-60", "61-90", "90+")


def receivables(**values: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "invoices": 0,
        "paid": 0,
        "paid_on_time_share": None,
        "days_to_pay_avg": None,
        "days_to_pay_median": None,
        "open": "0.00",
        "overdue": "0.00",
        "aging": dict.fromkeys(AGING, "0.00"),
    }
    found.update(values)
    return found


OVERDUE = {
    "client": "Acme",
    "link": "inv-7",
    "date": "2016-01-31",
    "due": "2016-03-01",
    "days_late": 45,
    "open": "1200.00",
}
# Acme: 4 invoices, 2 paid (20 and 31 days, one on time), 1200 open and overdue.
ACME = receivables(
    invoices=4,
    paid=2,
    paid_on_time_share=0.5,
    days_to_pay_avg=25.5,
    days_to_pay_median=25.5,
    open="1200.00",
    overdue="1200.00",
)
DOCUMENT: dict[str, Any] = {
    "as_of": "2016-04-15",
    "currency": "EUR",
    "clients": [
        {"id": "Acme", "receivables": ACME},
        {"id": "Cash", "receivables": receivables()},  # paid on the spot
        {"id": "Late", "receivables": receivables(invoices=1, open="80.00")},
    ],
    "overdue_invoices": [OVERDUE],
}


def test_report_part_lists_overdue_invoices_then_clients_with_invoices() -> None:
    lines = report_receivables_text(DOCUMENT).splitlines()
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
    empty = {**DOCUMENT, "clients": DOCUMENT["clients"][1:2], "overdue_invoices": []}
    assert report_receivables_text(empty).splitlines() == [
        "",
        "No overdue invoice.",
        "",
        "No invoice: no transaction books revenue against a receivable.",
    ]
    older = {key: value for key, value in DOCUMENT.items() if key != "overdue_invoices"}
    assert report_receivables_text(older) == ""


def test_client_part_in_words() -> None:
    acme = DOCUMENT["clients"][0]
    text = client_receivables_text(DOCUMENT, acme, [OVERDUE])
    assert " ".join(text.split()).startswith(
        "Invoices: 4 issued, 2 paid in 25.5 days on average (25.5 median), 50.0 % on "
        "time; open 1200.00 EUR, overdue 1200.00 EUR. Overdue invoices, most days "
        "late first:"
    )
    assert "inv-7" in text
    late = client_receivables_text(DOCUMENT, DOCUMENT["clients"][2], [])
    assert late == "\nInvoices: 1 issued, 0 paid; open 80.00 EUR, overdue 0.00 EUR.\n"
    cash = client_receivables_text(DOCUMENT, DOCUMENT["clients"][1], [])
    assert cash == "\nInvoices: none booked against a receivable account.\n"
    assert client_receivables_text(DOCUMENT, {"id": "Acme"}, []) == ""


def test_invoices_of_no_client_are_not_announced_as_no_invoice() -> None:
    """Invoices booked, none attributed: the list follows, not "No invoice:"."""
    unlinked = {
        **OVERDUE,
        "client": None,
        "link": None,
        "narration": "Invoice 201602ab to AB Inc. for February",
        "currency": "EUR",
        "amount": "1200.00",
        "balance": "1200.00",
        "status": "overdue",
        "settled": None,
        "days_to_pay": None,
        "on_time": None,
    }
    document = {
        "as_of": "2016-03-16",
        "currency": "EUR",
        "overdue_invoices": [unlinked],
        "clients": {},
        "invoices": [unlinked],
    }
    text = invoices_text(document)
    assert "No invoice:" not in text
    assert "No invoice belongs to a client: see the warnings." in text
    # An invoice without links is named by the start of its narration.
    assert "Invoice 201602ab to AB…" in text
    empty = invoices_text({**document, "overdue_invoices": [], "invoices": []})
    assert "No invoice: no transaction books revenue against a receivable." in empty
