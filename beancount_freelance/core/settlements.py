"""Which payments and credit notes settle which invoice.

One pass over the transactions that post to a receivable, in date order. A
receivable debit against income (accrual books) or against Equity (cash-basis
books) is an invoice. A receivable credit settles, in this order: the open
invoices sharing one of its links (oldest first), else the oldest open invoices
of the same receivable account (first in, first out; on a shared account, those
of the payment's client when it is known). What a credit leaves over is an
unapplied credit of its account, taken by the account's next invoice. The
mutable bookkeeping of `beancount_freelance.core.receivables`, which freezes the
result as of a date; docs/receivables.md states the rules.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.position import Cost

from beancount_freelance.core.book import FreelanceError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from beancount_freelance.core.config import Config
    from beancount_freelance.core.rates import Rates
    from beancount_freelance.core.receivable_accounts import ReceivableAccounts

__all__ = [
    "DUE_KEY",
    "Matching",
    "ReceivableEntry",
    "TrackedInvoice",
    "match_invoices",
    "read_receivable",
]

DUE_KEY = "due"
CLIENT_KEY = "client"
ZERO = Decimal(0)
EQUITY_ROOT = "Equity"


class ReceivableEntry(NamedTuple):
    """A transaction posting to a receivable: which postings are which."""

    entry: data.Transaction
    receivables: tuple[int, ...]  # indices of its receivable postings
    earning: tuple[int, ...]  # indices of its income postings (not receivables)


def read_receivable(
    entry: data.Transaction, receivables: tuple[int, ...], earning: tuple[int, ...]
) -> ReceivableEntry:
    return ReceivableEntry(entry, receivables, earning)


@dataclass(slots=True)
class TrackedInvoice:
    """An invoice while its settlements are applied, in its receivable's currency.

    `counted` is False for a receivable debit that is no invoice (re-invoiced
    expenses, a refund): its payments settle it, but it is listed nowhere.
    """

    order: int
    entry: data.Transaction
    link: str | None
    client: str | None
    due: datetime.date
    account: str
    posting: data.Posting
    currency: str
    amount: Decimal
    balance: Decimal
    counted: bool = True
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    payments: int = 0
    settled: datetime.date | None = None

    def describe(self) -> str:
        name = f"^{self.link}" if self.link else f"on {self.account}"
        return f"Invoice {name} of {self.entry.date} ({self.amount} {self.currency})"


@dataclass(slots=True)
class _Credit:
    """A receivable credit, or what is left of it once it settled what it could."""

    entry: data.Transaction
    account: str
    currency: str
    left: Decimal
    payment: bool  # False: a credit note (it debits income)
    posting: data.Posting  # its first receivable posting, where its client is read
    settled_linked: bool = False  # it settled an invoice that has links of its own
    # Who pays, read only when needed (most payments name their invoice's link).
    client: str | None = None
    client_known: bool = False

    def payer(self, books: _Books) -> str | None:
        if not self.client_known:
            self.client = _payer(self.entry, self.posting, books)
            self.client_known = True
        return self.client


@dataclass(frozen=True)
class Unapplied:
    """Credits of a receivable account that settle no invoice as of the date."""

    account: str
    currency: str
    amount: Decimal
    credits: int
    first: data.Transaction


@dataclass(frozen=True)
class Matching:
    """The invoices in issue order, what is left unapplied, and the problems."""

    invoices: tuple[TrackedInvoice, ...]
    unapplied: tuple[Unapplied, ...]
    last_paid: Mapping[str, datetime.date]  # per client: its latest payment
    problems: tuple[FreelanceError, ...]


_Key = tuple[str, str]  # receivable account, currency
_ClientKey = tuple[str, str, str | None]  # and the client, on a shared account


@dataclass
class _Books:
    """The open items of every receivable while the transactions are read."""

    config: Config
    rates: Rates
    accounts: ReceivableAccounts
    clients: Mapping[int, str | None]
    tracked: list[TrackedInvoice] = field(default_factory=list)
    by_link: dict[str, list[TrackedInvoice]] = field(default_factory=dict)
    queues: dict[_ClientKey, deque[TrackedInvoice]] = field(default_factory=dict)
    credits: dict[_ClientKey, deque[_Credit]] = field(default_factory=dict)
    credits_by_link: dict[str, list[_Credit]] = field(default_factory=dict)
    linked_credits: list[_Credit] = field(default_factory=list)
    # Links of the transactions that debit a receivable: a credit naming one
    # that is not issued yet waits for it instead of settling older invoices.
    debit_links: set[str] = field(default_factory=set)
    last_paid: dict[str, datetime.date] = field(default_factory=dict)
    problems: list[FreelanceError] = field(default_factory=list)


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
    books = _Books(config, rates, accounts, clients)
    items = [item for item in transactions if until is None or item.entry.date <= until]
    debit_links = books.debit_links
    for item in items:
        links = item.entry.links
        if links and not links <= debit_links and _debits(item):
            debit_links.update(links)
    for item in items:
        if len(item.receivables) == 1:
            _read_one(item, books)
        else:
            _read(item, books)
    unapplied = _left_over(books)
    return Matching(
        tuple(inv for inv in books.tracked if inv.counted),
        tuple(unapplied),
        books.last_paid,
        tuple(books.problems),
    )


def _read_one(item: ReceivableEntry, books: _Books) -> None:
    """The common transaction: one receivable posting (kept flat: runs per entry)."""
    entry = item.entry
    posting = entry.postings[item.receivables[0]]
    valued = _valued(posting, books.rates)
    if valued is None or not valued[0]:
        return
    amount, currency = valued
    credits_income, debits_income = _income_sides(item)
    if amount > ZERO:
        invoice = credits_income or _against_equity(entry)
        _debit(entry, (posting.account, currency), posting, amount, invoice, books)
    else:
        credit = _Credit(
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


def _read(item: ReceivableEntry, books: _Books) -> None:
    """One transaction: its receivable postings netted per account and currency."""
    entry = item.entry
    net: dict[_Key, Decimal] = {}
    first: dict[_Key, data.Posting] = {}
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
            credit = _Credit(
                entry, key[0], key[1], -amount, not debits_income, first[key]
            )
            _credit(credit, books)


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
    if price is None and isinstance(posting.cost, Cost):
        price = posting.cost
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


def _payer(entry: data.Transaction, posting: data.Posting, books: _Books) -> str | None:
    """Who a receivable posting belongs to, when the books say it."""
    for meta in (posting.meta, entry.meta):
        value = meta.get(CLIENT_KEY) if meta else None
        if isinstance(value, str):
            return value
    return books.accounts.client_of(posting.account) or books.clients.get(id(entry))


def _client_key(key: _Key, client: str | None, books: _Books) -> _ClientKey:
    """The queue of a client on a shared account; the account's own queue else."""
    if client is None or books.accounts.client_of(key[0]) is not None:
        return (key[0], key[1], None)
    return (key[0], key[1], client)


# --- Debits: invoices, and what else a receivable is charged with -------------


def _debit(
    entry: data.Transaction,
    key: _Key,
    posting: data.Posting,
    amount: Decimal,
    invoice: bool,
    books: _Books,
) -> None:
    if not invoice:
        amount = _refund(entry, key, amount, books)
        if amount <= ZERO:
            return
    client = books.clients.get(id(entry)) if invoice else None
    if invoice and client is None:
        client = _payer(entry, posting, books)
    links = entry.links
    tracked = TrackedInvoice(
        len(books.tracked),
        entry,
        min(links) if links else None,
        client,
        _due(entry, books),
        key[0],
        posting,
        key[1],
        amount,
        amount,
        counted=invoice,
    )
    books.tracked.append(tracked)
    if links:
        _register(tracked, books)
    if books.credits:
        _take_credits(tracked, books)
    if tracked.balance > ZERO:
        _enqueue(books.queues, (key[0], key[1], None), tracked)
        own = _client_key(key, client, books)
        if own[2] is not None:
            _enqueue(books.queues, own, tracked)


def _enqueue(
    queues: dict[_ClientKey, deque[TrackedInvoice]],
    key: _ClientKey,
    invoice: TrackedInvoice,
) -> None:
    queue = queues.get(key)
    if queue is None:
        queue = queues[key] = deque()
    queue.append(invoice)


def _refund(
    entry: data.Transaction, key: _Key, amount: Decimal, books: _Books
) -> Decimal:
    """A debit that is no invoice first gives back unapplied credits; the rest."""
    for credit in _credits_for(entry.links, key, None, books):
        share = min(amount, credit.left)
        credit.left -= share
        amount -= share
        if amount <= ZERO:
            break
    return amount


def _take_credits(invoice: TrackedInvoice, books: _Books) -> None:
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
                    f"Payment dated {credit.entry.date}, before "
                    f"{invoice.describe()}; check the date or the link",
                    credit.entry,
                )
            )
        share = min(credit.left, invoice.balance)
        credit.left -= share
        credit.settled_linked = credit.settled_linked or (bool(links) and not linked)
        _reduce(invoice, share, credit, books)


def _credits_for(
    links: frozenset[str] | set[str],
    key: _Key,
    client: str | None,
    books: _Books,
) -> Iterable[_Credit]:
    """The unapplied credits a debit takes, in order: linked, own client, any."""
    for link in sorted(links):
        for credit in books.credits_by_link.get(link, ()):
            if credit.left > ZERO and (credit.account, credit.currency) == key:
                yield credit
    own = _client_key(key, client, books)
    for client_key in (own, (*key, None)) if own[2] is not None else (own,):
        queue = books.credits.get(client_key)
        while queue:
            if queue[0].left <= ZERO:
                queue.popleft()
                continue
            yield queue[0]
            if queue and queue[0].left <= ZERO:
                queue.popleft()
            else:
                break


# --- Credits: payments and credit notes ---------------------------------------


def _credit(credit: _Credit, books: _Books) -> None:
    links = credit.entry.links
    applied = credit.left
    if links:
        books.linked_credits.append(credit)
    if links and _settle_linked(credit, books):
        pass
    elif not links & books.debit_links:
        _settle_oldest(credit, books)
    if credit.payment and credit.left == applied:
        _paid_by(credit.payer(books), credit, books)  # it settled nothing
    if credit.left > ZERO:
        client = credit.payer(books)
        key = _client_key((credit.account, credit.currency), client, books)
        queue = books.credits.get(key)
        if queue is None:
            queue = books.credits[key] = deque()
        queue.append(credit)
        for link in links:
            books.credits_by_link.setdefault(link, []).append(credit)


def _settle_linked(credit: _Credit, books: _Books) -> bool:
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
            _reduce(invoice, share, credit, books)
            continue
        converted = _converted(credit, invoice.currency, books)
        credit.left = ZERO  # in another currency: nothing of it carries forward
        if converted is None:
            return True
        share = min(converted, invoice.balance)
        _reduce(invoice, share, credit, books)
        if converted > share:
            _over(invoice, converted - share, credit, books)
        return True
    if credit.left > ZERO:
        _over(invoices[-1], credit.left, credit, books)
    return True


def _converted(credit: _Credit, currency: str, books: _Books) -> Decimal | None:
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
                    f"Cannot convert {posting.units} to the invoice's {currency} on "
                    f"{entry.date}: add an `@` price or a `price` directive",
                    entry,
                )
            )
            return None
        total += value
    return -total


def _over(
    invoice: TrackedInvoice, excess: Decimal, credit: _Credit, books: _Books
) -> None:
    """A linked credit above what its invoices owe: reported, left unapplied."""
    paid = invoice.paid + (excess if credit.payment else ZERO)
    credited = invoice.credited + (ZERO if credit.payment else excess)
    text = f"paid {paid} {invoice.currency}"
    if credited:
        text += f" and credited {credited} {invoice.currency}"
    books.problems.append(
        FreelanceError(
            credit.entry.meta,
            f"{invoice.describe()} is {text}: {excess} {invoice.currency} more than "
            "its amount; check the amounts or the link",
            credit.entry,
        )
    )


def _settle_oldest(credit: _Credit, books: _Books) -> None:
    """First in, first out: the oldest open invoices of the credit's account."""
    key = _client_key((credit.account, credit.currency), credit.payer(books), books)
    queue = books.queues.get(key)
    while queue and credit.left > ZERO:
        invoice = queue[0]
        if invoice.balance <= ZERO:
            queue.popleft()
            continue
        share = min(credit.left, invoice.balance)
        credit.left -= share
        credit.settled_linked = credit.settled_linked or bool(invoice.entry.links)
        _reduce(invoice, share, credit, books)


def _reduce(
    invoice: TrackedInvoice, share: Decimal, credit: _Credit, books: _Books
) -> None:
    before = invoice.balance
    invoice.balance -= share
    if credit.payment:
        invoice.paid += share
        invoice.payments += 1
        _paid_by(invoice.client, credit, books)
    else:
        invoice.credited += share
    if before > ZERO >= invoice.balance:
        # A credit carried forward settles a later invoice on the invoice's day.
        invoice.settled = max(credit.entry.date, invoice.entry.date)


def _paid_by(client: str | None, credit: _Credit, books: _Books) -> None:
    if client is not None:
        date = credit.entry.date
        if books.last_paid.get(client, date) <= date:
            books.last_paid[client] = date


# --- Links, due dates and what is left over ------------------------------------


def _register(invoice: TrackedInvoice, books: _Books) -> None:
    reported = False
    links = invoice.entry.links
    for link in links if len(links) == 1 else sorted(links):
        earlier = books.by_link.setdefault(link, [])
        if earlier and not reported and invoice.counted and earlier[0].counted:
            first = earlier[0].entry.meta
            books.problems.append(
                FreelanceError(
                    invoice.entry.meta,
                    f"Link ^{link} already marks the invoice of {earlier[0].entry.date}"
                    f" ({first.get('filename')}:{first.get('lineno')}); give each "
                    "invoice its own link (payments go to the oldest open one first)",
                    invoice.entry,
                )
            )
            reported = True
        earlier.append(invoice)


def _due(entry: data.Transaction, books: _Books) -> datetime.date:
    terms = entry.date + datetime.timedelta(days=books.config.payment_terms_days)
    value = entry.meta.get(DUE_KEY)
    if value is None:
        return terms
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    books.problems.append(
        FreelanceError(
            entry.meta,
            f"The due: metadata must be a date, as `due: 2016-04-30`, not {value!r}; "
            f"using the payment terms ({terms})",
            entry,
        )
    )
    return terms


def _left_over(books: _Books) -> list[Unapplied]:
    """What no invoice took, per account and currency; each credit reported once.

    A credit whose links no invoice carries is reported by its links when it
    settled nothing, or settled an invoice linked otherwise (a typo); settling
    invoices without links (links kept on the payment side only) is no problem.
    The other credits left over are reported together, per account and currency.
    """
    reported: set[int] = set()
    for credit in books.linked_credits:
        _orphan(credit, books, reported)
    left: dict[_Key, list[_Credit]] = {}
    for queue in books.credits.values():
        for credit in queue:
            if credit.left > ZERO:
                left.setdefault((credit.account, credit.currency), []).append(credit)
    found = []
    for (account, currency), credits in sorted(left.items()):
        credits.sort(key=lambda c: c.entry.date)
        amount = sum((c.left for c in credits), ZERO)
        found.append(
            Unapplied(account, currency, amount, len(credits), credits[0].entry)
        )
        quiet = [c for c in credits if not c.entry.links]
        if quiet:
            _report_unapplied(account, currency, quiet, books)
    return found


def _orphan(credit: _Credit, books: _Books, reported: set[int]) -> None:
    entry = credit.entry
    if id(credit) in reported or any(link in books.by_link for link in entry.links):
        return
    if credit.left <= ZERO and not credit.settled_linked:
        return
    reported.add(id(credit))
    links = " ".join(f"^{link}" for link in sorted(entry.links))
    books.problems.append(
        FreelanceError(
            entry.meta,
            f"Payment {links} credits a receivable but no invoice carries that link; "
            "check the link against the invoice's",
            entry,
        )
    )


def _report_unapplied(
    account: str, currency: str, credits: list[_Credit], books: _Books
) -> None:
    first = credits[0].entry
    amount = sum((c.left for c in credits), ZERO)
    books.problems.append(
        FreelanceError(
            first.meta,
            f"{amount} {currency} credited to {account} settles no invoice "
            f"({len(credits)} credit(s) from {first.date}); kept as an unapplied "
            "credit for the account's next invoice: book the invoices they pay, "
            "or check the amounts",
            first,
        )
    )
