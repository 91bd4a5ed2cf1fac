"""The receivables sections of the Clients page: who pays late, and how late.

On the page: the overdue invoices (most days late first), then one row per
client with invoices: counts, on-time share, days to pay, open, overdue and
aging. In the per-client view: its figures, its overdue invoices, then every
invoice it was sent. Built from the report's typed `ReceivablesAsOf`
(`ClientReceivables`, `InvoiceAsOf`): amounts in cents and figures rounded as
the document rounds them, for Fava's formatting.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_
from beancount_freelance.core.money import ZERO, cents, rounded, share
from beancount_freelance.fava_extension.page import Figure, iso
from beancount_freelance.fava_extension.panel import percent
from beancount_freelance.i18n import _, ngettext

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Collection, Mapping, Sequence

    from beancount_freelance.core.receivables.analysis import (
        ClientReceivables,
        InvoiceAsOf,
    )
    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.portfolio import ClientStream

#: The aging buckets' column headings, in AGING_BUCKETS' order.
AGING_HEADINGS = (N_("Current"), N_("1–30 days"), "31–60", "61–90", N_("Over 90"))


@dataclass(frozen=True)
class OverdueRow:
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
    overdue: tuple[OverdueRow, ...]
    clients: tuple[ClientPayments, ...]

    @property
    def aging_headings(self) -> tuple[str, ...]:
        return tuple(_(heading) for heading in AGING_HEADINGS)


@dataclass(frozen=True)
class ClientInvoices:
    """The receivables section of the per-client view."""

    figures: tuple[Figure, ...]
    overdue: tuple[OverdueRow, ...]
    invoices: tuple[InvoiceRow, ...]


def days(value: float | None) -> str:
    """A number of days as the document gives it: 28.19, 26, or "—"."""
    return "—" if value is None else f"{value:g}"


def overdue_invoices(
    report: Report, names: Mapping[str, str], shown: Collection[str]
) -> tuple[OverdueRow, ...]:
    """The overdue invoices of the clients shown, most days late first."""
    as_of = report.receivables.as_of
    return tuple(
        OverdueRow(
            client=invoice.client,
            name=names.get(invoice.client, invoice.client),
            link=invoice.link,
            date=invoice.date.isoformat(),
            due=invoice.due.isoformat(),
            days_late=invoice.days_late(as_of),
            open=cents(invoice.open or ZERO),
            narration=invoice.entry.narration or "",
        )
        for invoice in report.receivables.overdue
        if invoice.client is not None and invoice.client in shown
    )


def receivables_section(
    report: Report, clients: Sequence[ClientStream]
) -> ReceivablesSection:
    """Overdue invoices and per-client figures of `clients`."""
    return ReceivablesSection(
        as_of=report.as_of.isoformat(),
        overdue=overdue_invoices(report, report.names, {c.id for c in clients}),
        clients=tuple(
            _payments(client, paid)
            for client in clients
            if (paid := report.client_receivables(client.id)).invoices
        ),
    )


def _payments(client: ClientStream, found: ClientReceivables) -> ClientPayments:
    return ClientPayments(
        id=client.id,
        name=client.name or client.id,
        invoices=found.invoices,
        paid=found.paid,
        on_time=share(found.paid_on_time_share),
        days_avg=rounded(found.days_to_pay_avg, 2),
        days_median=found.days_to_pay_median,
        open=cents(found.open),
        overdue=cents(found.overdue),
        aging=tuple(cents(value) for value in found.aging),
    )


def client_invoices(
    report: Report, client: ClientStream, money: Callable[[Decimal], str]
) -> ClientInvoices:
    """A client's receivables: figures, overdue invoices, every invoice.

    Every invoice of the client, newest first.
    """
    found = report.client_receivables(client.id)
    names = {client.id: client.name or client.id}
    as_of = report.receivables.as_of
    invoices = report.receivables.invoices_of(client.id)
    return ClientInvoices(
        figures=_figures(found, money),
        overdue=overdue_invoices(report, names, names),
        invoices=tuple(_invoice(invoice, as_of) for invoice in reversed(invoices)),
    )


def _figures(
    found: ClientReceivables, money: Callable[[Decimal], str]
) -> tuple[Figure, ...]:
    median = found.days_to_pay_median
    return (
        Figure(
            _("Invoices"),
            str(found.invoices),
            ngettext("{count} paid", "{count} paid", found.paid).format(
                count=found.paid
            ),
        ),
        Figure(
            _("Paid on time"),
            percent(share(found.paid_on_time_share)),
            _("of those paid"),
        ),
        Figure(
            _("Days to pay"),
            days(rounded(found.days_to_pay_avg, 2)),
            _("on average; median {days}").format(days=days(median))
            if median is not None
            else "",
        ),
        Figure(_("Open"), money(cents(found.open))),
        Figure(_("Overdue"), money(cents(found.overdue))),
    )


def _invoice(invoice: InvoiceAsOf, as_of: datetime.date) -> InvoiceRow:
    found_open = invoice.open
    return InvoiceRow(
        link=invoice.link,
        date=invoice.date.isoformat(),
        due=invoice.due.isoformat(),
        currency=invoice.currency,
        amount=cents(invoice.amount),
        balance=cents(invoice.balance),
        status=invoice.status(as_of),
        settled=iso(invoice.settled),
        days_to_pay=invoice.days_to_pay,
        days_late=invoice.days_late(as_of),
        open=None if found_open is None else cents(found_open),
        narration=invoice.entry.narration or "",
    )
