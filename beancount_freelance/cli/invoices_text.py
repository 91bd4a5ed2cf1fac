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
from beancount_freelance.i18n import N_, _, ngettext

AGING = (N_("current"), "1-30", "31-60", "61-90", "90+")


def _text(value: Any) -> str:
    if value is None:
        return NONE
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


#: An invoice's `status` (the document's value) as the table says it.
STATUS_TEXT = {
    "paid": N_("paid"),
    "open": N_("open"),
    "overdue": N_("overdue"),
    "cancelled": N_("cancelled"),
    "written_off": N_("written off"),
}


def status_text(status: str) -> str:
    found = STATUS_TEXT.get(status)
    return _(found) if found is not None else status


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
        return [_("No overdue invoice.")]
    rows = [[_("Client"), _("Invoice"), _("Date"), _("Due"), _("Days late"), _("Open")]]
    for invoice in overdue:
        rows.append(
            [*_invoice_cells(invoice), str(invoice["days_late"]), invoice["open"]]
        )
    right = [False, False, False, False, True, True]
    return [_("Overdue invoices, most days late first:"), *_indented(rows, right)]


NO_INVOICE = N_("No invoice: no transaction books revenue against a receivable.")
NO_CLIENT_INVOICE = N_("No invoice belongs to a client: see the warnings.")


def client_lines(
    clients: Mapping[str, Mapping[str, Any]], *, aging: bool = True
) -> list[str]:
    """One row per client with invoices: counts, days to pay, open (and aging)."""
    if not clients:
        return [_(NO_INVOICE)]
    buckets = AGING if aging else ()
    header = [_("Client"), _("Invoices"), _("Paid"), _("On time"), _("Avg days")]
    header += [_("Median days"), _("Open"), _("Overdue")]
    rows = [[*header, *(_(b).capitalize() for b in buckets)]]
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
    what = (
        _("open amounts by days past due") if aging else _("open and overdue amounts")
    )
    return [
        _("Per client (days to pay from invoice to payment; {what}):").format(
            what=what
        ),
        *_indented(rows, right),
    ]


def invoice_lines(invoices: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every invoice in issue order; amount and balance in its own currency."""
    if not invoices:
        return []
    header = [_("Client"), _("Invoice"), _("Date"), _("Due"), _("Amount")]
    header += [_("Balance"), _("Status"), _("Settled"), _("Days to pay"), _("Open")]
    rows = [header]
    for invoice in invoices:
        rows.append(
            [
                *_invoice_cells(invoice),
                f"{invoice['amount']} {invoice['currency']}",
                f"{invoice['balance']} {invoice['currency']}",
                status_text(invoice["status"]),
                _text(invoice["settled"]),
                _text(invoice["days_to_pay"]),
                _text(invoice["open"]),
            ]
        )
    right = [False] * 4 + [True, True, False, False, True, True]
    return [_("Invoices:"), *_indented(rows, right)]


def invoices_text(document: Mapping[str, Any]) -> str:
    """The receivables: overdue first, then per client, then every invoice."""
    lines = [
        _("Invoices as of {as_of}, open amounts in {currency}").format(
            as_of=document["as_of"], currency=document["currency"]
        ),
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
        lines.append("  " + _("Aging and every invoice: bean-clients invoices LEDGER"))
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
        return "\n" + _("Invoices: none booked against a receivable account.") + "\n"
    currency = document["currency"]
    average, median = found["days_to_pay_avg"], found["days_to_pay_median"]
    paid = ngettext("{count} paid", "{count} paid", found["paid"]).format(
        count=found["paid"]
    )
    if average is not None:
        paid = ngettext(
            "{count} paid in {average} days on average ({median} median), "
            "{share} on time",
            "{count} paid in {average} days on average ({median} median), "
            "{share} on time",
            found["paid"],
        ).format(
            count=found["paid"],
            average=_days(average),
            median=_days(median),
            share=share_text(found["paid_on_time_share"]),
        )
    sentence = ngettext(
        "Invoices: {count} issued, {paid}; open {open} {currency}, overdue "
        "{overdue} {currency}.",
        "Invoices: {count} issued, {paid}; open {open} {currency}, overdue "
        "{overdue} {currency}.",
        found["invoices"],
    ).format(
        count=found["invoices"],
        paid=paid,
        open=found["open"],
        overdue=found["overdue"],
        currency=currency,
    )
    lines = ["", textwrap.fill(sentence, LINE_WIDTH, break_on_hyphens=False)]
    if overdue:
        lines += ["", *overdue_lines(overdue)]
    return "\n".join(lines) + "\n"
