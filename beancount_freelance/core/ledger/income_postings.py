"""Which postings of a transaction are income: the config's `income` regex.

A closing entry (every posting on income, expenses or equity, one at least on
equity: a year-end closing, `hledger close --retain`) has none: moving income to
equity earns nothing. The attribution (`core.ledger.attribution`), the plugin
and the scan ask here. Memoised per combination of accounts. Pure.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.patterns import finds

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.config import Config

__all__ = ["IncomePostings", "is_closing"]

_ACCOUNT_OF = operator.attrgetter("account")
_POSTINGS_OF = operator.attrgetter("postings")
_ACCOUNTS_OF = functools.partial(map, _ACCOUNT_OF)


class IncomePostings:
    """Which postings of a transaction are income, by the config's regex.

    A ledger repeats the same few combinations of accounts in many transactions,
    so the answer is memoised per combination and each account tested once.
    """

    def __init__(self, config: Config) -> None:
        self._by_accounts = _IncomeIndices(config)

    def of(self, entry: data.Transaction) -> tuple[int, ...]:
        """The indices of the transaction's income postings."""
        return self._by_accounts[tuple(map(_ACCOUNT_OF, entry.postings))]

    def of_each(
        self, transactions: Iterable[data.Transaction]
    ) -> Iterator[tuple[int, ...]]:
        """`of` for each transaction, with no Python-level call per transaction."""
        return map(
            self._by_accounts.__getitem__,
            map(tuple, map(_ACCOUNTS_OF, map(_POSTINGS_OF, transactions))),
        )

    def accounts(self) -> set[str]:
        """Every account the transactions seen so far post to."""
        return {account for key in self._by_accounts for account in key}


class _IncomeIndices(dict[tuple[str, ...], tuple[int, ...]]):
    """Accounts of a transaction -> indices of its income postings, memoised.

    A closing entry has none: moving income to equity earns nothing.
    """

    def __init__(self, config: Config) -> None:
        super().__init__()
        self._config = config
        self._income = finds(config.income_re)

    def __missing__(self, accounts: tuple[str, ...]) -> tuple[int, ...]:
        income = self._income
        indices = tuple(
            index for index, account in enumerate(accounts) if income(account)
        )
        if indices and is_closing(accounts, self._config, income):
            indices = ()
        self[accounts] = indices
        return indices


def is_closing(
    accounts: Iterable[str], config: Config, income: Callable[[str], bool]
) -> bool:
    """A closing entry: every posting on income, expenses or equity, one at
    least on equity (year-end closing, `hledger close --retain`)."""
    expenses, equity = config.closing_roots
    on_equity = False
    for account in accounts:
        root = account.partition(":")[0]
        if root == equity:
            on_equity = True
        elif root != expenses and root != config.roots[0] and not income(account):
            return False
    return on_equity
