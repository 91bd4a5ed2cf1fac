"""The text face of the receivables: what `bean-clients invoices` prints.

Formats the receivables objects of the JSON document (per-client `receivables`,
`overdue_invoices`, and the invoice list of receivables.invoices_document) into
aligned tables. Nothing is computed here: amounts are printed as the documents
spell them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from beancount_freelance.text_report import NONE, share_text, table

AGING = ("current", "1-30", "31-60", "61-90", "90+")


def _text(value: Any) -> str:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _days(value: float | None) -> str:
    if value is None:
        return NONE
    return f"{value:g}"


def _indented(rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    return [f"  {line}" for line in table(rows, right)]


def overdue_lines(overdue: Sequence[Mapping[str, Any]]) -> list[str]:
    """The overdue invoices, most days late first (the document's order)."""
    if not overdue:
        return ["No overdue invoice."]
    rows = [["Client", "Invoice", "Date", "Due", "Days late", "Open"]]
    for invoice in overdue:
        rows.append(
            [
                _text(invoice["client"]),
                invoice["link"],
                invoice["date"],
                invoice["due"],
                str(invoice["days_late"]),
                invoice["open"],
            ]
        )
    right = [False, False, False, False, True, True]
    return ["Overdue invoices, most days late first:", *_indented(rows, right)]


def client_lines(clients: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One row per client with invoices: counts, days to pay, open and aging."""
    if not clients:
        return ["No invoice: no transaction books revenue against a receivable."]
    aging = [bucket.capitalize() for bucket in AGING]
    header = ["Client", "Invoices", "Paid", "On time", "Avg days", "Median days"]
    rows = [[*header, "Open", "Overdue", *aging]]
    for client_id, found in clients.items():
        rows.append(
            [
                client_id,
                str(found["invoices"]),
                str(found["paid"]),
                share_text(found["paid_on_time_share"]),
                _days(found["days_to_pay_avg"]),
                _days(found["days_to_pay_median"]),
                found["open"],
                found["overdue"],
                *(found["aging"][bucket] for bucket in AGING),
            ]
        )
    right = [False] + [True] * (len(rows[0]) - 1)
    return [
        "Per client (days to pay from invoice to payment; open amounts by days past "
        "due):",
        *_indented(rows, right),
    ]


def invoice_lines(invoices: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every invoice in issue order; amount and balance in its own currency."""
    if not invoices:
        return []
    header = ["Client", "Invoice", "Date", "Due", "Amount", "Balance", "Status"]
    rows = [[*header, "Settled", "Days to pay", "Open"]]
    for invoice in invoices:
        rows.append(
            [
                _text(invoice["client"]),
                invoice["link"],
                invoice["date"],
                invoice["due"],
                f"{invoice['amount']} {invoice['currency']}",
                f"{invoice['balance']} {invoice['currency']}",
                invoice["status"],
                _text(invoice["settled"]),
                _text(invoice["days_to_pay"]),
                _text(invoice["open"]),
            ]
        )
    right = [False] * 4 + [True, True, False, False, True, True]
    return ["Invoices:", *_indented(rows, right)]


def invoices_text(document: Mapping[str, Any]) -> str:
    """The receivables: overdue first, then per client, then every invoice."""
    lines = [
        f"Invoices as of {document['as_of']}, open amounts in {document['currency']}",
        "",
        *overdue_lines(document["overdue_invoices"]),
    ]
    if "clients" in document:
        lines += ["", *client_lines(document["clients"])]
    if document.get("invoices"):
        lines += ["", *invoice_lines(document["invoices"])]
    return "\n".join(lines) + "\n"
