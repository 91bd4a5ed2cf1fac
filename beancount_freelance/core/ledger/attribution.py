"""Which income belongs to which client: the one attribution of the package.

`Attributor.postings_of` attributes the income postings of one transaction, first
rule that applies wins (docs/ledger.md lists them): (1) posting `client:` or
another of `client_keys` (`customer:`); (2) the same keys on the transaction;
(2b) a tag of `client_tags` (`#client-acme`); (3) an account owned by a client
(declared `account:`, else config `client_accounts`); (4) the payee, else the
narration of a transaction without payee, matches exactly one declared `payee:`
regex; (5) on `payee_accounts`, the payee names the client; (6) the
transaction's receivable sub-account, or a deposit held as a liability, names
the client; else unattributed. A value of `customer:` or of a tag names a
declared client by its id (any case), its name or its `payee:` regex, else is
the id as written. Closing entries (income moved to equity) are no income.
The plugin, the scan and the import hook all call it; its fast path for the
common case lives inside it. Pure functions over Beancount's entries: no I/O.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data

from beancount_freelance.core.ledger.attribution_errors import (
    account_as_client,
    malformed_client,
    malformed_key,
    several_payee_clients,
    several_tag_clients,
    unattributed,
)
from beancount_freelance.core.ledger.book import (
    CLIENT_KEY,
    ClientBook,
    FreelanceError,
    Rule,
    WrittenClient,
    deposit_client,
    posting_source,
)
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.config import Config

__all__ = ["Attributed", "Attributor", "receivable_accounts"]

_ACCOUNT = operator.attrgetter("account")


# --- Attribution -------------------------------------------------------------


class Attributed(NamedTuple):
    """One income posting and the client it belongs to (None: unattributed).

    A named tuple: one is made per income posting of the ledger, and a tuple is
    the quickest immutable value to build.
    """

    entry: data.Transaction
    # The posting's position in its transaction; it hides tuple.index, unused here.
    index: int  # type: ignore[assignment]
    client: str | None
    rule: Rule | None

    @property
    def posting(self) -> data.Posting:
        return self.entry.postings[self.index]


def receivable_accounts(book: ClientBook, config: Config) -> ReceivableAccounts:
    """The ledger's receivable accounts, the declared `receivable:` first."""
    return ReceivableAccounts(config.receivables_re, book.declared_receivables)


class Attributor:
    """The attribution, one transaction at a time, for a caller that walks them.

    Errors (a malformed or unknown `client:`, a payee matching several clients)
    are collected as it goes; `errors` adds the unattributed postings.
    """

    def __init__(
        self, book: ClientBook, config: Config, receivables: ReceivableAccounts
    ) -> None:
        self._book = book
        self._config = config
        self._receivables = receivables
        payee_accounts = config.payee_accounts_re
        self._payee_account = None if payee_accounts is None else payee_accounts.search
        self._keys = config.client_keys
        # The keys other than `client:`: a posting or transaction with one of
        # them takes the general path.
        self._other_keys = frozenset(key for key in self._keys if key != CLIENT_KEY)
        self._key_set = frozenset(self._keys)
        self._fast = CLIENT_KEY in self._keys
        self._tag = config.client_tags_re.search
        self._errors: list[FreelanceError] = []
        # `named_client` of the postings without keys or tags (`_plain_named`).
        self._named_memo: dict[tuple[object, ...], tuple[str | None, Rule | None]] = {}

    def postings_of(
        self, entry: data.Transaction, indices: Iterable[int]
    ) -> list[Attributed]:
        """The transaction's income postings (by index), each with its client."""
        return next(self.postings_of_each((entry,), (tuple(indices),)))

    def postings_of_each(
        self,
        entries: Iterable[data.Transaction],
        indices: Iterable[tuple[int, ...]],
        *,
        other_keys: bool = True,
    ) -> Iterator[list[Attributed]]:
        """`postings_of` for each transaction, with the indices of its income.

        The fast path settles rules 1 to 4 when no `client:` can be wrong (none,
        or known ids only, as the plugin writes them) and no other key or tag
        names a client (`other_keys` false: the caller knows no other key is
        on them); any other posting takes the general path, `_EntryRules`,
        which applies every rule in order. Runs once per income transaction of
        a ledger: kept flat.
        """
        known = self._book.clients
        owners = self._book.owners
        payee_matches = self._book.payee_matches
        others = self._other_keys if other_keys else frozenset()
        # A named tuple built as its own `_make` builds it, minus the checks.
        make = tuple.__new__
        for entry, income in zip(entries, indices, strict=True):
            found = []
            general: _EntryRules | None = None
            entry_client = entry.meta.get(CLIENT_KEY)
            plain = self._plain(entry, entry_client, others)
            postings = entry.postings
            payee = entry.payee
            for index in income:
                posting = postings[index]
                rule: Rule | None = None
                meta = posting.meta
                if plain and not (others and meta and not others.isdisjoint(meta)):
                    client = meta.get(CLIENT_KEY) if meta else None
                    if client is not None:
                        kind = client.__class__
                        if (kind is str or kind is WrittenClient) and client in known:
                            # Written by the plugin: it knows the rule that found it.
                            rule = "posting" if kind is str else client.rule
                    elif entry_client is not None:
                        client = entry_client
                        rule = getattr(entry_client, "rule", "transaction")
                    else:
                        client = owners[posting.account]
                        if client is not None:
                            rule = "account"
                        else:
                            # Rule 4, one payee regex alone (several: an error,
                            # the general path's); the narration without payee.
                            matches = payee_matches(payee or entry.narration or "")
                            if len(matches) == 1:
                                client = matches[0]
                                rule = "payee" if payee else "narration"
                if rule is None:
                    if general is None:
                        general = _EntryRules(entry, self)
                    client, rule = general.posting_client(posting)
                found.append(make(Attributed, (entry, index, client, rule)))
            yield found

    def _plain(
        self, entry: data.Transaction, entry_client: object, others: frozenset[str]
    ) -> bool:
        """No key (of `others`), tag nor `client:` the fast path could get wrong."""
        kind = entry_client.__class__
        return (
            self._fast
            and (
                entry_client is None
                or (
                    (kind is str or kind is WrittenClient)
                    and entry_client in self._book.clients
                )
            )
            and not (others and not others.isdisjoint(entry.meta))
            and not (entry.tags and any(map(self._tag, entry.tags)))
        )

    def named_client(
        self,
        entry: data.Transaction,
        posting: data.Posting,
        accounts: ReceivableAccounts,
    ) -> tuple[str | None, Rule | None]:
        """The client of any posting, by the rules of an income posting, where a
        sub-account of `accounts` names the client as a receivable's does (hours
        on `time_accounts`, docs/time.md).

        Without a key of `client_keys` on the posting, nor a tag that names a
        client, the answer is the transaction's `client:` when the plugin wrote
        a known one; without any key, it follows from the accounts and the
        payee alone, and is worked out once for each of those (a stock of
        hours repeats them).
        """
        meta = posting.meta
        keys = self._key_set
        if not (meta and not keys.isdisjoint(meta)) and not (
            entry.tags and any(map(self._tag, entry.tags))
        ):
            entry_client = entry.meta.get(CLIENT_KEY)
            if entry_client is None and keys.isdisjoint(entry.meta):
                return self._plain_named(entry, posting, accounts)
            if self._plain(entry, entry_client, self._other_keys):
                return entry_client, getattr(entry_client, "rule", "transaction")
        return self._named(entry, posting, accounts)

    def _plain_named(
        self,
        entry: data.Transaction,
        posting: data.Posting,
        accounts: ReceivableAccounts,
    ) -> tuple[str | None, Rule | None]:
        payee = entry.payee
        key = (
            posting.account,
            payee,
            None if payee else entry.narration,
            id(accounts),
            tuple(map(_ACCOUNT, entry.postings)),
        )
        found = self._named_memo.get(key)
        if found is None:
            found = self._named_memo[key] = self._named(entry, posting, accounts)
        return found

    def _named(
        self,
        entry: data.Transaction,
        posting: data.Posting,
        accounts: ReceivableAccounts,
    ) -> tuple[str | None, Rule | None]:
        if self._no_rule_applies(entry, posting):
            client, rule = None, None
        else:
            client, rule = _EntryRules(entry, self).posting_client(posting)
        if client is None and accounts.is_receivable(posting.account):
            named = accounts.client_of(posting.account)
            if named is not None and named in self._book.clients:
                return named, "receivable"
        return client, rule

    def _no_rule_applies(self, entry: data.Transaction, posting: data.Posting) -> bool:
        """No rule before the sub-account's applies: the common case, told
        without the general path."""
        keys = self._key_set
        meta = posting.meta
        return (
            keys.isdisjoint(entry.meta)
            and not (meta and not keys.isdisjoint(meta))
            and not (entry.tags and any(map(self._tag, entry.tags)))
            and self._book.owners[posting.account] is None
            and not self._book.payee_matches(entry.payee or entry.narration or "")
            and self._payee_account is None
            and not any(
                self._receivables.is_receivable(other.account)
                or deposit_client(other.account) is not None
                for other in entry.postings
            )
        )

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
                posting_source(item.entry, posting),
                unattributed(posting.account),
                item.entry,
            )


class _EntryRules:
    """Every rule of attribution, for the income postings of one transaction.

    What depends on the transaction alone (its `client:`, its tags, its payee,
    its receivables) is looked at once, so that each problem is reported once
    per transaction.
    """

    def __init__(self, entry: data.Transaction, attributor: Attributor) -> None:
        self._entry = entry
        self._book = attributor._book
        self._errors = attributor._errors
        self._attributor = attributor
        self._transaction_client = self._meta_client(
            entry.meta, entry.meta, "transaction"
        )
        self._tag_client = self._tagged() if self._transaction_client is None else None
        self._payee_client: tuple[str | None, Rule] | None = None
        self._receivable_client: tuple[str | None, Rule] | None = None

    def posting_client(self, posting: data.Posting) -> tuple[str | None, Rule | None]:
        if posting.meta:
            source = posting_source(self._entry, posting)
            client = self._meta_client(posting.meta, source, "posting")
            if client is not None:
                return client, _rule_of(client, "posting")
        client = self._transaction_client
        if client is not None:
            return client, _rule_of(client, "transaction")
        if self._tag_client is not None:
            return self._tag_client, "tag"
        owner = self._book.owner_of(posting.account)
        if owner is not None:
            return owner, "account"
        if self._payee_client is None:
            self._payee_client = self._match_payee()
        client, rule = self._payee_client
        if client is not None:
            return client, rule
        payee_account = self._attributor._payee_account
        payee = self._entry.payee
        if (
            payee_account is not None
            and payee
            and payee_account(posting.account)
            and payee in self._book.clients
        ):
            return payee, "payee_account"
        if self._receivable_client is None:
            self._receivable_client = self._receivable_named()
        client, rule = self._receivable_client
        return (client, rule) if client is not None else (None, None)

    def _receivable_named(self) -> tuple[str | None, Rule]:
        """The one client whose receivable sub-accounts, or deposits held as a
        liability, the transaction posts to."""
        receivables = self._attributor._receivables
        named = {
            receivables.client_of(posting.account)
            for posting in self._entry.postings
            if receivables.is_receivable(posting.account)  # deposits: their rule
        }
        named.discard(None)
        rule: Rule = "receivable"
        if not named:
            rule = "deposit"
            named = {deposit_client(p.account) for p in self._entry.postings}
            named.discard(None)
        if len(named) != 1:
            return None, rule
        client = named.pop()
        return (client, rule) if client in self._book.clients else (None, rule)

    def _meta_client(
        self, meta: data.Meta, source: data.Meta, where: Rule
    ) -> str | None:
        """The first of `client_keys` in the metadata that names a client."""
        for key in self._attributor._keys:
            value = meta.get(key)
            if value is None:
                continue
            if key == CLIENT_KEY:
                client = self._client_value(value, source, where)
            else:
                client = self._named_value(key, value, source, where)
            if client is not None:
                return client
        return None

    def _named_value(
        self, key: str, value: object, source: data.Meta, where: Rule
    ) -> str | None:
        """A `customer:` (another key than `client:`): resolved, never unknown."""
        if isinstance(value, str) and value.strip():
            return self._book.resolve(value)
        self._errors.append(
            FreelanceError(source, malformed_key(where, key, value), self._entry)
        )
        return None

    def _client_value(
        self, value: object, source: data.Meta, where: Rule
    ) -> str | None:
        if not isinstance(value, str) or not value:
            self._errors.append(
                FreelanceError(source, malformed_client(where, value), self._entry)
            )
            return None
        if value not in self._book.clients:
            self._errors.append(
                FreelanceError(source, self._unknown(value, where), self._entry)
            )
            if _is_account(value):
                return None  # an account is no client: the other rules decide
        return value

    def _tagged(self) -> str | None:
        """The client the transaction's `client_tags` tags name, if one."""
        tag = self._attributor._tag
        named = set()
        for name in sorted(self._entry.tags or ()):
            match = tag(name)
            if match is not None and match.group("client"):
                named.add(self._book.resolve(match.group("client")))
        if len(named) > 1:
            self._errors.append(
                FreelanceError(
                    self._entry.meta, several_tag_clients(sorted(named)), self._entry
                )
            )
        return named.pop() if len(named) == 1 else None

    def _unknown(self, value: str, where: Rule) -> str:
        if _is_account(value):
            return account_as_client(where, value)
        return self._book.unknown_message(value, f"{where} metadata client:")

    def _match_payee(self) -> tuple[str | None, Rule]:
        """Rule 4: the payee, else the narration of a transaction without one."""
        payee = self._entry.payee
        if not payee:
            narration = self._entry.narration
            matches = self._book.payee_matches(narration) if narration else ()
            return (matches[0] if len(matches) == 1 else None), "narration"
        matches = self._book.payee_matches(payee)
        if len(matches) > 1:
            self._errors.append(
                FreelanceError(
                    self._entry.meta, several_payee_clients(payee, matches), self._entry
                )
            )
        return (matches[0] if len(matches) == 1 else None), "payee"


def _rule_of(client: str, said: Rule) -> Rule:
    """The rule of a `client:`: the one that found it when the plugin wrote it."""
    return client.rule if isinstance(client, WrittenClient) else said


def _is_account(value: str) -> bool:
    """`Income:Clients:Acme` written where a client id is asked."""
    return ":" in value and account_lib.is_valid(value)
