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

from beancount_freelance.core.ahead.targets import BUDGET
from beancount_freelance.core.ledger.attribution import (
    Attributed,
    Attributor,
    receivable_accounts,
)
from beancount_freelance.core.ledger.book_reader import BookReader, PayeeClients
from beancount_freelance.core.ledger.patterns import finds
from beancount_freelance.core.ledger.proposals import PROPOSAL_TYPES
from beancount_freelance.core.ledger.rates import Rates
from beancount_freelance.core.ledger.receivable_accounts import (
    ReceivableAccounts,
    ReceivableEntry,
)

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.ledger.config import Config

__all__ = ["Scan", "scan_ledger"]

_ACCOUNT_OF = operator.attrgetter("account")
# Directives that say what happened with a client, like a transaction does: the
# last of them dates the ledger (a proposal sent after the last payment counts).
_EVENT_TYPES = frozenset(("client-lost", "client-back", *PROPOSAL_TYPES))

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
    # The date of the last transaction or client event (`client-lost`,
    # `client-back`, a proposal and its outcome): not of a later open, price or
    # other custom directive.
    last_activity: datetime.date | None = None
    budgets: tuple[data.Custom, ...] = ()  # its `custom "budget"` directives


class _Classifier:
    """Which postings of a transaction are income and which receivables."""

    def __init__(self, config: Config) -> None:
        self._income = finds(config.income_re)
        self._receivable = finds(config.receivables_re)
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
    payees = PayeeClients(config)
    classifier = _Classifier(config)
    known = classifier.by_accounts.get
    income: list[data.Transaction] = []
    indices: list[tuple[int, ...]] = []  # of each income transaction's income
    invoicing: list[bool] = []  # whether each income transaction posts to a receivable
    linked: list[ReceivableEntry] = []
    prices: list[data.Price] = []
    opens: list[data.Open] = []
    budgets: list[data.Custom] = []
    last: data.Directive | None = None
    make = tuple.__new__  # as `ReceivableEntry._make` builds one, minus its checks
    for entry in entries:
        if isinstance(entry, data.Transaction):
            last = entry
            accounts = tuple(map(_ACCOUNT_OF, entry.postings))
            kinds = known(accounts) or classifier.kinds(accounts)
            if kinds[0]:
                income.append(entry)
                indices.append(kinds[0])
                invoicing.append(bool(kinds[1]) and receivables)
                payees.add(entry)
            if kinds[1] and receivables:
                linked.append(make(ReceivableEntry, (entry, kinds[1], kinds[2])))
        else:
            reader.read(entry)
            if isinstance(entry, data.Price):
                prices.append(entry)
            elif isinstance(entry, data.Open):
                opens.append(entry)
            elif isinstance(entry, data.Custom):
                if entry.type in _EVENT_TYPES:
                    last = entry
                elif entry.type == BUDGET:
                    budgets.append(entry)
    book, _ = reader.book(
        {a for key in classifier.by_accounts for a in key}, config, payees.found
    )
    accounts_of = receivable_accounts(book, config)
    attributed, clients = _attribute(
        income, indices, Attributor(book, config, accounts_of), invoicing
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
        accounts_of,
        None if last is None else last.date,
        tuple(budgets),
    )


def _attribute(
    income: list[data.Transaction],
    indices: list[tuple[int, ...]],
    attributor: Attributor,
    invoicing: list[bool],
) -> tuple[list[Attributed], dict[int, str | None]]:
    """Every income posting with its client (the one attribution); and, by the
    id of each transaction that `invoicing` marks (it posts to a receivable),
    the client of its invoice."""
    attributed: list[Attributed] = []
    clients: dict[int, str | None] = {}
    each = attributor.postings_of_each(income, indices)
    for entry, items, invoice in zip(income, each, invoicing, strict=True):
        attributed.extend(items)
        if invoice:
            clients[id(entry)] = _receivable_client(items)
    return attributed, clients


def _receivable_client(items: list[Attributed]) -> str | None:
    """The client of the first attributed income credit (an invoice's), else of
    the first attributed income posting (a credit note's)."""
    if len(items) == 1:  # the common invoice: what follows gives its client
        return items[0].client
    named = [item for item in items if item.client is not None]
    for item in named:
        if _credits(item.posting):
            return item.client
    return named[0].client if named else None


def _credits(posting: data.Posting) -> bool:
    units = posting.units
    return units is not None and isinstance(units.number, Decimal) and units.number < 0
