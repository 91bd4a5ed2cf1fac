"""Invoices and their payments: who pays, how late, and what is still owed.

An invoice debits a receivable account (config `receivables`) against income
(accrual books) or against Equity (cash-basis books). Later credits to a
receivable settle it (`core.receivables.matching`: its links first, then
its invoice numbers, then first in, first out on its account): a payment, a
credit note when they also debit income, or a write-off against expenses. The
invoice is paid when its balance reaches zero; it is due on its `due:`
metadata, else on its date plus config `payment_terms_days`.
docs/receivables.md states the rules. Pure functions over Beancount's entries,
as of a date: no I/O, never "today".
"""

from __future__ import annotations

import datetime
import functools
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.receivables import problems
from beancount_freelance.core.receivables.matching import InvoiceMatching

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from beancount.core import data

    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
    from beancount_freelance.core.question import Question
    from beancount_freelance.core.receivables.open_items import (
        InvoiceLine,
        TrackedInvoice,
        Unapplied,
    )

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
ONE = Decimal(1)


# --- Values ------------------------------------------------------------------


class InvoiceAsOf(NamedTuple):
    """One invoice and what became of it by `as_of`, in its receivable's currency.

    `link` is None for an invoice without links; `number` is its link, else its
    invoice number (config `invoice_keys`), else None. Hours billed `@` a price
    are in the price's currency. An invoice over several receivable accounts of
    one client has a line per account (`lines`), its `account` the client's
    receivable. A named tuple: as immutable as a frozen dataclass, and a ledger
    makes thousands (a frozen dataclass takes several times as long).
    """

    link: str | None
    client: str | None
    date: datetime.date
    due: datetime.date
    account: str
    currency: str
    amount: Decimal
    credited: Decimal
    paid_amount: Decimal
    balance: Decimal
    settled: datetime.date | None
    payments: int
    rate: Decimal | None
    entry: data.Transaction
    number: str | None = None
    written_off_amount: Decimal = ZERO
    lines: tuple[InvoiceLine, ...] = ()

    @property
    def written_off(self) -> bool:
        """Closed by a write-off (a credit against expenses alone): not paid."""
        return self.settled is not None and self.written_off_amount > ZERO

    @property
    def paid(self) -> bool:
        """Its balance reached zero, and at least one payment went into it."""
        return self.settled is not None and self.payments > 0 and not self.written_off

    @property
    def cancelled(self) -> bool:
        """Credit notes alone brought its balance to zero: nothing was to be paid."""
        return self.settled is not None and self.payments == 0 and not self.written_off

    @property
    def days_to_pay(self) -> int | None:
        return (self.settled - self.date).days if self.paid and self.settled else None

    @property
    def on_time(self) -> bool | None:
        if not self.paid or self.settled is None:
            return None
        return self.settled <= self.due

    def days_late(self, as_of: datetime.date) -> int:
        """Days past due at `as_of` while open; an invoice due on `as_of` is 0."""
        return max(0, (as_of - self.due).days) if self.settled is None else 0

    def status(self, as_of: datetime.date) -> str:
        """`paid`, `cancelled`, `written_off`, `overdue` (past due at `as_of`) or
        `open`."""
        if self.settled is not None:
            if self.written_off_amount:
                return "written_off"
            return "paid" if self.payments else "cancelled"
        return "overdue" if self.days_late(as_of) else "open"

    @property
    def open(self) -> Decimal | None:
        """What is still owed, in the reporting currency (None: no rate)."""
        if self.settled is not None:
            return ZERO
        return None if self.rate is None else self.balance * self.rate


@dataclass(frozen=True, slots=True)
class ClientReceivables:
    """One client's invoices as of a date; amounts in the reporting currency."""

    client: str
    invoices: int = 0
    paid: int = 0
    on_time: int = 0
    days_to_pay: tuple[int, ...] = ()
    open: Decimal = ZERO
    overdue: Decimal = ZERO
    aging: tuple[Decimal, ...] = (ZERO,) * len(AGING_BUCKETS)
    last_paid: datetime.date | None = None  # the latest payment into its receivables

    @property
    def paid_on_time_share(self) -> float | None:
        return self.on_time / self.paid if self.paid else None

    @property
    def days_to_pay_avg(self) -> float | None:
        return statistics.fmean(self.days_to_pay) if self.days_to_pay else None

    @property
    def days_to_pay_median(self) -> float | None:
        if not self.days_to_pay:
            return None
        return float(statistics.median(self.days_to_pay))


@dataclass(frozen=True)
class ReceivablesAsOf:
    """Every invoice of a ledger as of a date, per client, and the overdue ones."""

    as_of: datetime.date
    currency: str
    invoices: tuple[InvoiceAsOf, ...]
    clients: tuple[ClientReceivables, ...]
    overdue: tuple[InvoiceAsOf, ...]
    warnings: tuple[FreelanceError, ...]
    # Credits that settle no invoice yet, per receivable account and currency.
    unapplied: tuple[Unapplied, ...] = ()
    last_paid: Mapping[str, datetime.date] = field(default_factory=dict)

    def client(self, client_id: str) -> ClientReceivables:
        """A client's figures; zeros for a client with no invoice."""
        found = self._by_client.get(client_id)
        if found is not None:
            return found
        return ClientReceivables(client_id, last_paid=self.last_paid.get(client_id))

    @functools.cached_property
    def _by_client(self) -> dict[str, ClientReceivables]:
        # Asked once per client of the document: a search each time would
        # cost the square of the clients (25 million steps for 5,000).
        return {item.client: item for item in reversed(self.clients)}

    def invoices_of(self, client_id: str) -> tuple[InvoiceAsOf, ...]:
        return tuple(inv for inv in self.invoices if inv.client == client_id)


# --- The analysis ------------------------------------------------------------


def analyse_receivables(question: Question) -> ReceivablesAsOf:
    """Every invoice issued up to the question's `as_of`, with the settlements
    dated up to it, valued in its currency."""
    scan, as_of, currency = question.scan, question.as_of, question.currency
    matching = InvoiceMatching.read(
        scan.receivable_entries,
        scan.config,
        as_of,
        scan.rates,
        scan.invoice_clients,
        scan.receivable_accounts,
    )
    warnings = list(matching.problems)
    invoices = tuple(
        _frozen(
            matching.invoices, currency, scan.rates, scan.receivable_accounts, warnings
        )
    )
    grouped, overdue = _by_client(invoices, as_of)
    return ReceivablesAsOf(
        as_of=as_of,
        currency=currency,
        invoices=invoices,
        clients=tuple(
            _client_figures(client, grouped[client], as_of, matching.last_paid)
            for client in sorted(grouped)
        ),
        overdue=tuple(overdue),
        warnings=tuple(sorted(warnings, key=_position)),
        unapplied=matching.unapplied,
        last_paid=matching.last_paid,
    )


def _frozen(
    matched: Iterable[TrackedInvoice],
    currency: str,
    rates: Rates,
    accounts: ReceivableAccounts,
    warnings: list[FreelanceError],
) -> Iterator[InvoiceAsOf]:
    """Each invoice as of the date, valued in `currency` (runs once per invoice).

    An invoice over several accounts is on its client's receivable."""
    make = tuple.__new__  # as `InvoiceAsOf._make` builds one, minus its checks
    for tracked in matched:
        amount, credited, paid, written_off, balance, settled, payments, lines = (
            tracked.totals()
        )
        rate = None
        if tracked.currency == currency:
            rate = ONE  # the receivable posting is in `currency`
        elif settled is None:
            rate = _invoice_rate(tracked, currency, rates)
        if rate is None and settled is None:
            warnings.append(problems.not_valued(tracked, currency))
        if tracked.client is None:
            warnings.append(problems.no_client(tracked))
        account = tracked.account
        if tracked.lines:
            account = accounts.client_root(account)
        yield make(
            InvoiceAsOf,
            (
                tracked.link,
                tracked.client,
                tracked.date,
                tracked.due,
                account,
                tracked.currency,
                amount,
                credited,
                paid,
                balance,
                settled,
                payments,
                rate,
                tracked.entry,
                tracked.link or (tracked.keys[0] if tracked.keys else None),
                written_off,
                lines,
            ),
        )


def _invoice_rate(
    invoice: TrackedInvoice, currency: str, rates: Rates
) -> Decimal | None:
    """One unit of an invoice's currency in `currency`: its own `@` price first."""
    posting, date = invoice.posting, invoice.date
    units = posting.units
    if units is not None and units.currency == invoice.currency:
        return rates.posting_rate(posting, currency, date)
    return rates.rate(invoice.currency, currency, date)  # hours at their price


def _by_client(
    invoices: Iterable[InvoiceAsOf], as_of: datetime.date
) -> tuple[dict[str, list[InvoiceAsOf]], list[InvoiceAsOf]]:
    """The invoices of each client, but the cancelled ones (settled by credit
    notes alone); and the overdue ones, most days late first. One pass."""
    grouped: dict[str, list[InvoiceAsOf]] = {}
    overdue: list[InvoiceAsOf] = []
    for invoice in invoices:
        client = invoice.client
        if client is None:
            continue
        if invoice.settled is None:
            # Past due (due before as_of) and open: days_late > 0, open > 0.
            rate = invoice.rate
            if invoice.due < as_of and rate is not None and invoice.balance * rate > 0:
                overdue.append(invoice)
        elif not (invoice.payments or invoice.written_off_amount):
            continue  # cancelled
        found = grouped.get(client)
        if found is None:
            grouped[client] = [invoice]
        else:
            found.append(invoice)
    overdue.sort(key=lambda inv: (-inv.days_late(as_of), inv.date, inv.link or ""))
    return grouped, overdue


def _client_figures(
    client: str,
    invoices: list[InvoiceAsOf],
    as_of: datetime.date,
    last_paid: Mapping[str, datetime.date],
) -> ClientReceivables:
    """One client's figures: its invoices' fields read directly (hot loop)."""
    aging = [ZERO] * len(AGING_BUCKETS)
    overdue = ZERO
    paid = on_time = 0
    days_to_pay = []
    for invoice in invoices:
        settled = invoice.settled
        if settled is not None:
            if invoice.payments and not invoice.written_off_amount:  # paid
                paid += 1
                on_time += settled <= invoice.due
                days_to_pay.append((settled - invoice.date).days)
            continue
        if invoice.rate is None:
            continue
        amount = invoice.balance * invoice.rate
        late = max(0, (as_of - invoice.due).days)
        aging[_bucket(late)] += amount
        if late > 0:
            overdue += amount
    return ClientReceivables(
        client=client,
        invoices=len(invoices),
        paid=paid,
        on_time=on_time,
        days_to_pay=tuple(days_to_pay),
        open=sum(aging, ZERO),
        overdue=overdue,
        aging=tuple(aging),
        last_paid=last_paid.get(client),
    )


def _bucket(days_late: int) -> int:
    """Index in AGING_BUCKETS: current, 1-30, 31-60, 61-90, 90+ days past due."""
    for index, limit in enumerate((0, 30, 60, 90)):
        if days_late <= limit:
            return index
    return len(AGING_BUCKETS) - 1


# --- The plugin check ----------------------------------------------------------


def link_errors(question: Question) -> list[FreelanceError]:
    """The opt-in `check_links` check of the plugin, over the whole ledger.

    Reports a payment whose link matches no invoice (unless it settles an
    invoice without links: links kept on the payment side only), a payment dated
    before its invoice, an invoice paid (or credited) more than its amount, a link
    shared by two invoices, an unreadable `due:`, a settlement that cannot be
    converted, and credits that settle no invoice.
    """
    scan = question.scan
    matching = InvoiceMatching.read(
        scan.receivable_entries,
        question.config,
        None,
        scan.rates,
        scan.invoice_clients,
        scan.receivable_accounts,
    )
    return sorted(matching.problems, key=_position)


def _position(error: FreelanceError) -> tuple[str, int]:
    return str(error.source.get("filename", "")), int(error.source.get("lineno", 0))
