"""One reading of a ledger: its client book, and which postings are which.

`read_ledger` walks a ledger's entries once, in C-level loops: the directives
other than transactions go to the client book (declarations, events, proposals,
every account), each transaction's postings are sorted into income and
receivables by one memo per combination of accounts (`PostingKinds`: a ledger
repeats a few), then the book is made. The plugin, the scan and the importers'
directory all read a ledger with it, then attribute its income postings one
transaction at a time (`LedgerReading.attributed`, the one attribution of
`attribution.Attributor`); the plugin writes each transaction's clients as it
goes. `attribute` attributes a few transactions against a book already read
(the import hook's new entries). Pure functions over Beancount's entries.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from itertools import compress, repeat
from typing import TYPE_CHECKING, cast

from beancount.core import data

from beancount_freelance.core.ledger.attribution import (
    Attributed,
    Attributor,
    receivable_accounts,
)
from beancount_freelance.core.ledger.book_reader import BookReader, PayeeClients
from beancount_freelance.core.ledger.patterns import finds

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from beancount_freelance.core.ledger.book import ClientBook, FreelanceError
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.receivable_accounts import (
        ReceivableAccounts,
    )

__all__ = [
    "Attribution",
    "Kinds",
    "LedgerReading",
    "PostingKinds",
    "attribute",
    "attribute_transaction",
    "is_closing",
    "read_book",
    "read_ledger",
]

_ACCOUNT_OF = operator.attrgetter("account")
_POSTINGS_OF = operator.attrgetter("postings")
_ACCOUNTS_OF = functools.partial(map, _ACCOUNT_OF)
_INCOME_OF = operator.itemgetter(0)

# Of one transaction: the indices of its income postings (config `income`; none
# in a closing entry, `is_closing`), of
# its receivable postings (config `receivables`), and of its income postings that
# are not receivables (what a receivable's transaction earns); and whether it
# posts to a stock of hours or to hours written off (docs/time.md); and whether
# it is a closing entry.
Kinds = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], bool, bool]


class PostingKinds(dict[tuple[str, ...], Kinds]):
    """The accounts of a transaction -> the kinds of its postings, memoised.

    A ledger repeats the same few combinations of accounts in many
    transactions: each combination is worked out once, each account asked once
    of each regex (`patterns.finds`).
    """

    def __init__(self, config: Config) -> None:
        super().__init__()
        self._config = config
        self._income = finds(config.income_re)
        self._receivable = finds(config.receivables_re)
        self._time = finds(config.time_accounts_re)
        self._written_off = finds(config.time_expenses_re)

    def __missing__(self, accounts: tuple[str, ...]) -> Kinds:
        income = tuple(i for i, a in enumerate(accounts) if self._income(a))
        closing = bool(income) and is_closing(accounts, self._config, self._income)
        if closing:
            income = ()  # moving income to equity earns nothing
        receivable = tuple(i for i, a in enumerate(accounts) if self._receivable(a))
        earning = tuple(i for i in income if i not in receivable)
        timed = any(self._time(a) or self._written_off(a) for a in accounts)
        kinds = self[accounts] = (income, receivable, earning, timed, closing)
        return kinds

    def of(self, entry: data.Transaction) -> Kinds:
        return self[tuple(map(_ACCOUNT_OF, entry.postings))]

    def of_each(self, transactions: Iterable[data.Transaction]) -> Iterator[Kinds]:
        """`of` for each transaction, with no Python-level call per transaction."""
        return map(
            self.__getitem__,
            map(tuple, map(_ACCOUNTS_OF, map(_POSTINGS_OF, transactions))),
        )

    def accounts(self) -> set[str]:
        """Every account the transactions seen so far post to."""
        return {account for key in self for account in key}


def is_closing(
    accounts: Iterable[str], config: Config, income: Callable[[str], bool]
) -> bool:
    """A closing entry: every posting on income, expenses or equity, one at
    least on equity (year-end closing, `hledger close --retain`). It has no
    income posting."""
    expenses, equity = config.closing_roots
    on_equity = False
    for account in accounts:
        root = account.partition(":")[0]
        if root == equity:
            on_equity = True
        elif root != expenses and root != config.roots[0] and not income(account):
            return False
    return on_equity


@dataclass(frozen=True)
class LedgerReading:
    """A ledger read once: its book, and the kinds of every transaction's postings."""

    entries: Sequence[data.Directive]
    config: Config
    book: ClientBook
    errors: tuple[FreelanceError, ...]  # the book's (a malformed directive…)
    transactions: list[data.Transaction]  # every transaction, in ledger order
    kinds: list[Kinds]  # of each transaction's postings
    others: list[data.Directive]  # every other directive, in ledger order
    income: list[data.Transaction]  # the transactions with an income posting
    income_kinds: list[Kinds]  # of each of those
    receivable_accounts: ReceivableAccounts
    attributor: Attributor
    # A key of `client_keys` other than `client:` on an income transaction or
    # one of its postings.
    other_keys_seen: bool
    # Each combination of accounts the transactions post to -> its kinds (the
    # very tuples of `kinds`: a transaction's combination is known by them).
    combinations: Mapping[tuple[str, ...], Kinds]

    def attributed(self) -> Iterator[list[Attributed]]:
        """Each income transaction's income postings, each with its client, one
        transaction at a time (the attributor collects the errors it meets)."""
        return self.attributor.postings_of_each(
            self.income,
            map(_INCOME_OF, self.income_kinds),
            other_keys=self.other_keys_seen,
        )


def read_ledger(entries: Sequence[data.Directive], config: Config) -> LedgerReading:
    """Read the ledger's book and sort its postings; see the module's docstring."""
    is_transaction = list(map(isinstance, entries, repeat(data.Transaction)))
    others = list(compress(entries, map(operator.not_, is_transaction)))
    reader = BookReader()
    for entry in others:
        reader.read(entry)
    transactions = cast(
        "list[data.Transaction]", list(compress(entries, is_transaction))
    )
    memo = PostingKinds(config)
    kinds = list(memo.of_each(transactions))
    has_income = list(map(_INCOME_OF, kinds))  # a tuple: true when not empty
    income = list(compress(transactions, has_income))
    payees = PayeeClients(config)
    payees.add_each(income)
    book, errors = reader.book(memo.accounts(), config, payees.found, payees.named)
    accounts = receivable_accounts(book, config)
    return LedgerReading(
        entries,
        config,
        book,
        tuple(errors),
        transactions,
        kinds,
        others,
        income,
        list(compress(kinds, has_income)),
        accounts,
        Attributor(book, config, accounts),
        payees.other_keys_seen,
        memo,
    )


def read_book(
    entries: Sequence[data.Directive], config: Config
) -> tuple[ClientBook, list[FreelanceError]]:
    """The client book of a ledger and its problems, as `read_ledger` reads them."""
    reading = read_ledger(entries, config)
    return reading.book, list(reading.errors)


# --- A few transactions, against a book already read ---------------------------


@dataclass(frozen=True)
class Attribution:
    """Every income posting of some entries with its client, and what went wrong."""

    postings: tuple[Attributed, ...]
    errors: tuple[FreelanceError, ...]


def attribute(
    entries: Iterable[data.Directive], book: ClientBook, config: Config
) -> Attribution:
    """Attribute every income posting of the entries, first rule that applies wins."""
    kinds = PostingKinds(config)
    attributor = Attributor(book, config, receivable_accounts(book, config))
    found: list[Attributed] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            indices = kinds.of(entry)[0]
            if indices:
                found.extend(attributor.postings_of(entry, indices))
    return Attribution(tuple(found), tuple(attributor.errors(found)))


def attribute_transaction(
    entry: data.Transaction,
    book: ClientBook,
    config: Config,
    receivables: ReceivableAccounts,
) -> tuple[list[Attributed], list[FreelanceError]]:
    """The income postings of one transaction, each with its client, and the
    problems found (unattributed postings under `require_client` included).

    For a caller that meets transactions one at a time; the book is the
    existing ledger's (`read_ledger`, or `read_book`).
    """
    attributor = Attributor(book, config, receivables)
    found = attributor.postings_of(entry, PostingKinds(config).of(entry)[0])
    return found, attributor.errors(found)
