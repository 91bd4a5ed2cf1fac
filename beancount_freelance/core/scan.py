"""One reading of a ledger, shared by the revenue streams and the receivables.

`scan_ledger` walks a ledger's entries once, as the plugin does: it reads the
client book (declarations, events, every account), finds which postings of each
transaction are income and which are receivables (memoised per combination of
accounts: a ledger repeats a few), keeps the `price` and `open` directives, then
attributes the income postings to their clients. `streams.analyse` and
`receivables.analyse_receivables` each scan the ledger when called alone;
`report.analyse_report` scans it once and gives the same `Scan` to both.
Pure functions over Beancount's entries: no I/O.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.clients import (
    CLIENT_KEY,
    Attributed,
    Attributor,
    BookReader,
)
from beancount_freelance.core.rates import Rates
from beancount_freelance.core.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.settlements import ReceivableEntry, read_receivable

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from beancount_freelance.core.clients import ClientBook
    from beancount_freelance.core.config import Config

__all__ = ["Scan", "scan_ledger"]

_ACCOUNT_OF = operator.attrgetter("account")

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
    # Every transaction posting to a receivable, in ledger order.
    receivable_entries: tuple[ReceivableEntry, ...]
    # The client of each such transaction's first attributed income credit (an
    # invoice's), else of its first attributed income posting, by its id().
    invoice_clients: Mapping[int, str | None]
    prices: tuple[data.Price, ...]
    opens: tuple[data.Open, ...]
    rates: Rates  # the one conversion of revenue and receivables
    receivable_accounts: ReceivableAccounts


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
    entries: Sequence[data.Directive],
    config: Config,
    *,
    receivables: bool = True,
    operating: Iterable[str] = (),
) -> Scan:
    """Read the ledger once; attribute its income postings to their clients.

    `receivables=False` leaves `receivable_entries` empty, for the revenue
    streams alone. `operating`: the ledger's operating currencies (money even
    where nothing prices them).
    """
    reader = BookReader()
    classifier = _Classifier(config)
    known = classifier.by_accounts.get
    income: list[data.Transaction] = []
    indices: list[tuple[int, ...]] = []  # of each income transaction's income
    linked: list[ReceivableEntry] = []
    prices: list[data.Price] = []
    opens: list[data.Open] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            accounts = tuple(map(_ACCOUNT_OF, entry.postings))
            kinds = known(accounts) or classifier.kinds(accounts)
            if kinds[0]:
                income.append(entry)
                indices.append(kinds[0])
            if kinds[1] and receivables:
                linked.append(read_receivable(entry, kinds[1], kinds[2]))
        else:
            reader.read(entry)
            if isinstance(entry, data.Price):
                prices.append(entry)
            elif isinstance(entry, data.Open):
                opens.append(entry)
    book, _ = reader.book({a for key in classifier.by_accounts for a in key})
    on_receivables = {id(item.entry) for item in linked}
    attributed, clients = _attribute(
        income, indices, book, Attributor(book, config), on_receivables
    )
    return Scan(
        config,
        book,
        tuple(attributed),
        tuple(linked),
        clients,
        tuple(prices),
        tuple(opens),
        Rates(prices, entries, operating),
        ReceivableAccounts(config.receivables_re),
    )


def _attribute(
    income: Iterable[data.Transaction],
    indices: Iterable[tuple[int, ...]],
    book: ClientBook,
    attributor: Attributor,
    on_receivables: set[int],
) -> tuple[list[Attributed], dict[int, str | None]]:
    """Every income posting with its client; and, by the id of each transaction
    of `on_receivables`, the client of its first attributed income credit.

    Runs once per income transaction: kept flat. The commonest transaction once
    the plugin has run, one income posting whose `client:` is a known id (and the
    transaction's, if any, too), takes rule 1 here, without the attributor's
    walk; every other one goes through `Attributor.postings_of`.
    """
    known = book.clients
    attributed: list[Attributed] = []
    clients: dict[int, str | None] = {}
    postings_of: Callable[[data.Transaction, tuple[int, ...]], list[Attributed]]
    postings_of = attributor.postings_of
    for entry, income_indices in zip(income, indices, strict=True):
        client = None
        if len(income_indices) == 1:
            posting = entry.postings[income_indices[0]]
            client = posting.meta.get(CLIENT_KEY) if posting.meta else None
        if client.__class__ is str and client in known:
            entry_client = entry.meta.get(CLIENT_KEY)
            if entry_client is None or (
                entry_client.__class__ is str and entry_client in known
            ):
                attributed.append(
                    Attributed(entry, income_indices[0], client, "posting")
                )
                if id(entry) in on_receivables:
                    clients[id(entry)] = client
                continue
        items = postings_of(entry, income_indices)
        attributed.extend(items)
        if id(entry) in on_receivables:
            clients[id(entry)] = _receivable_client(items)
    return attributed, clients


def _receivable_client(items: list[Attributed]) -> str | None:
    """The client of the first attributed income credit (an invoice's), else of
    the first attributed income posting (a credit note's)."""
    named = [item for item in items if item.client is not None]
    for item in named:
        if _credits(item.posting):
            return item.client
    return named[0].client if named else None


def _credits(posting: data.Posting) -> bool:
    units = posting.units
    return units is not None and isinstance(units.number, Decimal) and units.number < 0
