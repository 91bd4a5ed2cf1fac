"""A client's statement of account: every posting to its receivables, in order.

The lines are the postings to the client's receivable accounts (its own
`Assets:Receivable:<client>`, and on a shared receivable those that belong to
it), each an invoice, a payment, a credit note, a write-off or something else,
with the running balance; invoices come before payments on the same day, and
each currency has its own statement. The opening balance is the balance the day
before the period; the closing balance is the accounts' balance at its end, as
Beancount sums it; on a shared receivable, the client's open invoices less what
its own credits leave unapplied (docs/receivables.md). Pure functions over
Beancount's entries, as of a date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from beancount.core.amount import Amount
from beancount.core.position import Cost

from beancount_freelance.core.money import ZERO
from beancount_freelance.core.receivables.reminders import metadata_number

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.scan import Scan
    from beancount_freelance.core.receivables.analysis import (
        InvoiceAsOf,
        ReceivablesAsOf,
    )

__all__ = ["LineKind", "Statement", "StatementLine", "Statements", "statements_of"]

LineKind = Literal["invoice", "payment", "credit_note", "write_off", "other"]
CLIENT_KEY = "client"
EQUITY_ROOT = "Equity"
EXPENSES_ROOT = "Expenses"


@dataclass(frozen=True)
class StatementLine:
    """One posting to a client's receivable, and the balance after it."""

    date: datetime.date
    kind: LineKind
    reference: str  # the invoice's number, else the links, else the narration
    amount: Decimal  # positive: the client owes more
    balance: Decimal
    account: str
    entry: data.Transaction = field(compare=False, repr=False)


@dataclass(frozen=True)
class Statement:
    """One currency of a client's statement, from `start` to `end` inclusive."""

    client: str
    start: datetime.date | None  # None: from the first entry
    end: datetime.date
    currency: str
    opening: Decimal
    lines: tuple[StatementLine, ...]
    closing: Decimal
    # On a shared receivable: what payments naming no client settled of the
    # client's invoices (the lines' balance less the closing balance).
    settled_unnamed: Decimal = ZERO


@dataclass(frozen=True)
class Statements:
    """A client's statements, one per currency (alphabetical)."""

    client: str
    start: datetime.date | None
    end: datetime.date
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class _Posting:
    """A receivable posting of the client, valued, before the running balance."""

    date: datetime.date
    kind: LineKind
    reference: str
    amount: Decimal
    currency: str
    account: str
    shared: bool
    entry: data.Transaction


def statements_of(
    scan: Scan,
    receivables: ReceivablesAsOf,
    client: str,
    start: datetime.date | None = None,
) -> Statements:
    """The client's statements up to the receivables' `as_of`, from `start`."""
    end = receivables.as_of
    invoices = _invoices_by_entry(receivables.invoices)
    own_links = {
        link for inv in receivables.invoices_of(client) for link in inv.entry.links
    }
    postings = sorted(
        _client_postings(scan, client, end, invoices, own_links),
        key=lambda item: (item.date, item.kind != "invoice"),
    )
    currencies = sorted({item.currency for item in postings})
    open_shared = _open_on_shared(receivables.invoices_of(client), scan)
    statements = tuple(
        _statement(
            client,
            start,
            end,
            currency,
            [item for item in postings if item.currency == currency],
            open_shared.get(currency),
        )
        for currency in currencies
    )
    return Statements(client, start, end, statements)


def _invoices_by_entry(
    invoices: Iterable[InvoiceAsOf],
) -> dict[int, list[InvoiceAsOf]]:
    found: dict[int, list[InvoiceAsOf]] = {}
    for invoice in invoices:
        found.setdefault(id(invoice.entry), []).append(invoice)
    return found


def _client_postings(
    scan: Scan,
    client: str,
    end: datetime.date,
    invoices: Mapping[int, list[InvoiceAsOf]],
    own_links: set[str],
) -> Iterable[_Posting]:
    accounts = scan.receivable_accounts
    for item in scan.receivable_entries:
        entry = item.entry
        if entry.date > end:
            break
        for index in item.receivables:
            posting = entry.postings[index]
            named = accounts.client_of(posting.account)
            shared = named is None
            if shared:
                named = _shared_owner(entry, posting, scan, invoices, own_links, client)
            if named != client:
                continue
            valued = _valued(posting, scan)
            if valued is None:
                continue
            amount, currency = valued
            yield _Posting(
                date=entry.date,
                kind=_kind(entry, posting, amount, invoices, scan),
                reference=_reference(
                    entry, posting, invoices, scan.config.invoice_keys
                ),
                amount=amount,
                currency=currency,
                account=posting.account,
                shared=shared,
                entry=entry,
            )


def _shared_owner(
    entry: data.Transaction,
    posting: data.Posting,
    scan: Scan,
    invoices: Mapping[int, list[InvoiceAsOf]],
    own_links: set[str],
    client: str,
) -> str | None:
    """Who a posting to a shared receivable belongs to, when the books say it:
    its `client:` (or its transaction's), its invoice's client, the client its
    transaction's income is attributed to, else a link to one of `client`'s
    invoices."""
    for meta in (posting.meta, entry.meta):
        value = (meta or {}).get(CLIENT_KEY)
        if isinstance(value, str):
            return value
    for invoice in invoices.get(id(entry), ()):
        if invoice.account == posting.account and invoice.client is not None:
            return invoice.client
    attributed = scan.invoice_clients.get(id(entry))
    if attributed is not None:
        return attributed
    return client if entry.links & own_links else None


def _valued(posting: data.Posting, scan: Scan) -> tuple[Decimal, str] | None:
    """Its units; hours (units that are not money) at their own `@` price."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    price: Amount | Cost | None = posting.price
    if price is None and isinstance(posting.cost, Cost):
        price = posting.cost
    if (
        price is not None
        and isinstance(price.number, Decimal)
        and isinstance(price.currency, str)
        and not scan.rates.is_money(units.currency)
    ):
        return units.number * price.number, price.currency
    return units.number, str(units.currency)


def _kind(
    entry: data.Transaction,
    posting: data.Posting,
    amount: Decimal,
    invoices: Mapping[int, list[InvoiceAsOf]],
    scan: Scan,
) -> LineKind:
    roots = {other.account.split(":", 1)[0] for other in entry.postings}
    income_root = scan.config.roots[0]
    if amount > ZERO:
        if any(inv.account == posting.account for inv in invoices.get(id(entry), ())):
            return "invoice"
        return "other"
    if _debits(entry, income_root):
        return "credit_note"
    if EXPENSES_ROOT in roots:
        return "write_off"
    if _pays(entry, posting, scan):
        return "payment"
    return "other"


def _debits(entry: data.Transaction, root: str) -> bool:
    for posting in entry.postings:
        number = posting.units.number if posting.units is not None else None
        on_root = posting.account.split(":", 1)[0] == root
        if on_root and isinstance(number, Decimal) and number > ZERO:
            return True
    return False


def _pays(entry: data.Transaction, posting: data.Posting, scan: Scan) -> bool:
    """Money comes in: another asset (a bank, cash) that is no receivable."""
    assets = scan.config.roots[1]
    return any(
        other.account.split(":", 1)[0] == assets
        and not scan.receivable_accounts.is_receivable(other.account)
        for other in entry.postings
        if other is not posting
    )


def _reference(
    entry: data.Transaction,
    posting: data.Posting,
    invoices: Mapping[int, list[InvoiceAsOf]],
    keys: Sequence[str],
) -> str:
    """An invoice's number (on any of its lines), else the entry's links, its
    own invoice number (config `invoice_keys`), narration or payee."""
    for invoice in invoices.get(id(entry), ()):
        lines = {line.account for line in invoice.lines}
        if (invoice.account == posting.account or posting.account in lines) and (
            invoice.number
        ):
            return invoice.number
    if entry.links:
        return " ".join(sorted(entry.links))
    return metadata_number(entry.meta, keys) or entry.narration or entry.payee or ""


def _open_on_shared(invoices: Iterable[InvoiceAsOf], scan: Scan) -> dict[str, Decimal]:
    """Per currency, what the client's invoices on shared receivables still owe."""
    found: dict[str, Decimal] = {}
    for invoice in invoices:
        if scan.receivable_accounts.client_of(invoice.account) is None:
            owed = invoice.balance if invoice.settled is None else ZERO
            found[invoice.currency] = found.get(invoice.currency, ZERO) + owed
    return found


def _statement(
    client: str,
    start: datetime.date | None,
    end: datetime.date,
    currency: str,
    postings: list[_Posting],
    open_shared: Decimal | None,
) -> Statement:
    opening = sum(
        (p.amount for p in postings if start is not None and p.date < start), ZERO
    )
    balance = opening
    lines = []
    for posting in postings:
        if start is not None and posting.date < start:
            continue
        balance += posting.amount
        lines.append(
            StatementLine(
                date=posting.date,
                kind=posting.kind,
                reference=posting.reference,
                amount=posting.amount,
                balance=balance,
                account=posting.account,
                entry=posting.entry,
            )
        )
    own = sum((p.amount for p in postings if not p.shared), ZERO)
    on_shared = sum((p.amount for p in postings if p.shared), ZERO)
    # On a shared receivable: the open invoices less the client's own unapplied
    # credits, those its lines leave beyond its open invoices.
    shared_closing = (
        min(open_shared, on_shared) if open_shared is not None else on_shared
    )
    closing = own + shared_closing
    return Statement(
        client,
        start,
        end,
        currency,
        opening,
        tuple(lines),
        closing,
        settled_unnamed=balance - closing,
    )
