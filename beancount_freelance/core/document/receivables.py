"""The receivables' part of the document: per client, overdue, every invoice,
unapplied credits (docs/receivables.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.core.document.values import date_or_none, optional_amount
from beancount_freelance.core.money import ZERO, amount
from beancount_freelance.core.receivables.analysis import AGING_BUCKETS

if TYPE_CHECKING:
    from beancount_freelance.core.receivables.analysis import ReceivablesAsOf

__all__ = [
    "client_receivables_document",
    "invoices_document",
    "overdue_document",
    "unapplied_document",
]


def client_receivables_document(
    receivables: ReceivablesAsOf, client_id: str
) -> dict[str, Any]:
    """The `receivables` object of one client in the JSON document."""
    item = receivables.client(client_id)
    share = item.paid_on_time_share
    average = item.days_to_pay_avg
    return {
        "invoices": item.invoices,
        "paid": item.paid,
        "paid_on_time_share": None if share is None else round(share, 4),
        "days_to_pay_avg": None if average is None else round(average, 2),
        "days_to_pay_median": item.days_to_pay_median,
        "open": amount(item.open),
        "overdue": amount(item.overdue),
        "aging": {
            bucket: amount(value)
            for bucket, value in zip(AGING_BUCKETS, item.aging, strict=True)
        },
        "last_paid": date_or_none(item.last_paid),
    }


def overdue_document(receivables: ReceivablesAsOf) -> list[dict[str, Any]]:
    """The document's `overdue_invoices`: most days late first."""
    as_of = receivables.as_of
    return [
        {
            "client": invoice.client,
            "link": invoice.link,
            "date": invoice.date.isoformat(),
            "due": invoice.due.isoformat(),
            "days_late": invoice.days_late(as_of),
            "open": amount(invoice.open or ZERO),
            "account": invoice.account,
            "narration": invoice.entry.narration,
        }
        for invoice in receivables.overdue
    ]


def invoices_document(
    receivables: ReceivablesAsOf, client_id: str | None = None
) -> list[dict[str, Any]]:
    """Every invoice (of one client if asked) in issue order, with its status.

    `amount` and `balance` are in the invoice's own `currency`; `open` in the
    reporting currency (null when it cannot be valued); `link` null for an
    invoice without links. Status: `paid`, `cancelled` (by credit notes),
    `written_off`, `overdue` or `open`.
    """
    as_of = receivables.as_of
    return [
        {
            "client": invoice.client,
            "link": invoice.link,
            "date": invoice.date.isoformat(),
            "due": invoice.due.isoformat(),
            "currency": invoice.currency,
            "amount": amount(invoice.amount),
            "balance": amount(invoice.balance),
            "status": invoice.status(as_of),
            "settled": date_or_none(invoice.settled),
            "days_to_pay": invoice.days_to_pay,
            "on_time": invoice.on_time,
            "days_late": invoice.days_late(as_of),
            "open": optional_amount(invoice.open),
            "account": invoice.account,
            "narration": invoice.entry.narration,
        }
        for invoice in receivables.invoices
        if client_id is None or invoice.client == client_id
    ]


def unapplied_document(receivables: ReceivablesAsOf) -> list[dict[str, Any]]:
    """Credits that settle no invoice, per receivable account and currency."""
    return [
        {
            "account": item.account,
            "currency": item.currency,
            "amount": amount(item.amount),
            "credits": item.credits,
            "first": item.first.date.isoformat(),
        }
        for item in receivables.unapplied
    ]
