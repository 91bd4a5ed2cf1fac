"""Which income belongs to which client, and how much it is worth.

Attributes every income posting to a client by the five rules of the design
(posting metadata, transaction metadata, account ownership, payee regex, else
unattributed), checks the lifecycle events against the revenue, and turns
attributed postings into revenue lines in the reporting currency. Pure functions
over Beancount's entries: no I/O. The client book itself (declarations and
events) lives in `beancount_freelance.book`; its names are re-exported here.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.position import Cost

from beancount_freelance.book import (
    CLIENT_KEY,
    CLIENTS_ROOT,
    BookReader,
    Client,
    ClientBook,
    FreelanceError,
    LifecycleEvent,
    convention_client,
    read_book,
    shown,
)

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.config import Config

__all__ = [
    "CLIENTS_ROOT",
    "CLIENT_KEY",
    "Attributed",
    "Attribution",
    "Attributor",
    "BookReader",
    "Client",
    "ClientBook",
    "FreelanceError",
    "IncomePostings",
    "LifecycleEvent",
    "Revenue",
    "RevenueLine",
    "Rule",
    "attribute",
    "convention_client",
    "lifecycle_errors",
    "read_book",
    "reporting_currency",
    "revenue_lines",
]

Rule = Literal["posting", "transaction", "account", "payee"]

_ACCOUNT_OF = operator.attrgetter("account")


# --- Attribution -------------------------------------------------------------


class Attributed(NamedTuple):
    """One income posting and the client it belongs to (None: unattributed).

    A named tuple rather than a frozen dataclass: the plugin makes one per income
    posting of the ledger, and a tuple is several times cheaper to build.
    """

    entry: data.Transaction
    index: int  # type: ignore[assignment]  # shadows tuple.index: a public field name
    client: str | None
    rule: Rule | None

    @property
    def posting(self) -> data.Posting:
        return self.entry.postings[self.index]


@dataclass(frozen=True)
class Attribution:
    """Every income posting of a ledger with its client, and what went wrong."""

    postings: tuple[Attributed, ...]
    errors: tuple[FreelanceError, ...]


def attribute(
    entries: Iterable[data.Directive], book: ClientBook, config: Config
) -> Attribution:
    """Attribute every income posting to a client, first rule that applies wins."""
    income = IncomePostings(config)
    attributor = Attributor(book, config)
    found: list[Attributed] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            indices = income.of(entry)
            if indices:
                found.extend(attributor.postings_of(entry, indices))
    return Attribution(tuple(found), tuple(attributor.errors(found)))


class IncomePostings:
    """Which postings of a transaction are income, by the config's regex.

    A ledger repeats the same few combinations of accounts in many transactions,
    so the answer is memoised per combination and each account tested once.
    """

    def __init__(self, config: Config) -> None:
        self._search = config.income_re.search
        self._by_accounts: dict[tuple[str, ...], tuple[int, ...]] = {}

    def of(self, entry: data.Transaction) -> tuple[int, ...]:
        """The indices of the transaction's income postings."""
        accounts = tuple(map(_ACCOUNT_OF, entry.postings))
        try:
            return self._by_accounts[accounts]
        except KeyError:
            indices = tuple(
                index
                for index, account in enumerate(accounts)
                if self._search(account) is not None
            )
            self._by_accounts[accounts] = indices
            return indices

    def accounts(self) -> set[str]:
        """Every account the transactions seen so far post to."""
        return {account for key in self._by_accounts for account in key}


class Attributor:
    """Attribution one transaction at a time, for a caller that walks the entries.

    `attribute` walks them for the analysis; the plugin walks them once to read
    the book, find the income, and annotate. Errors are collected as it goes.
    """

    def __init__(self, book: ClientBook, config: Config) -> None:
        self._book = book
        self._config = config
        self._errors: list[FreelanceError] = []

    def postings_of(
        self, entry: data.Transaction, indices: Iterable[int]
    ) -> list[Attributed]:
        """The transaction's income postings (by index), each with its client."""
        found = []
        slow: _EntryAttributor | None = None
        for index in indices:
            posting = entry.postings[index]
            # The common case, settled without looking at the transaction twice.
            if CLIENT_KEY not in entry.meta and not (
                posting.meta and CLIENT_KEY in posting.meta
            ):
                owner = self._book.owner_of(posting.account)
                if owner is not None:
                    found.append(Attributed(entry, index, owner, "account"))
                    continue
            if slow is None:
                slow = _EntryAttributor(entry, self._book, self._errors)
            client, rule = slow.posting_client(posting)
            found.append(Attributed(entry, index, client, rule))
        return found

    def errors(self, attributed: Iterable[Attributed]) -> list[FreelanceError]:
        """What went wrong so far, and the unattributed postings of `attributed`."""
        return [*self._errors, *_unattributed_errors(attributed, self._config)]


def _unattributed_errors(
    found: Iterable[Attributed], config: Config
) -> Iterator[FreelanceError]:
    required = config.require_client_re.search
    for item in found:
        if item.client is not None:
            continue
        posting = item.posting
        if required(posting.account):
            yield FreelanceError(
                _posting_source(item.entry, posting),
                f"Income posting to {posting.account} has no client; add "
                '`client: "<id>"` to the posting or the transaction, book '
                "it to the client's account, or give the client a "
                "`payee:` regex",
                item.entry,
            )


class _EntryAttributor:
    """The rules of attribution for the income postings of one transaction.

    What depends on the transaction alone (its `client:`, its payee) is looked
    at once, so that each problem is reported once per transaction.
    """

    def __init__(
        self, entry: data.Transaction, book: ClientBook, errors: list[FreelanceError]
    ) -> None:
        self._entry = entry
        self._book = book
        self._errors = errors
        self._transaction_client = self._meta_client(
            entry.meta, entry.meta, "transaction"
        )
        self._payee_client: tuple[str | None] | None = None

    def posting_client(self, posting: data.Posting) -> tuple[str | None, Rule | None]:
        if posting.meta and CLIENT_KEY in posting.meta:
            source = _posting_source(self._entry, posting)
            client = self._meta_client(posting.meta, source, "posting")
            if client is not None:
                return client, "posting"
        if self._transaction_client is not None:
            return self._transaction_client, "transaction"
        owner = self._book.owner_of(posting.account)
        if owner is not None:
            return owner, "account"
        if self._payee_client is None:
            self._payee_client = (self._match_payee(),)
        client = self._payee_client[0]
        return (client, "payee") if client is not None else (None, None)

    def _meta_client(
        self, meta: data.Meta, source: data.Meta, where: Rule
    ) -> str | None:
        value = meta.get(CLIENT_KEY)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            self._errors.append(
                FreelanceError(
                    source,
                    f"The {where} metadata client: must be a client id in quotes, "
                    f'as `client: "<id>"`, not {shown(value)}',
                    self._entry,
                )
            )
            return None
        if value not in self._book.clients:
            self._errors.append(
                FreelanceError(
                    source,
                    self._book.unknown_message(value, f"{where} metadata client:"),
                    self._entry,
                )
            )
        return value

    def _match_payee(self) -> str | None:
        payee = self._entry.payee
        if not payee:
            return None
        matches = self._book.payee_matches(payee)
        if len(matches) > 1:
            self._errors.append(
                FreelanceError(
                    self._entry.meta,
                    f"Payee {payee!r} matches the payee regex of several clients "
                    f"({', '.join(matches)}); make the regexes exclusive or add "
                    '`client: "<id>"` to the transaction',
                    self._entry,
                )
            )
        return matches[0] if len(matches) == 1 else None


def _posting_source(entry: data.Transaction, posting: data.Posting) -> data.Meta:
    meta = posting.meta
    if meta and "filename" in meta and "lineno" in meta:
        return meta
    return entry.meta


# --- Lifecycle ---------------------------------------------------------------


def lifecycle_errors(
    book: ClientBook, attributed: Iterable[Attributed]
) -> list[FreelanceError]:
    """Events that contradict the revenue: losses, returns and payments after."""
    revenue: dict[str, list[Attributed]] = {}
    for item in attributed:
        if item.client is None or not book.events_of(item.client):
            continue
        # Only money coming in counts: a refund after a loss is no new business.
        if _is_revenue(item.posting.units):
            revenue.setdefault(item.client, []).append(item)
    errors: list[FreelanceError] = []
    for client_id in book.clients:
        events = book.events_of(client_id)
        if not events:
            continue
        items = sorted(revenue.get(client_id, ()), key=lambda item: item.entry.date)
        errors.extend(_event_errors(client_id, events, items))
        errors.extend(_revenue_after_loss(client_id, events, items))
    return errors


def _is_revenue(units: Amount | None) -> bool:
    number = None if units is None else units.number
    return isinstance(number, Decimal) and number < 0


def _event_errors(
    client_id: str, events: tuple[LifecycleEvent, ...], items: list[Attributed]
) -> Iterator[FreelanceError]:
    first_revenue = items[0].entry.date if items else None
    lost = False
    for event in events:
        if event.kind == "lost":
            if lost:
                yield FreelanceError(
                    event.entry.meta,
                    f"Client {client_id!r} is lost twice without a `client-back` "
                    "between; remove one loss or add the return",
                    event.entry,
                )
            elif first_revenue is None or first_revenue > event.date:
                yield FreelanceError(
                    event.entry.meta,
                    f"Client {client_id!r} is lost on {event.date} but has no "
                    "revenue on or before that date; check the date or the client id",
                    event.entry,
                )
            lost = True
        else:
            if not lost:
                yield FreelanceError(
                    event.entry.meta,
                    f"`client-back` for {client_id!r} without an earlier "
                    "`client-lost`; add the loss or remove the return",
                    event.entry,
                )
            lost = False


def _revenue_after_loss(
    client_id: str, events: tuple[LifecycleEvent, ...], items: list[Attributed]
) -> Iterator[FreelanceError]:
    """Revenue while lost: after a loss's day, before a return's day.

    Both lists are in date order, so one walk through them is enough.
    """
    position = 0
    latest: LifecycleEvent | None = None
    for item in items:
        day = item.entry.date
        while position < len(events) and (
            events[position].date < day
            or (events[position].date == day and events[position].kind == "back")
        ):
            latest = events[position]
            position += 1
        if latest is not None and latest.kind == "lost":
            yield FreelanceError(
                _posting_source(item.entry, item.posting),
                f"Revenue from {client_id!r} on {day} after its loss on "
                f'{latest.date}; add `{day} custom "client-back" "{client_id}"` '
                "if the client came back, or check the client of this posting",
                item.entry,
            )


# --- Revenue in the reporting currency ---------------------------------------


@dataclass(frozen=True, slots=True)
class RevenueLine:
    """Revenue from one income posting, in the reporting currency."""

    date: datetime.date
    client: str | None
    revenue: Decimal
    account: str
    entry: data.Transaction
    rule: Rule | None = None


@dataclass(frozen=True)
class Revenue:
    """All revenue lines of a ledger and the amounts that could not be converted."""

    lines: tuple[RevenueLine, ...]
    warnings: tuple[FreelanceError, ...]
    currency: str


def reporting_currency(options_map: Mapping[str, Any], asked: str | None) -> str:
    """The asked currency, else the first operating currency, else EUR."""
    if asked:
        return asked
    operating = options_map.get("operating_currency") or []
    return str(operating[0]) if operating else "EUR"


def revenue_lines(
    attributed: Iterable[Attributed],
    entries: Iterable[data.Directive],
    currency: str,
) -> Revenue:
    """Convert each attributed income posting into revenue in `currency`.

    An `@` price converts first, then a cost in that currency, then the ledger's
    latest price on or before the posting's date; an amount that cannot be
    converted is kept in the warnings, never dropped silently.
    """
    rates = _Rates(entries)
    lines: list[RevenueLine] = []
    warnings: list[FreelanceError] = []
    for item in attributed:
        posting = item.posting
        amount = _converted(posting, item.entry.date, currency, rates)
        if amount is None:
            warnings.append(
                FreelanceError(
                    _posting_source(item.entry, posting),
                    f"Cannot convert {posting.units} to {currency} on "
                    f"{item.entry.date}: add an `@` price to the posting or a "
                    f"`price` directive on or before that date",
                    item.entry,
                )
            )
            continue
        lines.append(
            RevenueLine(
                item.entry.date,
                item.client,
                amount,
                posting.account,
                item.entry,
                item.rule,
            )
        )
    return Revenue(tuple(lines), tuple(warnings), currency)


def _converted(
    posting: data.Posting, date: datetime.date, currency: str, rates: _Rates
) -> Decimal | None:
    """Minus the posting's amount in `currency`, or None if it cannot convert."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    if units.currency == currency:
        return -units.number
    price = posting.price
    if (
        price is not None
        and price.currency == currency
        and isinstance(price.number, Decimal)
    ):
        return -(units.number * price.number)
    cost = posting.cost
    if isinstance(cost, Cost) and cost.currency == currency:
        return -(units.number * cost.number)
    rate = rates.on(units.currency, currency, date)
    return None if rate is None else -(units.number * rate)


class _Rates:
    """The ledger's `price` directives: the latest rate on or before a date.

    Built on first use, as most ledgers are in one currency.
    """

    def __init__(self, entries: Iterable[data.Directive]) -> None:
        self._entries = entries
        self._table: dict[tuple[str, str], tuple[list[datetime.date], list[Decimal]]]
        self._table = {}
        self._built = False

    def on(self, base: str, quote: str, date: datetime.date) -> Decimal | None:
        if not self._built:
            self._build()
        for pair, invert in (((base, quote), False), ((quote, base), True)):
            if pair not in self._table:
                continue
            dates, numbers = self._table[pair]
            index = bisect.bisect_right(dates, date)
            if index == 0 or (invert and not numbers[index - 1]):
                continue
            rate = numbers[index - 1]
            return 1 / rate if invert else rate
        return None

    def _build(self) -> None:
        points: dict[tuple[str, str], dict[datetime.date, Decimal]] = {}
        for entry in self._entries:
            if isinstance(entry, data.Price) and isinstance(
                entry.amount.number, Decimal
            ):
                pair = (entry.currency, entry.amount.currency)
                points.setdefault(pair, {})[entry.date] = entry.amount.number
        for pair, by_date in points.items():
            dates = sorted(by_date)
            self._table[pair] = (dates, [by_date[day] for day in dates])
        self._built = True
