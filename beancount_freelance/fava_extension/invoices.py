"""The receivables sections of the Clients page: who pays late, and how late.

On the page: the overdue invoices (most days late first), then one row per
client with invoices: counts, on-time share, days to pay, open, overdue and
aging. In the per-client view: its figures, its overdue invoices, then every
invoice it was sent. Built from the document's `receivables` and
`overdue_invoices` and from document.invoices_document, as they are: this
module only turns their amount strings into Decimals for Fava's formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.messages import N_
from beancount_freelance.core.receivables.analysis import AGING_BUCKETS
from beancount_freelance.fava_extension.page import Figure, amount
from beancount_freelance.fava_extension.panel import percent
from beancount_freelance.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence

#: The aging buckets' column headings, in AGING_BUCKETS' order.
AGING_HEADINGS = (N_("Current"), N_("1–30 days"), "31–60", "61–90", N_("Over 90"))


@dataclass(frozen=True)
class OverdueInvoice:
    """One invoice past due and still open at `as_of`."""

    client: str
    name: str
    link: str | None  # None: an invoice without links, shown by its narration
    date: str
    due: str
    days_late: int
    open: Decimal
    narration: str = ""


@dataclass(frozen=True)
class ClientPayments:
    """One client's invoices: how many, how fast paid, what is still owed."""

    id: str
    name: str
    invoices: int
    paid: int
    on_time: float | None
    days_avg: float | None
    days_median: float | None
    open: Decimal
    overdue: Decimal
    aging: tuple[Decimal, ...]


@dataclass(frozen=True)
class InvoiceRow:
    """One invoice of a client, with what became of it."""

    link: str | None  # None: an invoice without links, shown by its narration
    date: str
    due: str
    currency: str
    amount: Decimal
    balance: Decimal
    status: str
    settled: str
    days_to_pay: int | None
    days_late: int
    open: Decimal | None
    narration: str = ""


@dataclass(frozen=True)
class ReceivablesSection:
    """The receivables section of the page."""

    as_of: str
    overdue: tuple[OverdueInvoice, ...]
    clients: tuple[ClientPayments, ...]

    @property
    def aging_headings(self) -> tuple[str, ...]:
        return tuple(_(heading) for heading in AGING_HEADINGS)


@dataclass(frozen=True)
class ClientInvoices:
    """The receivables section of the per-client view."""

    figures: tuple[Figure, ...]
    overdue: tuple[OverdueInvoice, ...]
    invoices: tuple[InvoiceRow, ...]


def days(value: float | None) -> str:
    """A number of days as the document gives it: 28.19, 26, or "—"."""
    return "—" if value is None else f"{value:g}"


def overdue_invoices(
    document: Mapping[str, Any], names: Mapping[str, str], shown: Collection[str]
) -> tuple[OverdueInvoice, ...]:
    """The document's overdue invoices of the clients shown, in its order."""
    return tuple(
        OverdueInvoice(
            client=invoice["client"],
            name=names.get(invoice["client"], invoice["client"]),
            link=invoice["link"],
            date=invoice["date"],
            due=invoice["due"],
            days_late=invoice["days_late"],
            open=amount(invoice["open"]),
            narration=invoice.get("narration") or "",
        )
        for invoice in document.get("overdue_invoices", ())
        if invoice["client"] in shown
    )


def receivables_section(
    document: Mapping[str, Any], clients: Sequence[Mapping[str, Any]]
) -> ReceivablesSection | None:
    """Overdue invoices and per-client figures of `clients` (None: no such keys)."""
    if "overdue_invoices" not in document:
        return None
    names = {c["id"]: c.get("name") or c["id"] for c in document["clients"]}
    return ReceivablesSection(
        as_of=str(document.get("as_of", "")),
        overdue=overdue_invoices(document, names, {c["id"] for c in clients}),
        clients=tuple(
            _payments(client, client["receivables"])
            for client in clients
            if client.get("receivables", {}).get("invoices")
        ),
    )


def _payments(client: Mapping[str, Any], found: Mapping[str, Any]) -> ClientPayments:
    return ClientPayments(
        id=client["id"],
        name=client.get("name") or client["id"],
        invoices=found["invoices"],
        paid=found["paid"],
        on_time=found["paid_on_time_share"],
        days_avg=found["days_to_pay_avg"],
        days_median=found["days_to_pay_median"],
        open=amount(found["open"]),
        overdue=amount(found["overdue"]),
        aging=tuple(amount(found["aging"][bucket]) for bucket in AGING_BUCKETS),
    )


def client_invoices(
    document: Mapping[str, Any],
    client: Mapping[str, Any],
    invoices: Sequence[Mapping[str, Any]],
    money: Callable[[Decimal], str],
) -> ClientInvoices | None:
    """A client's receivables: figures, overdue invoices, every invoice.

    `invoices` in issue order (document.invoices_document); shown newest first.
    """
    found = client.get("receivables")
    if found is None:
        return None
    names = {client["id"]: client.get("name") or client["id"]}
    return ClientInvoices(
        figures=_figures(found, money),
        overdue=overdue_invoices(document, names, names),
        invoices=tuple(_invoice(invoice) for invoice in reversed(invoices)),
    )


def _figures(
    found: Mapping[str, Any], money: Callable[[Decimal], str]
) -> tuple[Figure, ...]:
    median = found["days_to_pay_median"]
    return (
        Figure(
            _("Invoices"),
            str(found["invoices"]),
            ngettext("{count} paid", "{count} paid", found["paid"]).format(
                count=found["paid"]
            ),
        ),
        Figure(
            _("Paid on time"), percent(found["paid_on_time_share"]), _("of those paid")
        ),
        Figure(
            _("Days to pay"),
            days(found["days_to_pay_avg"]),
            _("on average; median {days}").format(days=days(median))
            if median is not None
            else "",
        ),
        Figure(_("Open"), money(amount(found["open"]))),
        Figure(_("Overdue"), money(amount(found["overdue"]))),
    )


def _invoice(invoice: Mapping[str, Any]) -> InvoiceRow:
    found_open = invoice.get("open")
    return InvoiceRow(
        link=invoice["link"],
        date=invoice["date"],
        due=invoice["due"],
        currency=invoice["currency"],
        amount=amount(invoice["amount"]),
        balance=amount(invoice["balance"]),
        status=invoice["status"],
        settled=invoice.get("settled") or "",
        days_to_pay=invoice.get("days_to_pay"),
        days_late=invoice["days_late"],
        open=None if found_open is None else amount(found_open),
        narration=invoice.get("narration") or "",
    )
