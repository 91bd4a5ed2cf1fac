"""The open items of the receivables while the matching reads the ledger.

An open item is an invoice not yet settled (`TrackedInvoice`) or a credit not yet
applied (`Credit`), per receivable account and currency, in first-in-first-out
queues (per client too, on a shared account). `core.receivables.settlements`
decides which credit settles which invoice; this module keeps the items, applies
a share of a credit to an invoice, and reports what is left over once the ledger
is read. docs/receivables.md states the rules.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.dates import LAST_DAY, days_after
from beancount_freelance.core.ledger.book import CLIENT_KEY, FreelanceError
from beancount_freelance.core.messages import N_, message, message_n
from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
    from beancount_freelance.core.ledger.scan import ReceivableEntry

__all__ = [
    "DUE_KEY",
    "ClientKey",
    "Credit",
    "Key",
    "Matching",
    "OpenItems",
    "TrackedInvoice",
    "Unapplied",
    "client_key",
    "due_date",
    "enqueue",
    "left_over",
    "paid_by",
    "payer_of",
    "reduce",
    "register",
    "report_overpaid",
]

DUE_KEY = "due"


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
        """`Invoice ^link of <date> (<amount>)`, a message said in a message."""
        amount = f"{self.amount} {self.currency}"
        if self.link:
            return message(
                N_("Invoice ^{link} of {date} ({amount})"),
                link=self.link,
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

    def payer(self, books: OpenItems) -> str | None:
        if not self.client_known:
            self.client = payer_of(self.entry, self.posting, books)
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


Key = tuple[str, str]  # receivable account, currency
ClientKey = tuple[str, str, str | None]  # and the client, on a shared account


@dataclass
class OpenItems:
    """The open items of every receivable while the transactions are read."""

    config: Config
    rates: Rates
    accounts: ReceivableAccounts
    clients: Mapping[int, str | None]
    transactions: Sequence[ReceivableEntry]
    tracked: list[TrackedInvoice] = field(default_factory=list)
    by_link: dict[str, list[TrackedInvoice]] = field(default_factory=dict)
    queues: dict[ClientKey, deque[TrackedInvoice]] = field(default_factory=dict)
    credits: dict[ClientKey, deque[Credit]] = field(default_factory=dict)
    credits_by_link: dict[str, list[Credit]] = field(default_factory=dict)
    # Credits whose links named no invoice issued before them.
    unmatched_links: list[Credit] = field(default_factory=list)
    # Links of the transactions that debit a receivable, read when first needed:
    # a credit naming one not issued yet waits for it.
    debit_links: set[str] | None = None
    last_paid: dict[str, datetime.date] = field(default_factory=dict)
    problems: list[FreelanceError] = field(default_factory=list)
    terms: datetime.timedelta = field(init=False)  # config.payment_terms_days

    def __post_init__(self) -> None:
        self.terms = datetime.timedelta(days=self.config.payment_terms_days)


def payer_of(
    entry: data.Transaction, posting: data.Posting, books: OpenItems
) -> str | None:
    """Who a receivable posting belongs to, when the books say it."""
    for meta in (posting.meta, entry.meta):
        value = meta.get(CLIENT_KEY) if meta else None
        if isinstance(value, str):
            return value
    return books.accounts.client_of(posting.account) or books.clients.get(id(entry))


def client_key(key: Key, client: str | None, books: OpenItems) -> ClientKey:
    """The queue of a client on a shared account; the account's own queue else."""
    if client is None or books.accounts.client_of(key[0]) is not None:
        return (key[0], key[1], None)
    return (key[0], key[1], client)


def enqueue(
    queues: dict[ClientKey, deque[TrackedInvoice]],
    key: ClientKey,
    invoice: TrackedInvoice,
) -> None:
    queue = queues.get(key)
    if queue is None:
        queue = queues[key] = deque()
    queue.append(invoice)


def report_overpaid(
    invoice: TrackedInvoice, excess: Decimal, credit: Credit, books: OpenItems
) -> None:
    """A linked credit above what its invoices owe: reported, left unapplied."""
    paid = invoice.paid + (excess if credit.payment else ZERO)
    credited = invoice.credited + (ZERO if credit.payment else excess)
    values = {
        "invoice": invoice.describe(),
        "paid": f"{paid} {invoice.currency}",
        "credited": f"{credited} {invoice.currency}",
        "excess": f"{excess} {invoice.currency}",
    }
    if credited:
        said = message(
            N_(
                "{invoice} is paid {paid} and credited {credited}: {excess} more "
                "than its amount; check the amounts or the link"
            ),
            **values,
        )
    else:
        said = message(
            N_(
                "{invoice} is paid {paid}: {excess} more than its amount; check the "
                "amounts or the link"
            ),
            **values,
        )
    books.problems.append(FreelanceError(credit.entry.meta, said, credit.entry))


def reduce(
    invoice: TrackedInvoice, share: Decimal, credit: Credit, books: OpenItems
) -> None:
    before = invoice.balance
    invoice.balance -= share
    if credit.payment:
        invoice.paid += share
        invoice.payments += 1
        paid_by(invoice.client, credit, books)
    else:
        invoice.credited += share
    if before > ZERO >= invoice.balance:
        # A credit carried forward settles a later invoice on the invoice's day.
        invoice.settled = max(credit.entry.date, invoice.entry.date)


def paid_by(client: str | None, credit: Credit, books: OpenItems) -> None:
    if client is not None:
        date = credit.entry.date
        if books.last_paid.get(client, date) <= date:
            books.last_paid[client] = date


def register(invoice: TrackedInvoice, books: OpenItems) -> None:
    reported = False
    links = invoice.entry.links
    for link in links if len(links) == 1 else sorted(links):
        earlier = books.by_link.setdefault(link, [])
        if earlier and not reported and invoice.counted and earlier[0].counted:
            first = earlier[0].entry.meta
            books.problems.append(
                FreelanceError(
                    invoice.entry.meta,
                    message(
                        N_(
                            "Link ^{link} already marks the invoice of {date} "
                            "({where}); give each invoice its own link (payments "
                            "go to the oldest open one first)"
                        ),
                        link=link,
                        date=earlier[0].entry.date,
                        where=f"{first.get('filename')}:{first.get('lineno')}",
                    ),
                    invoice.entry,
                )
            )
            reported = True
        earlier.append(invoice)


def due_date(entry: data.Transaction, books: OpenItems) -> datetime.date:
    terms = days_after(entry.date, books.terms.days)
    value = entry.meta.get(DUE_KEY)
    if value is None:
        if terms == LAST_DAY and entry.date != LAST_DAY - books.terms:
            books.problems.append(_past_the_calendar(entry))
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
            message(
                N_(
                    "The due: metadata must be a date, as `due: 2016-04-30`, not "
                    "{value!r}; using the payment terms ({terms})"
                ),
                value=value,
                terms=terms,
            ),
            entry,
        )
    )
    return terms


def _past_the_calendar(entry: data.Transaction) -> FreelanceError:
    said = message(
        N_(
            "The payment terms put this invoice's due date after {last}, the last "
            "day of the calendar; it is due on {last}: check the invoice's year"
        ),
        last=LAST_DAY,
    )
    return FreelanceError(entry.meta, said, entry)


def left_over(books: OpenItems) -> list[Unapplied]:
    """What no invoice took, per account and currency; each credit reported once.

    A credit whose links no invoice carries is reported by its links when it
    settled nothing, or settled an invoice linked otherwise (a typo); settling
    invoices without links (links kept on the payment side only) is no problem.
    The other credits left over are reported together, per account and currency.
    """
    reported: set[int] = set()
    for credit in books.unmatched_links:
        _orphan(credit, books, reported)
    left: dict[Key, list[Credit]] = {}
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


def _orphan(credit: Credit, books: OpenItems, reported: set[int]) -> None:
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
            message(
                N_(
                    "Payment {links} credits a receivable but no invoice carries that "
                    "link; check the link against the invoice's"
                ),
                links=links,
            ),
            entry,
        )
    )


def _report_unapplied(
    account: str, currency: str, credits: list[Credit], books: OpenItems
) -> None:
    first = credits[0].entry
    amount = sum((c.left for c in credits), ZERO)
    total = f"{amount} {currency}"
    books.problems.append(
        FreelanceError(
            first.meta,
            message_n(
                "{amount} credited to {account} settles no invoice ({count} credit "
                "from {date}); kept as an unapplied credit for the account's next "
                "invoice: book the invoice it pays, or check the amount",
                "{amount} credited to {account} settles no invoice ({count} credits "
                "from {date}); kept as an unapplied credit for the account's next "
                "invoice: book the invoices they pay, or check the amounts",
                len(credits),
                amount=total,
                account=account,
                date=first.date,
            ),
            first,
        )
    )
