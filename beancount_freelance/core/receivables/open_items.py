"""The open items of the receivables, as the matching keeps them.

An open item is an invoice line not yet settled (`TrackedInvoice`) or a credit
not yet applied (`Credit`), per receivable account and currency. An invoice is
one line, or several when one transaction debits several receivable accounts of
one client (a line per project): the lines after the first point to it. The
matching (`core.receivables.matching.InvoiceMatching`) owns them while it reads
the ledger and hands back `MatchedInvoices`. docs/receivables.md states the rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount.core import data

    from beancount_freelance.core.ledger.book import FreelanceError

__all__ = [
    "DUE_KEY",
    "ClientKey",
    "Credit",
    "InvoiceLine",
    "InvoiceTotals",
    "Key",
    "MatchedInvoices",
    "TrackedInvoice",
    "Unapplied",
]

DUE_KEY = "due"

Key = tuple[str, str]  # receivable account, currency
_make = tuple.__new__
ClientKey = tuple[str, str, str | None]  # and the client, on a shared account


class InvoiceLine(NamedTuple):
    """An invoice's debit to one receivable account, as of the date."""

    account: str
    currency: str
    amount: Decimal
    balance: Decimal


class InvoiceTotals(NamedTuple):
    """An invoice's figures, its lines added up, in its currency."""

    amount: Decimal
    credited: Decimal
    paid: Decimal
    written_off: Decimal
    balance: Decimal
    settled: datetime.date | None  # when its last line was
    payments: int
    lines: tuple[InvoiceLine, ...]


@dataclass(slots=True)
class TrackedInvoice:
    """An invoice line while its settlements are applied, in its currency.

    `counted` is False for a receivable debit that is no invoice (re-invoiced
    expenses, a refund): its payments settle it, but it is listed nowhere.
    `head` is the invoice's first line for the other lines of a split invoice;
    `lines` lists those other lines on the first one.
    """

    order: int
    entry: data.Transaction
    date: datetime.date  # its entry's, kept here: settling reads it often
    link: str | None
    client: str | None
    due: datetime.date
    account: str
    posting: data.Posting
    currency: str
    amount: Decimal
    balance: Decimal
    counted: bool = True
    keys: tuple[str, ...] = ()  # its invoice numbers (config `invoice_keys`)
    head: TrackedInvoice | None = None
    lines: tuple[TrackedInvoice, ...] = ()
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    written_off: Decimal = ZERO
    payments: int = 0
    settled: datetime.date | None = None

    def totals(self) -> InvoiceTotals:
        """Its figures and its lines': settled when every line is, on the day
        the last one was (on an invoice's first line)."""
        if not self.lines:  # runs once per invoice: built as `_make` would, unchecked
            line = (self.account, self.currency, self.amount, self.balance)
            return _make(
                InvoiceTotals,
                (
                    self.amount,
                    self.credited,
                    self.paid,
                    self.written_off,
                    self.balance,
                    self.settled,
                    self.payments,
                    (_make(InvoiceLine, line),),
                ),
            )
        lines = (self, *self.lines)
        dates = [item.settled for item in lines]
        return InvoiceTotals(
            sum((item.amount for item in lines), ZERO),
            sum((item.credited for item in lines), ZERO),
            sum((item.paid for item in lines), ZERO),
            sum((item.written_off for item in lines), ZERO),
            sum((item.balance for item in lines), ZERO),
            None if None in dates else max(d for d in dates if d is not None),
            sum(item.payments for item in lines),
            tuple(
                InvoiceLine(item.account, item.currency, item.amount, item.balance)
                for item in lines
            ),
        )

    def describe(self) -> str:
        """`Invoice ^link of <date> (<amount>)`, a message said in a message."""
        amount = f"{self.amount} {self.currency}"
        if self.link:
            return message(
                N_("Invoice ^{link} of {date} ({amount})"),
                link=self.link,
                date=self.entry.date,
                amount=amount,
            )
        if self.keys:
            return message(
                N_("Invoice {number} of {date} ({amount})"),
                number=self.keys[0],
                date=self.entry.date,
                amount=amount,
            )
        return message(
            N_("Invoice on {account} of {date} ({amount})"),
            account=self.account,
            date=self.entry.date,
            amount=amount,
        )


@dataclass(slots=True)
class Credit:
    """A receivable credit, or what is left of it once it settled what it could.

    A payment, a credit note (it debits income) or a write-off (its other
    postings are only expenses): only a payment is money received.
    """

    entry: data.Transaction
    account: str
    currency: str
    left: Decimal
    payment: bool
    posting: data.Posting  # its first receivable posting, where its client is read
    write_off: bool = False
    # The invoice numbers it names, read only when needed (most payments name
    # their invoice's link): `InvoiceMatching` reads them.
    keys: tuple[str, ...] = ()
    keys_known: bool = False
    settled_linked: bool = False  # it settled an invoice that has links of its own
    # Who pays, read only when needed (most payments name their invoice's link).
    client: str | None = None
    client_known: bool = False


@dataclass(frozen=True)
class Unapplied:
    """Credits of a receivable account that settle no invoice as of the date."""

    account: str
    currency: str
    amount: Decimal
    credits: int
    first: data.Transaction


@dataclass(frozen=True)
class MatchedInvoices:
    """The invoices' first lines in issue order, what is left unapplied, and the
    problems (what `InvoiceMatching` found)."""

    invoices: tuple[TrackedInvoice, ...]
    unapplied: tuple[Unapplied, ...]
    last_paid: Mapping[str, datetime.date]  # per client: its latest payment
    problems: tuple[FreelanceError, ...]
