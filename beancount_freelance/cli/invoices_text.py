"""The text face of the receivables: `bean-clients invoices`, and the receivables
part of `bean-clients report` and `bean-clients client`.

Formats the receivables objects of the JSON document (per-client `receivables`,
`overdue_invoices`, and the invoice list of document.invoices_document) into
aligned tables. Nothing is computed here: amounts are printed as the documents
spell them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from beancount_freelance.cli.text_report import LINE_WIDTH, NONE, share_text, table

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


def _invoice_cells(invoice: Mapping[str, Any]) -> list[str]:
    """The cells every invoice row starts with: client, link, date, due date."""
    return [
        _text(invoice["client"]),
        _invoice_name(invoice),
        invoice["date"],
        invoice["due"],
    ]


def _invoice_name(invoice: Mapping[str, Any]) -> str:
    """Its link; an invoice without links by the start of its narration."""
    if invoice.get("link"):
        return str(invoice["link"])
    narration = str(invoice.get("narration") or "")
    return narration if len(narration) <= 24 else narration[:23].rstrip() + "…"


def _indented(rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    return [f"  {line}" for line in table(rows, right)]


def overdue_lines(overdue: Sequence[Mapping[str, Any]]) -> list[str]:
    """The overdue invoices, most days late first (the document's order)."""
    if not overdue:
        return ["No overdue invoice."]
    rows = [["Client", "Invoice", "Date", "Due", "Days late", "Open"]]
    for invoice in overdue:
        rows.append(
            [*_invoice_cells(invoice), str(invoice["days_late"]), invoice["open"]]
        )
    right = [False, False, False, False, True, True]
    return ["Overdue invoices, most days late first:", *_indented(rows, right)]


NO_INVOICE = "No invoice: no transaction books revenue against a receivable."
NO_CLIENT_INVOICE = "No invoice belongs to a client: see the warnings."


def client_lines(
    clients: Mapping[str, Mapping[str, Any]], *, aging: bool = True
) -> list[str]:
    """One row per client with invoices: counts, days to pay, open (and aging)."""
    if not clients:
        return [NO_INVOICE]
    buckets = AGING if aging else ()
    header = ["Client", "Invoices", "Paid", "On time", "Avg days", "Median days"]
    rows = [[*header, "Open", "Overdue", *(b.capitalize() for b in buckets)]]
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
                *(found["aging"][bucket] for bucket in buckets),
            ]
        )
    right = [False] + [True] * (len(rows[0]) - 1)
    what = "open amounts by days past due" if aging else "open and overdue amounts"
    return [
        f"Per client (days to pay from invoice to payment; {what}):",
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
                *_invoice_cells(invoice),
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
    if document.get("clients"):
        lines += ["", *client_lines(document["clients"])]
    elif "clients" in document:
        none = NO_CLIENT_INVOICE if document.get("invoices") else NO_INVOICE
        lines += ["", none]
    if document.get("invoices"):
        lines += ["", *invoice_lines(document["invoices"])]
    return "\n".join(lines) + "\n"


def report_receivables_text(document: Mapping[str, Any]) -> str:
    """The receivables part of the report: overdue invoices, then per client.

    Clients in the document's order, those with invoices only; the aging and
    every invoice are left to `bean-clients invoices`. Empty for a document
    without receivables.
    """
    if "overdue_invoices" not in document:
        return ""
    clients = {
        client["id"]: client["receivables"]
        for client in document["clients"]
        if client.get("receivables", {}).get("invoices")
    }
    lines = ["", *overdue_lines(document["overdue_invoices"]), ""]
    lines += client_lines(clients, aging=False)
    if clients:
        lines.append("  Aging and every invoice: bean-clients invoices LEDGER")
    return "\n".join(lines) + "\n"


def client_receivables_text(
    document: Mapping[str, Any],
    client: Mapping[str, Any],
    overdue: Sequence[Mapping[str, Any]],
) -> str:
    """One client's invoices in a sentence, then its overdue invoices."""
    found = client.get("receivables")
    if found is None:
        return ""
    if not found["invoices"]:
        return "\nInvoices: none booked against a receivable account.\n"
    currency = document["currency"]
    average, median = found["days_to_pay_avg"], found["days_to_pay_median"]
    paid = f"{found['paid']} paid"
    if average is not None:
        paid += (
            f" in {_days(average)} days on average ({_days(median)} median), "
            f"{share_text(found['paid_on_time_share'])} on time"
        )
    sentence = (
        f"Invoices: {found['invoices']} issued, {paid}; open {found['open']} "
        f"{currency}, overdue {found['overdue']} {currency}."
    )
    lines = ["", textwrap.fill(sentence, LINE_WIDTH, break_on_hyphens=False)]
    if overdue:
        lines += ["", *overdue_lines(overdue)]
    return "\n".join(lines) + "\n"
