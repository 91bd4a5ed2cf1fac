"""One reading of a ledger, shared by the revenue streams and the receivables.

`scan_ledger` walks a ledger's entries once, as the plugin does: it reads the
client book (declarations, events, every account), finds which postings of each
transaction are income and which are receivables (memoised per combination of
accounts: a ledger repeats a few), keeps the `price` and `open` directives, then
attributes the income postings to their clients (`clients.Attributor`, the one
attribution). `question.ask` scans the ledger once for every analysis.
Pure functions over Beancount's entries: no I/O.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.book_reader import BookReader, PayeeClients
from beancount_freelance.core.clients import (
    Attributed,
    Attributor,
    receivable_accounts,
)
from beancount_freelance.core.settlements import Linked, read_linked

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping

    from beancount_freelance.core.book import ClientBook
    from beancount_freelance.core.config import Config

__all__ = ["Scan", "scan_ledger"]

_ACCOUNT_OF = operator.attrgetter("account")
_EVENT_TYPES = frozenset(("client-lost", "client-back"))

# Per combination of accounts: the indices of the income postings (config
# `income`), of the receivable postings (config `receivables`), and of the income
# postings that are not receivables (what a receivable's transaction earns).
_Kinds = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scan:
    """What the analyses read from a ledger's entries, for one configuration."""

    config: Config
    book: ClientBook
    attributed: tuple[Attributed, ...]  # every income posting, in ledger order
    linked: tuple[Linked, ...]  # transactions with links posting to a receivable
    # The client of each linked transaction's first attributed income credit (an
    # invoice's), by the transaction's id().
    invoice_clients: Mapping[int, str | None]
    prices: tuple[data.Price, ...]
    opens: tuple[data.Open, ...]
    # The date of the last transaction or client event (`client-lost`,
    # `client-back`): not of a later open, price or other custom directive.
    last_activity: datetime.date | None = None


class _Classifier:
    """Which postings of a transaction are income and which receivables."""

    def __init__(self, config: Config) -> None:
        self._income = config.income_re.search
        self._receivable = config.receivables_re.search
        self.by_accounts: dict[tuple[str, ...], _Kinds] = {}

    def kinds(self, accounts: tuple[str, ...]) -> _Kinds:
        income = tuple(i for i, a in enumerate(accounts) if self._income(a))
        receivable = tuple(i for i, a in enumerate(accounts) if self._receivable(a))
        earning = tuple(i for i in income if i not in receivable)
        kinds = self.by_accounts[accounts] = (income, receivable, earning)
        return kinds


def scan_ledger(
    entries: Iterable[data.Directive], config: Config, *, receivables: bool = True
) -> Scan:
    """Read the ledger once; attribute its income postings to their clients.

    `receivables=False` leaves `linked` empty, for the revenue streams alone.
    """
    reader = BookReader()
    payees = PayeeClients(config)
    classifier = _Classifier(config)
    known = classifier.by_accounts.get
    income: list[data.Transaction] = []
    indices: list[tuple[int, ...]] = []  # of each income transaction's income
    linked: list[Linked] = []
    prices: list[data.Price] = []
    opens: list[data.Open] = []
    last: data.Directive | None = None
    for entry in entries:
        if isinstance(entry, data.Transaction):
            last = entry
            accounts = tuple(map(_ACCOUNT_OF, entry.postings))
            kinds = known(accounts) or classifier.kinds(accounts)
            if kinds[0]:
                income.append(entry)
                indices.append(kinds[0])
                payees.add(entry)
            if kinds[1] and entry.links and receivables:
                linked.append(read_linked(entry, kinds[1], kinds[2]))
        else:
            reader.read(entry)
            if isinstance(entry, data.Price):
                prices.append(entry)
            elif isinstance(entry, data.Open):
                opens.append(entry)
            elif isinstance(entry, data.Custom) and entry.type in _EVENT_TYPES:
                last = entry
    book, _ = reader.book(
        {a for key in classifier.by_accounts for a in key}, config, payees.found
    )
    attributor = Attributor(book, config, receivable_accounts(book, config))
    attributed, clients = _attribute(income, indices, attributor, receivables)
    return Scan(
        config,
        book,
        tuple(attributed),
        tuple(linked),
        clients,
        tuple(prices),
        tuple(opens),
        None if last is None else last.date,
    )


def _attribute(
    income: Iterable[data.Transaction],
    indices: Iterable[tuple[int, ...]],
    attributor: Attributor,
    invoices: bool,
) -> tuple[list[Attributed], dict[int, str | None]]:
    """Every income posting with its client; and, if `invoices`, by the id of each
    transaction with links, the client of its first attributed income credit."""
    attributed: list[Attributed] = []
    clients: dict[int, str | None] = {}
    income = list(income)
    each = attributor.postings_of_each(income, indices)
    for entry, items in zip(income, each, strict=True):
        attributed.extend(items)
        if invoices and entry.links:
            clients[id(entry)] = next(
                (
                    item.client
                    for item in items
                    if item.client is not None and _credits(item.posting)
                ),
                None,
            )
    return attributed, clients


def _credits(posting: data.Posting) -> bool:
    units = posting.units
    return units is not None and isinstance(units.number, Decimal) and units.number < 0
