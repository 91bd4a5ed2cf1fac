"""Receivable accounts, and the client a per-client receivable names.

Real books keep one receivable per client (`Assets:Receivable:Acme`,
`Assets:AccountsReceivable:Acme`, `Assets:Receivables:Acme:2024`): the account
says who the client is. The receivable root is the match of the `receivables`
pattern extended to the end of its component; the next component, if any,
names the client. A declaration's `receivable:` maps an account to a client of
another name. docs/receivables.md describes the rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_freelance.core.ledger.patterns import Pattern

__all__ = ["ReceivableAccounts"]


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
        """The client a receivable account names, or None (shared or no receivable)."""
        try:
            return self._clients[account]
        except KeyError:
            pass
        client = self._find_client(account)
        self._clients[account] = client
        return client

    def _find_client(self, account: str) -> str | None:
        root = self.root(account)
        if root is None:
            return None
        candidate = account
        while len(candidate) > len(root):
            if candidate in self._declared:
                return self._declared[candidate]
            candidate = candidate.rpartition(":")[0]
        rest = account[len(root) + 1 :]
        return rest.split(":", 1)[0] or None
