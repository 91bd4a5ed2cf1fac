"""Which payments and credit notes settle which invoice.

One pass over the transactions that post to a receivable, in date order. A
receivable debit against income (accrual books) or against Equity (cash-basis
books) is an invoice. A receivable credit settles, in this order: the open
invoices sharing one of its links (oldest first), else the oldest open invoices
of the same receivable account (first in, first out; on a shared account, those
of the payment's client when it is known). What a credit leaves over is an
unapplied credit of its account, taken by the account's next invoice. The open
items are kept in `beancount_freelance.core.receivables.open_items`; docs/receivables.md
states the rules.
"""

from __future__ import annotations

from collections import deque
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core.amount import Amount
from beancount.core.position import Cost

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.receivables.open_items import (
    Credit,
    Key,
    Matching,
    OpenItems,
    TrackedInvoice,
    client_key,
    due_date,
    enqueue,
    left_over,
    paid_by,
    payer_of,
    reduce,
    register,
    report_overpaid,
)

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping

    from beancount.core import data

    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
    from beancount_freelance.core.ledger.scan import ReceivableEntry

__all__ = ["match_invoices"]

EQUITY_ROOT = "Equity"
_NEITHER = (False, False)  # credits income, debits income


def match_invoices(
    transactions: Iterable[ReceivableEntry],
    config: Config,
    until: datetime.date | None,
    rates: Rates,
    clients: Mapping[int, str | None],
    accounts: ReceivableAccounts,
) -> Matching:
    """Find the invoices and apply every settlement, dated up to `until`.

    `transactions`: the ledger's transactions that post to a receivable, in
    ledger (date) order; `clients`: the client of each one's first attributed
    income credit, by the id() of its transaction (scan.scan_ledger reads both).
    """
    items = [item for item in transactions if until is None or item.entry.date <= until]
    books = OpenItems(config, rates, accounts, clients, items)
    for item in items:
        if len(item.receivables) == 1:
            _read_one(item, books)
        else:
            _read(item, books)
    unapplied = left_over(books)
    return Matching(
        tuple(inv for inv in books.tracked if inv.counted),
        tuple(unapplied),
        books.last_paid,
        tuple(books.problems),
    )


def _read_one(item: ReceivableEntry, books: OpenItems) -> None:
    """The common transaction: one receivable posting (kept flat: runs per entry)."""
    entry = item.entry
    posting = entry.postings[item.receivables[0]]
    valued = _valued(posting, books.rates)
    if valued is None or not valued[0]:
        return
    amount, currency = valued
    # A payment earns nothing: no income posting to look at.
    credits_income, debits_income = _income_sides(item) if item.earning else _NEITHER
    if amount > ZERO:
        invoice = credits_income or _against_equity(entry)
        _debit(entry, (posting.account, currency), posting, amount, invoice, books)
    else:
        credit = Credit(
            entry, posting.account, currency, -amount, not debits_income, posting
        )
        _credit(credit, books)


def _income_sides(item: ReceivableEntry) -> tuple[bool, bool]:
    """Whether the transaction credits income, and whether it debits income."""
    credits = debits = False
    postings = item.entry.postings
    for index in item.earning:
        units = postings[index].units
        number = None if units is None else units.number
        if number.__class__ is Decimal:
            credits = credits or number < ZERO
            debits = debits or number > ZERO
    return credits, debits


def _read(item: ReceivableEntry, books: OpenItems) -> None:
    """One transaction: its receivable postings netted per account and currency."""
    entry = item.entry
    net: dict[Key, Decimal] = {}
    first: dict[Key, data.Posting] = {}
    for index in item.receivables:
        posting = entry.postings[index]
        valued = _valued(posting, books.rates)
        if valued is None:
            continue
        key = (posting.account, valued[1])
        net[key] = net.get(key, ZERO) + valued[0]
        first.setdefault(key, posting)
    credits_income, debits_income = _income_sides(item)
    invoiced = False
    for key, amount in net.items():
        if amount > ZERO:
            invoice = not invoiced and (credits_income or _against_equity(entry))
            invoiced = invoiced or invoice
            _debit(entry, key, first[key], amount, invoice, books)
        elif amount < ZERO:
            credit = Credit(
                entry, key[0], key[1], -amount, not debits_income, first[key]
            )
            _credit(credit, books)


def _invoice_to_come(links: frozenset[str] | set[str], books: OpenItems) -> bool:
    """Whether a receivable debit of the ledger carries one of these links.

    Read once, on the first credit whose links name no invoice issued yet.
    """
    if books.debit_links is None:
        books.debit_links = {
            link
            for item in books.transactions
            if item.entry.links and _debits(item)
            for link in item.entry.links
        }
    return not books.debit_links.isdisjoint(links)


def _debits(item: ReceivableEntry) -> bool:
    postings = item.entry.postings
    for index in item.receivables:
        units = postings[index].units
        if units is not None and isinstance(units.number, Decimal) and units.number > 0:
            return True
    return False


def _valued(posting: data.Posting, rates: Rates) -> tuple[Decimal, str] | None:
    """A receivable posting's amount: its units, or hours at their own `@` price."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    price: Amount | Cost | None = posting.price
    if price is None:
        cost = posting.cost
        if cost is not None and isinstance(cost, Cost):
            price = cost
    if (
        price is not None
        and isinstance(price.number, Decimal)
        and not rates.is_money(units.currency)
    ):
        return units.number * price.number, str(price.currency)
    return units.number, str(units.currency)


def _against_equity(entry: data.Transaction) -> bool:
    """A cash-basis invoice: the receivable's counterpart is an Equity account."""
    return any(p.account.split(":", 1)[0] == EQUITY_ROOT for p in entry.postings)


def _debit(
    entry: data.Transaction,
    key: Key,
    posting: data.Posting,
    amount: Decimal,
    invoice: bool,
    books: OpenItems,
) -> None:
    if not invoice:
        amount = _refund(entry, key, amount, books)
        if amount <= ZERO:
            return
    client = books.clients.get(id(entry)) if invoice else None
    if invoice and client is None:
        client = payer_of(entry, posting, books)
    links = entry.links
    tracked = TrackedInvoice(
        len(books.tracked),
        entry,
        min(links) if links else None,
        client,
        due_date(entry, books),
        key[0],
        posting,
        key[1],
        amount,
        amount,
        counted=invoice,
    )
    books.tracked.append(tracked)
    if links:
        register(tracked, books)
    if books.credits:
        _take_credits(tracked, books)
    if tracked.balance > ZERO:
        enqueue(books.queues, (key[0], key[1], None), tracked)
        own = client_key(key, client, books)
        if own[2] is not None:
            enqueue(books.queues, own, tracked)


def _refund(
    entry: data.Transaction, key: Key, amount: Decimal, books: OpenItems
) -> Decimal:
    """A debit that is no invoice first gives back unapplied credits; the rest."""
    for credit in _credits_for(entry.links, key, None, books):
        share = min(amount, credit.left)
        credit.left -= share
        amount -= share
        if amount <= ZERO:
            break
    return amount


def _take_credits(invoice: TrackedInvoice, books: OpenItems) -> None:
    """A new invoice takes the unapplied credits: those of its links first."""
    key = (invoice.account, invoice.currency)
    links = invoice.entry.links
    for credit in _credits_for(links, key, invoice.client, books):
        if invoice.balance <= ZERO:
            return
        linked = bool(links & credit.entry.links)
        if linked and credit.entry.date < invoice.entry.date:
            books.problems.append(
                FreelanceError(
                    credit.entry.meta,
                    message(
                        N_(
                            "Payment dated {date}, before {invoice}; check the date "
                            "or the link"
                        ),
                        date=credit.entry.date,
                        invoice=invoice.describe(),
                    ),
                    credit.entry,
                )
            )
        share = min(credit.left, invoice.balance)
        credit.left -= share
        credit.settled_linked = credit.settled_linked or (bool(links) and not linked)
        reduce(invoice, share, credit, books)


def _credits_for(
    links: frozenset[str] | set[str],
    key: Key,
    client: str | None,
    books: OpenItems,
) -> Iterable[Credit]:
    """The unapplied credits a debit takes, in order: linked, own client, any."""
    for link in sorted(links):
        for credit in books.credits_by_link.get(link, ()):
            if credit.left > ZERO and (credit.account, credit.currency) == key:
                yield credit
    own = client_key(key, client, books)
    for queue_key in (own, (*key, None)) if own[2] is not None else (own,):
        queue = books.credits.get(queue_key)
        while queue:
            if queue[0].left <= ZERO:
                queue.popleft()
                continue
            yield queue[0]
            if queue and queue[0].left <= ZERO:
                queue.popleft()
            else:
                break


def _credit(credit: Credit, books: OpenItems) -> None:
    links = credit.entry.links
    applied = credit.left
    if not links:
        _settle_oldest(credit, books)
    elif not _settle_linked(credit, books):
        books.unmatched_links.append(credit)  # no invoice of its links yet
        if not _invoice_to_come(links, books):
            _settle_oldest(credit, books)
    if credit.payment and credit.left == applied:
        paid_by(credit.payer(books), credit, books)  # it settled nothing
    if credit.left > ZERO:
        client = credit.payer(books)
        key = client_key((credit.account, credit.currency), client, books)
        queue = books.credits.get(key)
        if queue is None:
            queue = books.credits[key] = deque()
        queue.append(credit)
        for link in links:
            books.credits_by_link.setdefault(link, []).append(credit)


def _settle_linked(credit: Credit, books: OpenItems) -> bool:
    """A credit goes first to the invoices of its links, oldest open first.

    False when no invoice of its links is issued yet: the credit then settles
    the oldest invoices (its link may be on the payment side only). What it
    leaves over stays unapplied, and is reported as an overpayment.
    """
    entry = credit.entry
    links = entry.links
    if len(links) == 1:
        invoices = books.by_link.get(next(iter(links)), [])
        if len(invoices) > 1 or (invoices and invoices[0].entry.date > entry.date):
            invoices = [inv for inv in invoices if inv.entry.date <= entry.date]
    else:
        group = {id(inv): inv for link in links for inv in books.by_link.get(link, ())}
        invoices = sorted(
            (inv for inv in group.values() if inv.entry.date <= entry.date),
            key=lambda inv: inv.order,
        )
    if not invoices:
        return False
    for invoice in invoices:
        if credit.left <= ZERO:
            return True
        if invoice.balance <= ZERO:
            continue
        if invoice.currency == credit.currency:
            share = min(credit.left, invoice.balance)
            credit.left -= share
            reduce(invoice, share, credit, books)
            continue
        converted = _converted(credit, invoice.currency, books)
        credit.left = ZERO  # in another currency: nothing of it carries forward
        if converted is None:
            return True
        share = min(converted, invoice.balance)
        reduce(invoice, share, credit, books)
        if converted > share:
            report_overpaid(invoice, converted - share, credit, books)
        return True
    if credit.left > ZERO:
        report_overpaid(invoices[-1], credit.left, credit, books)
    return True


def _converted(credit: Credit, currency: str, books: OpenItems) -> Decimal | None:
    """A credit's receivable postings in its invoice's currency."""
    entry = credit.entry
    total = ZERO
    for posting in entry.postings:
        if posting.account != credit.account:
            continue
        value = books.rates.value(posting, currency, entry.date)
        if value is None:
            books.problems.append(
                FreelanceError(
                    entry.meta,
                    message(
                        N_(
                            "Cannot convert {units} to the invoice's {currency} on "
                            "{date}: add an `@` price or a `price` directive"
                        ),
                        units=str(posting.units),
                        currency=currency,
                        date=entry.date,
                    ),
                    entry,
                )
            )
            return None
        total += value
    return -total


def _settle_oldest(credit: Credit, books: OpenItems) -> None:
    """First in, first out: the oldest open invoices of the credit's account."""
    key = client_key((credit.account, credit.currency), credit.payer(books), books)
    queue = books.queues.get(key)
    while queue and credit.left > ZERO:
        invoice = queue[0]
        if invoice.balance <= ZERO:
            queue.popleft()
            continue
        share = min(credit.left, invoice.balance)
        credit.left -= share
        credit.settled_linked = credit.settled_linked or bool(invoice.entry.links)
        reduce(invoice, share, credit, books)
