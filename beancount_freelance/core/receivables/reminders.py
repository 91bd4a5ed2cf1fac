"""Reminders to send: per client, its overdue invoices and the tone to take.

A client gets a reminder when one of its invoices is overdue by at least
`min_days` days at `as_of`; the reminder then lists every overdue invoice of the
client, with what is still due in the invoice's own currency. Its tone follows
the invoice most days late: a first reminder under 30 days, a second one from 30
to 44, a formal notice from 45. Nothing is sent, nor worded here: the faces word
a `Reminder` in the client's language (docs/receivables.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.ledger.config import ReminderSettings
    from beancount_freelance.core.receivables.analysis import (
        InvoiceAsOf,
        ReceivablesAsOf,
    )

__all__ = [
    "FORMAL_FROM_DAYS",
    "SECOND_FROM_DAYS",
    "OverdueInvoice",
    "Reminder",
    "Reminders",
    "Tone",
    "metadata_number",
    "reminders_of",
    "tone_of",
]

Tone = Literal["first", "second", "formal"]
SECOND_FROM_DAYS = 30
FORMAL_FROM_DAYS = 45
EMAIL_KEY = "email"
LANG_KEY = "lang"

Totals = tuple[tuple[str, Decimal], ...]  # (currency, amount), by currency


@dataclass(frozen=True)
class OverdueInvoice:
    """One overdue invoice of a reminder; amounts in the invoice's currency."""

    number: str | None
    date: datetime.date
    due: datetime.date
    currency: str
    due_amount: Decimal
    days_late: int


@dataclass(frozen=True)
class Reminder:
    """What one client is reminded of, and in which tone."""

    client: str
    name: str
    email: str | None
    lang: str | None  # the declaration's `lang:`, over the reader's language
    tone: Tone
    invoices: tuple[OverdueInvoice, ...]  # due date first
    totals: Totals  # the overdue amounts per currency
    not_yet_due: Totals  # open invoices not yet due, mentioned apart

    @property
    def days_late(self) -> int:
        return max(invoice.days_late for invoice in self.invoices)


@dataclass(frozen=True)
class Reminders:
    """Every reminder due at `as_of`, most days late first."""

    as_of: datetime.date
    min_days: int
    settings: ReminderSettings
    reminders: tuple[Reminder, ...]
    warnings: tuple[FreelanceError, ...] = ()


def tone_of(days_late: int) -> Tone:
    """First reminder under 30 days late, second from 30 to 44, formal from 45."""
    if days_late >= FORMAL_FROM_DAYS:
        return "formal"
    if days_late >= SECOND_FROM_DAYS:
        return "second"
    return "first"


def metadata_number(
    meta: Mapping[str, object] | None, keys: Sequence[str]
) -> str | None:
    """The number written under the first of `keys` (config `invoice_keys`) the
    metadata holds, as text (`invoice: 42` too)."""
    for key in keys:
        value = (meta or {}).get(key)
        if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
    return None


def reminders_of(
    receivables: ReceivablesAsOf,
    book: ClientBook,
    settings: ReminderSettings,
    min_days: int = 1,
) -> Reminders:
    """The reminders of every client with an invoice overdue by `min_days` or more."""
    as_of = receivables.as_of
    overdue: dict[str, list[InvoiceAsOf]] = {}
    pending: dict[str, list[InvoiceAsOf]] = {}
    for client, invoice in _open_invoices(receivables.invoices):
        late = overdue if invoice.days_late(as_of) > 0 else pending
        late.setdefault(client, []).append(invoice)
    warnings: list[FreelanceError] = []
    found = [
        _reminder(client, invoices, pending.get(client, ()), as_of, book, warnings)
        for client, invoices in overdue.items()
        if max(invoice.days_late(as_of) for invoice in invoices) >= max(1, min_days)
    ]
    found.sort(key=lambda reminder: (-reminder.days_late, reminder.client))
    return Reminders(as_of, min_days, settings, tuple(found), tuple(warnings))


def _open_invoices(
    invoices: Iterable[InvoiceAsOf],
) -> Iterable[tuple[str, InvoiceAsOf]]:
    """Each invoice of a client still owed something, with its client."""
    for invoice in invoices:
        client = invoice.client
        if client is not None and invoice.settled is None and invoice.balance > ZERO:
            yield client, invoice


def _reminder(
    client: str,
    invoices: list[InvoiceAsOf],
    pending: Iterable[InvoiceAsOf],
    as_of: datetime.date,
    book: ClientBook,
    warnings: list[FreelanceError],
) -> Reminder:
    listed = tuple(
        sorted(
            (
                OverdueInvoice(
                    invoice.number,
                    invoice.date,
                    invoice.due,
                    invoice.currency,
                    invoice.balance,
                    invoice.days_late(as_of),
                )
                for invoice in invoices
            ),
            key=lambda item: (item.due, item.date, item.number or ""),
        )
    )
    declared = book.clients.get(client)
    source = declared.source if declared is not None else None
    return Reminder(
        client=client,
        name=declared.name if declared is not None else client,
        email=_email(source, warnings),
        lang=_text(source, LANG_KEY),
        tone=tone_of(max(item.days_late for item in listed)),
        invoices=listed,
        totals=_totals((item.currency, item.due_amount) for item in listed),
        not_yet_due=_totals((inv.currency, inv.balance) for inv in pending),
    )


def _totals(amounts: Iterable[tuple[str, Decimal]]) -> Totals:
    summed: dict[str, Decimal] = {}
    for currency, value in amounts:
        summed[currency] = summed.get(currency, ZERO) + value
    return tuple(sorted(summed.items()))


def _text(meta: data.Meta | None, key: str) -> str | None:
    value = (meta or {}).get(key)
    return value.strip() or None if isinstance(value, str) else None


def _email(meta: data.Meta | None, warnings: list[FreelanceError]) -> str | None:
    """The declaration's `email:`, when it is one address on one line."""
    value = _text(meta, EMAIL_KEY)
    if value is None or meta is None:
        return None
    if "@" in value and all(char.isprintable() for char in value):
        return value
    warnings.append(
        FreelanceError(
            meta,
            message(
                N_(
                    "The email: metadata must be an address on one line, as "
                    '`email: "billing@example.org"`, not {value!r}; the reminder '
                    "is drafted without a recipient"
                ),
                value=value,
            ),
            None,
        )
    )
    return None
