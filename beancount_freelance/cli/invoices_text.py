"""The text face of the receivables: `bean-clients invoices`, and the receivables
part of `bean-clients report` and `bean-clients client`.

Formats the report's typed `ReceivablesAsOf` (per client, overdue, every
`InvoiceAsOf`) into aligned tables. Nothing is computed here: amounts are
printed in cents as the documents spell them.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from beancount_freelance.cli.text_report import LINE_WIDTH, NONE, share_text, table
from beancount_freelance.core.messages import N_
from beancount_freelance.core.money import ZERO, amount, rounded, share
from beancount_freelance.i18n import _, ngettext

if TYPE_CHECKING:
    import datetime
    from collections.abc import Sequence

    from beancount_freelance.core.receivables.analysis import (
        ClientReceivables,
        InvoiceAsOf,
        ReceivablesAsOf,
    )

AGING = (N_("current"), "1-30", "31-60", "61-90", "90+")


def _text(value: bool | int | datetime.date | str | None) -> str:
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


def _invoice_cells(invoice: InvoiceAsOf) -> list[str]:
    """The cells every invoice row starts with: client, link, date, due date."""
    return [
        _text(invoice.client),
        _invoice_name(invoice),
        invoice.date.isoformat(),
        invoice.due.isoformat(),
    ]


def _invoice_name(invoice: InvoiceAsOf) -> str:
    """Its link; an invoice without links by the start of its narration."""
    if invoice.link:
        return invoice.link
    narration = str(invoice.entry.narration or "")
    return narration if len(narration) <= 24 else narration[:23].rstrip() + "…"


def _indented(rows: Sequence[Sequence[str]], right: Sequence[bool]) -> list[str]:
    return [f"  {line}" for line in table(rows, right)]


def overdue_lines(overdue: Sequence[InvoiceAsOf], as_of: datetime.date) -> list[str]:
    """The overdue invoices, most days late first (the core's order)."""
    if not overdue:
        return [_("No overdue invoice.")]
    rows = [[_("Client"), _("Invoice"), _("Date"), _("Due"), _("Days late"), _("Open")]]
    for invoice in overdue:
        rows.append(
            [
                *_invoice_cells(invoice),
                str(invoice.days_late(as_of)),
                amount(invoice.open or ZERO),
            ]
        )
    right = [False, False, False, False, True, True]
    return [_("Overdue invoices, most days late first:"), *_indented(rows, right)]


NO_INVOICE = N_("No invoice: no transaction books revenue against a receivable.")
NO_CLIENT_INVOICE = N_("No invoice belongs to a client: see the warnings.")


def client_lines(
    clients: Sequence[ClientReceivables], *, aging: bool = True
) -> list[str]:
    """One row per client with invoices: counts, days to pay, open (and aging)."""
    if not clients:
        return [_(NO_INVOICE)]
    buckets = AGING if aging else ()
    header = [_("Client"), _("Invoices"), _("Paid"), _("On time"), _("Avg days")]
    header += [_("Median days"), _("Open"), _("Overdue")]
    rows = [[*header, *(_(b).capitalize() for b in buckets)]]
    for found in clients:
        rows.append(
            [
                found.client,
                str(found.invoices),
                str(found.paid),
                share_text(share(found.paid_on_time_share)),
                _days(rounded(found.days_to_pay_avg, 2)),
                _days(found.days_to_pay_median),
                amount(found.open),
                amount(found.overdue),
                *(amount(value) for value in found.aging[: len(buckets)]),
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


def invoice_lines(invoices: Sequence[InvoiceAsOf], as_of: datetime.date) -> list[str]:
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
                f"{amount(invoice.amount)} {invoice.currency}",
                f"{amount(invoice.balance)} {invoice.currency}",
                status_text(invoice.status(as_of)),
                _text(invoice.settled),
                _text(invoice.days_to_pay),
                NONE if invoice.open is None else amount(invoice.open),
            ]
        )
    right = [False] * 4 + [True, True, False, False, True, True]
    return [_("Invoices:"), *_indented(rows, right)]


def invoices_text(found: ReceivablesAsOf, *, overdue_only: bool = False) -> str:
    """The receivables: overdue first, then per client, then every invoice."""
    lines = [
        _("Invoices as of {as_of}, open amounts in {currency}").format(
            as_of=found.as_of, currency=found.currency
        ),
        "",
        *overdue_lines(found.overdue, found.as_of),
    ]
    if overdue_only:
        return "\n".join(lines) + "\n"
    if found.clients:
        lines += ["", *client_lines(found.clients)]
    else:
        none = NO_CLIENT_INVOICE if found.invoices else NO_INVOICE
        lines += ["", none]
    if found.invoices:
        lines += ["", *invoice_lines(found.invoices, found.as_of)]
    return "\n".join(lines) + "\n"


def report_receivables_text(found: ReceivablesAsOf, client_ids: Sequence[str]) -> str:
    """The receivables part of the report: overdue invoices, then per client.

    Clients in the report's order (`client_ids`), those with invoices only; the
    aging and every invoice are left to `bean-clients invoices`.
    """
    clients = [found.client(client_id) for client_id in client_ids]
    invoiced = [client for client in clients if client.invoices]
    lines = ["", *overdue_lines(found.overdue, found.as_of), ""]
    if not invoiced and any(invoice.client is None for invoice in found.invoices):
        # Invoices there are (`bean-clients invoices` lists them): no client.
        lines.append(_(NO_CLIENT_INVOICE))
    else:
        lines += client_lines(invoiced, aging=False)
    if invoiced:
        lines.append("  " + _("Aging and every invoice: bean-clients invoices LEDGER"))
    return "\n".join(lines) + "\n"


def client_receivables_text(receivables: ReceivablesAsOf, client_id: str) -> str:
    """One client's invoices in a sentence, then its overdue invoices."""
    found = receivables.client(client_id)
    if not found.invoices:
        return "\n" + _("Invoices: none booked against a receivable account.") + "\n"
    average, median = rounded(found.days_to_pay_avg, 2), found.days_to_pay_median
    paid = ngettext("{count} paid", "{count} paid", found.paid).format(count=found.paid)
    if average is not None:
        paid = ngettext(
            "{count} paid in {average} days on average ({median} median), "
            "{share} on time",
            "{count} paid in {average} days on average ({median} median), "
            "{share} on time",
            found.paid,
        ).format(
            count=found.paid,
            average=_days(average),
            median=_days(median),
            share=share_text(share(found.paid_on_time_share)),
        )
    sentence = ngettext(
        "Invoices: {count} issued, {paid}; open {open} {currency}, overdue "
        "{overdue} {currency}.",
        "Invoices: {count} issued, {paid}; open {open} {currency}, overdue "
        "{overdue} {currency}.",
        found.invoices,
    ).format(
        count=found.invoices,
        paid=paid,
        open=amount(found.open),
        overdue=amount(found.overdue),
        currency=receivables.currency,
    )
    lines = ["", textwrap.fill(sentence, LINE_WIDTH, break_on_hyphens=False)]
    overdue = [i for i in receivables.overdue if i.client == client_id]
    if overdue:
        lines += ["", *overdue_lines(overdue, receivables.as_of)]
    return "\n".join(lines) + "\n"
