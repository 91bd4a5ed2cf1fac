"""Receivable accounts, and the client a per-client receivable names.

Real books keep one receivable per client (`Assets:Receivable:Acme`,
`Assets:AccountsReceivable:Acme`, `Assets:Receivables:Acme:2024`): the account
says who the client is. The receivable root is the match of the `receivables`
pattern extended to the end of its component; the next component, if any,
names the client. A declaration's `receivable:` maps an account to a client of
another name. A deposit held as a liability until it is earned
(`Liabilities:Deposits:Acme`, `Liabilities:Unearned:Acme`,
`Liabilities:Deferred:Acme`, `book.deposit_root`: the attribution's one rule)
names its client the same way, though it is no receivable. docs/receivables.md
describes the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from beancount_freelance.core.ledger.book import deposit_root

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount.core import data

    from beancount_freelance.core.ledger.patterns import Pattern

__all__ = ["ReceivableAccounts", "ReceivableEntry"]


class ReceivableEntry(NamedTuple):
    """A transaction posting to a receivable: which postings are which."""

    entry: data.Transaction
    receivables: tuple[int, ...]  # indices of its receivable postings
    earning: tuple[int, ...]  # indices of its income postings (not receivables)


class ReceivableAccounts:
    """Which accounts are receivables, and which client each one names.

    `declared` maps a receivable account (and its sub-accounts) to a client id,
    from the declarations' `receivable:`; it wins over the account's name.
    Answers are memoised: a ledger repeats the same accounts.
    """

    def __init__(
        self, pattern: Pattern, declared: Mapping[str, str] | None = None
    ) -> None:
        self._search = pattern.search
        self._declared = dict(declared or {})
        self._roots: dict[str, str | None] = {}
        self._clients: dict[str, str | None] = {}
        self._client_roots: dict[str, str] = {}

    def root(self, account: str) -> str | None:
        """The receivable root of an account, or None when it is no receivable."""
        try:
            return self._roots[account]
        except KeyError:
            pass
        match = self._search(account)
        root: str | None = None
        if match is not None:
            # A pattern may end with the separator (`(:|$)`): the root stops before.
            found = match.span()[1]
            if found and account[found - 1] == ":":
                found -= 1
            end = account.find(":", found)
            root = account if end < 0 else account[:end]
        self._roots[account] = root
        return root

    def is_receivable(self, account: str) -> bool:
        return self.root(account) is not None

    def client_of(self, account: str) -> str | None:
        """The client a receivable (or a deposit liability) names, or None: a
        shared account, or neither."""
        try:
            return self._clients[account]
        except KeyError:
            pass
        client = self._find_client(account)
        self._clients[account] = client
        return client

    def client_root(self, account: str) -> str:
        """The account that names a receivable's client (`Assets:Receivable:Acme`
        for `Assets:Receivable:Acme:Website`); a shared account itself."""
        found = self._client_roots.get(account)
        if found is None:
            self.client_of(account)
            found = self._client_roots.get(account, account)
        return found

    def _find_client(self, account: str) -> str | None:
        root = self.root(account)
        if root is None:
            # A client's money held until it is earned: the one deposit rule.
            root = deposit_root(account)
            if root is None:
                return None
        candidate = account
        while len(candidate) > len(root):
            if candidate in self._declared:
                self._client_roots[account] = candidate
                return self._declared[candidate]
            candidate = candidate.rpartition(":")[0]
        client = account[len(root) + 1 :].split(":", 1)[0]
        if client:
            self._client_roots[account] = f"{root}:{client}"
        return client or None
