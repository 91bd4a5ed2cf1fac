"""Hours as the books record them: each a dated record of one client's hours.

Four ways (docs/time.md): priced hours on an income or receivable posting
(`10 H @ 50 EUR`), a stock of hours on `time_accounts` (hours in are worked,
hours out are billed, hours out to an expense account are written off), hours
posted to `Expenses:Time` or to a time account whose `open` says
`billable: FALSE` (worked, not billable), and `hours:` metadata on an income
posting or its transaction. What the importers of time trackers write is the
stock form. The client of each is the one attribution's
(`Attributor.named_client`): a time sub-account names it as a receivable's
does. Pure functions over the scan: no I/O.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from itertools import compress
from typing import TYPE_CHECKING, Literal, NamedTuple

from beancount.core import data

from beancount_freelance.core.ledger.attribution import Attributor, receivable_accounts
from beancount_freelance.core.ledger.book import FreelanceError, posting_source
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableEntry
    from beancount_freelance.core.ledger.scan import Scan

__all__ = ["HOURS_KEY", "HourRecord", "HoursRead", "read_hours"]

HOURS_KEY = "hours"
BILLABLE_KEY = "billable"

Source = Literal["stock", "priced", "metadata", "not billable"]


class HourRecord(NamedTuple):
    """Hours of one client (None: no client) on one day, from one source.

    `stock` is the change of the client's unbilled stock (in minus out, hours
    written off included); `entry` the transaction that records them.
    """

    date: datetime.date
    client: str | None
    source: Source
    worked: Decimal
    billed: Decimal
    stock: Decimal
    entry: data.Transaction


class HoursRead(NamedTuple):
    """Every record of hours of a ledger, and the `hours:` values that do not read."""

    records: tuple[HourRecord, ...]
    warnings: tuple[FreelanceError, ...]


def read_hours(scan: Scan) -> HoursRead:
    """The ledger's hours, in the four forms, each with its client."""
    config, book = scan.config, scan.book
    attributor = Attributor(book, config, receivable_accounts(book, config))
    warnings: list[FreelanceError] = []
    records = list(_stock_records(scan, attributor))
    records.extend(_invoiced_records(scan, warnings))
    records.sort(key=lambda record: record.date)
    return HoursRead(tuple(records), tuple(warnings))


# --- A stock of hours -------------------------------------------------------


def _not_billable(opens: Iterable[data.Open]) -> Callable[[str], bool]:
    """Whether an account is, or is under, one opened with `billable: FALSE`."""
    marked = {
        entry.account
        for entry in opens
        if entry.meta.get(BILLABLE_KEY) is False
        or str(entry.meta.get(BILLABLE_KEY)).upper() == "FALSE"
    }

    def not_billable(account: str) -> bool:
        while account:
            if account in marked:
                return True
            account = account.rpartition(":")[0]
        return False

    return not_billable


class _TimeAccounts:
    """Which accounts keep a stock of hours, which are not billable, which are
    expenses; and who the client of a posting of hours is."""

    def __init__(self, scan: Scan, attributor: Attributor) -> None:
        config = scan.config
        self.stock = ReceivableAccounts(config.time_accounts_re)
        self.expense_time = ReceivableAccounts(config.time_expenses_re)
        self.not_billable = _not_billable(scan.opens)
        self.is_hours = functools.cache(config.is_hours)
        self._attributor = attributor
        self.billable = functools.cache(self._billable)
        self.expense = functools.cache(self._expense)

    def _billable(self, account: str) -> bool:
        return self.stock.is_receivable(account) and not self.not_billable(account)

    def _expense(self, account: str) -> bool:
        return self.expense_time.is_receivable(account) or account.startswith(
            "Expenses:"
        )

    def hours(self, entry: data.Transaction) -> list[tuple[data.Posting, Decimal]]:
        return [
            (posting, posting.units.number)
            for posting in entry.postings
            if posting.units is not None
            and isinstance(posting.units.number, Decimal)
            and self.is_hours(posting.units.currency)
        ]

    def client(self, entry: data.Transaction, posting: data.Posting) -> str | None:
        named = self.expense_time
        if not named.is_receivable(posting.account):
            named = self.stock
        return self._attributor.named_client(entry, posting, named)[0]


def _stock_records(scan: Scan, attributor: Attributor) -> Iterator[HourRecord]:
    """The records of the transactions on time accounts and `Expenses:Time`.

    Hours sent from the stock to an expense are written off; what an expense
    receives beyond them is work that is not billable.
    """
    accounts = _TimeAccounts(scan, attributor)
    for entry in scan.time_entries:
        hours = accounts.hours(entry)
        out = -sum(
            (n for p, n in hours if accounts.billable(p.account) and n < 0), ZERO
        )
        expensed = sum((n for p, n in hours if accounts.expense(p.account)), ZERO)
        to_write_off = written_off = max(ZERO, min(expensed, out))
        for posting, number in hours:
            account = posting.account
            if accounts.billable(account):
                off = min(to_write_off, -number) if number < 0 else ZERO
                to_write_off -= off
                yield HourRecord(
                    entry.date,
                    accounts.client(entry, posting),
                    "stock",
                    max(number, ZERO),
                    max(-number - off, ZERO),
                    number,
                    entry,
                )
                continue
            if number <= 0:
                continue
            absorbed = ZERO
            if accounts.expense(account):
                absorbed = min(written_off, number)
                written_off -= absorbed
            if number > absorbed and (
                accounts.stock.is_receivable(account)
                or accounts.expense_time.is_receivable(account)
            ):
                yield HourRecord(
                    entry.date,
                    accounts.client(entry, posting),
                    "not billable",
                    number - absorbed,
                    ZERO,
                    ZERO,
                    entry,
                )


# --- Priced hours and `hours:` metadata -------------------------------------


def _invoiced_records(
    scan: Scan, warnings: list[FreelanceError]
) -> Iterator[HourRecord]:
    """Priced hours and `hours:`, once per transaction: the income postings'
    units, else the receivable debits', else the `hours:` metadata."""
    is_hours = functools.cache(scan.config.is_hours)
    priced, noted = _hours_seen(scan, is_hours)
    if not priced and not noted:
        return
    attributed: Iterable[Attributed] = scan.attributed
    if not priced:  # `hours:` alone: the transactions that have one
        entries = map(id, map(_ENTRY, attributed))
        attributed = compress(attributed, map(noted.__contains__, entries))
    # The items of one transaction follow each other (`scan.attributed`).
    for _, group in itertools.groupby(attributed, key=_entry_id):
        items = list(group)
        entry = items[0].entry
        if priced and not _mentions_hours(entry, is_hours):
            continue
        found = _priced_income(items, is_hours)
        if not found:
            found = _priced_receivable(
                entry, scan.invoice_clients.get(id(entry)), scan, is_hours
            )
        source: Source = "priced"
        if not found:
            found = _metadata_hours(entry, items, warnings)
            source = "metadata"
        for client, hours in found.items():
            yield HourRecord(entry.date, client, source, hours, hours, ZERO, entry)
    if not priced:
        return
    income = set(map(id, map(_ENTRY, scan.attributed)))
    for receivable in scan.receivable_entries:
        entry = receivable.entry
        if id(entry) in income or not _mentions_hours(entry, is_hours):
            continue
        found = _priced_receivable(entry, None, scan, is_hours)
        for client, hours in found.items():
            yield HourRecord(entry.date, client, "priced", hours, hours, ZERO, entry)


_ENTRY = operator.attrgetter("entry")
_INDEX = operator.itemgetter(1)  # Attributed.index
_RECEIVABLES = operator.itemgetter(1)  # ReceivableEntry.receivables
_POSTINGS = operator.attrgetter("postings")
_UNITS = operator.attrgetter("units")
_CURRENCY = operator.attrgetter("currency")
_META = operator.attrgetter("meta")
_HAS_HOURS = operator.methodcaller("__contains__", HOURS_KEY)
_NOT_NONE = functools.partial(operator.is_not, None)


def _entry_id(item: Attributed) -> int:
    return id(item.entry)


def _hours_seen(scan: Scan, is_hours: Callable[[str], bool]) -> tuple[bool, set[int]]:
    """Whether a posting that hours are read from is in hours (an income
    posting, a receivable's); and the ids of the income transactions with an
    `hours:` on them or on an income posting. Most ledgers have neither, and
    are told so in C-level loops over those postings only."""
    attributed = scan.attributed
    income = list(map(_ENTRY, attributed))
    postings = list(
        map(operator.getitem, map(_POSTINGS, income), map(_INDEX, attributed))
    )
    metas = list(map(_META, postings))
    if None in metas:  # a posting a plugin made may have none
        metas = [meta or {} for meta in metas]
    noted = map(
        operator.or_, map(_HAS_HOURS, map(_META, income)), map(_HAS_HOURS, metas)
    )
    found = set(map(id, compress(income, noted)))
    postings.extend(_receivable_postings(scan.receivable_entries))
    units = filter(_NOT_NONE, map(_UNITS, postings))
    return any(map(is_hours, set(map(_CURRENCY, units)))), found


def _receivable_postings(
    receivable: Sequence[ReceivableEntry],
) -> Iterable[data.Posting]:
    """The receivable postings of these transactions, in C-level loops when
    each has one (the common case)."""
    counts = map(len, map(_RECEIVABLES, receivable))
    if all(map(operator.eq, counts, itertools.repeat(1))):
        return map(
            operator.getitem,
            map(_POSTINGS, map(_ENTRY, receivable)),
            map(operator.itemgetter(0), map(_RECEIVABLES, receivable)),
        )
    return (
        item.entry.postings[index] for item in receivable for index in item.receivables
    )


def _mentions_hours(entry: data.Transaction, is_hours: Callable[[str], bool]) -> bool:
    """Whether a transaction has a posting in hours or an `hours:` at all: the
    quick test that most transactions of most ledgers fail. Runs once per
    income or receivable transaction: kept flat."""
    if HOURS_KEY in entry.meta:
        return True
    for posting in entry.postings:
        units = posting.units
        if units is not None and is_hours(units.currency):
            return True
        meta = posting.meta
        if meta and HOURS_KEY in meta:
            return True
    return False


def _priced_income(
    items: list[Attributed], is_hours: Callable[[str], bool]
) -> dict[str | None, Decimal]:
    found: dict[str | None, Decimal] = {}
    for item in items:
        units = item.posting.units
        if (
            units is not None
            and isinstance(units.number, Decimal)
            and is_hours(units.currency)
        ):
            found[item.client] = found.get(item.client, ZERO) - units.number
    return found


def _priced_receivable(
    entry: data.Transaction,
    client: str | None,
    scan: Scan,
    is_hours: Callable[[str], bool],
) -> dict[str | None, Decimal]:
    """The hours debited to receivables; a credit in hours is a payment."""
    accounts = scan.receivable_accounts
    found: dict[str | None, Decimal] = {}
    for posting in entry.postings:
        units = posting.units
        if (
            units is None
            or not isinstance(units.number, Decimal)
            or units.number <= 0
            or not is_hours(units.currency)
            or not accounts.is_receivable(posting.account)
        ):
            continue
        named = client
        if named is None:
            named = accounts.client_of(posting.account)
            if named not in scan.book.clients:
                named = None
        found[named] = found.get(named, ZERO) + units.number
    return found


def _metadata_hours(
    entry: data.Transaction, items: list[Attributed], warnings: list[FreelanceError]
) -> dict[str | None, Decimal]:
    """`hours:` on the income postings, else once on the transaction."""
    found: dict[str | None, Decimal] = {}
    for item in items:
        meta = item.posting.meta
        if meta and HOURS_KEY in meta:
            number = _number(meta[HOURS_KEY], posting_source(entry, item.posting))
            if isinstance(number, FreelanceError):
                warnings.append(number)
            else:
                found[item.client] = found.get(item.client, ZERO) + number
    if found or HOURS_KEY not in entry.meta:
        return found
    number = _number(entry.meta[HOURS_KEY], entry.meta)
    if isinstance(number, FreelanceError):
        warnings.append(number)
        return found
    clients = [item.client for item in items if item.client is not None]
    return {clients[0] if clients else None: number}


def _number(value: object, source: data.Meta) -> Decimal | FreelanceError:
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            pass
        else:
            if number.is_finite():
                return number
    return FreelanceError(
        source,
        message(
            N_("hours: must be a number of hours, as `hours: 6.5`, not {value}"),
            value=repr(value),
        ),
        None,
    )
