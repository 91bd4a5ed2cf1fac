"""Which income belongs to which client: the one attribution of the package.

`Attributor.postings_of` attributes the income postings of one transaction, first
rule that applies wins (docs/ledger.md lists them): (1) posting `client:`;
(2) transaction `client:`; (3) an account owned by a client (declared `account:`,
else config `client_accounts`); (4) the payee matches exactly one declared
`payee:` regex; (5) on `payee_accounts`, the payee names the client; (6) the
transaction's receivable sub-account names the client; else unattributed. The
plugin, the scan and the import hook all call it; its fast path for the common
case lives inside it. Pure functions over Beancount's entries: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data

from beancount_freelance.core.ledger.book import (
    CLIENT_KEY,
    ClientBook,
    FreelanceError,
    Rule,
    posting_source,
    shown,
)
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.config import Config

__all__ = ["Attributed", "Attributor", "receivable_accounts"]


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
        self._errors: list[FreelanceError] = []

    def postings_of(
        self, entry: data.Transaction, indices: Iterable[int]
    ) -> list[Attributed]:
        """The transaction's income postings (by index), each with its client."""
        return next(self.postings_of_each((entry,), (tuple(indices),)))

    def postings_of_each(
        self,
        entries: Iterable[data.Transaction],
        indices: Iterable[tuple[int, ...]],
    ) -> Iterator[list[Attributed]]:
        """`postings_of` for each transaction, with the indices of its income.

        The fast path settles rules 1 to 4 when no `client:` can be wrong (none,
        or known ids only, as the plugin writes them); any other posting takes
        the general path, `_EntryRules`, which applies every rule in order. Runs
        once per income transaction of a ledger: kept flat.
        """
        known = self._book.clients
        owners = self._book.owners
        payee_matches = self._book.payee_matches
        # A named tuple built as its own `_make` builds it, minus the checks.
        make = tuple.__new__
        for entry, income in zip(entries, indices, strict=True):
            found = []
            general: _EntryRules | None = None
            entry_client = entry.meta.get(CLIENT_KEY)
            plain = entry_client is None or (
                entry_client.__class__ is str and entry_client in known
            )
            postings = entry.postings
            payee = entry.payee
            for index in income:
                posting = postings[index]
                rule: Rule | None = None
                if plain:
                    client = posting.meta.get(CLIENT_KEY) if posting.meta else None
                    if client is not None:
                        if client.__class__ is str and client in known:
                            rule = "posting"
                    elif entry_client is not None:
                        client, rule = entry_client, "transaction"
                    else:
                        client = owners[posting.account]
                        if client is not None:
                            rule = "account"
                        elif payee:
                            # Rule 4, when one payee regex alone matches
                            # (several is an error: the general path says so).
                            matches = payee_matches(payee)
                            if len(matches) == 1:
                                client, rule = matches[0], "payee"
                if rule is None:
                    if general is None:
                        general = _EntryRules(entry, self)
                    client, rule = general.posting_client(posting)
                found.append(make(Attributed, (entry, index, client, rule)))
            yield found

    def named_client(
        self,
        entry: data.Transaction,
        posting: data.Posting,
        accounts: ReceivableAccounts,
    ) -> tuple[str | None, Rule | None]:
        """The client of any posting, by the rules of an income posting, where a
        sub-account of `accounts` names the client as a receivable's does (hours
        on `time_accounts`, docs/time.md)."""
        meta = posting.meta
        if (
            CLIENT_KEY not in entry.meta
            and not (meta and CLIENT_KEY in meta)
            and self._book.owners[posting.account] is None
            and not (entry.payee and self._book.payee_matches(entry.payee))
            and self._payee_account is None
            and not any(
                self._receivables.is_receivable(other.account)
                for other in entry.postings
            )
        ):
            # No rule before the sub-account's applies: the common case.
            client, rule = None, None
        else:
            client, rule = _EntryRules(entry, self).posting_client(posting)
        if client is None:
            named = accounts.client_of(posting.account)
            if named is not None and named in self._book.clients:
                return named, "receivable"
        return client, rule

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
                message(
                    N_(
                        "Income posting to {account} has no client; add "
                        '`client: "<id>"` to the posting or the transaction, book '
                        "it to the client's account, or give the client a "
                        "`payee:` regex"
                    ),
                    account=posting.account,
                ),
                item.entry,
            )


class _EntryRules:
    """Every rule of attribution, for the income postings of one transaction.

    What depends on the transaction alone (its `client:`, its payee, its
    receivables) is looked at once, so that each problem is reported once per
    transaction.
    """

    def __init__(self, entry: data.Transaction, attributor: Attributor) -> None:
        self._entry = entry
        self._book = attributor._book
        self._errors = attributor._errors
        self._attributor = attributor
        self._transaction_client = self._meta_client(
            entry.meta, entry.meta, "transaction"
        )
        self._payee_client: tuple[str | None] | None = None
        self._receivable_client: tuple[str | None] | None = None

    def posting_client(self, posting: data.Posting) -> tuple[str | None, Rule | None]:
        if posting.meta and CLIENT_KEY in posting.meta:
            source = posting_source(self._entry, posting)
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
        if client is not None:
            return client, "payee"
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
            self._receivable_client = (self._receivable_named(),)
        client = self._receivable_client[0]
        return (client, "receivable") if client is not None else (None, None)

    def _receivable_named(self) -> str | None:
        """The one client whose receivable sub-accounts the transaction posts to."""
        client_of = self._attributor._receivables.client_of
        named = {client_of(posting.account) for posting in self._entry.postings}
        named.discard(None)
        if len(named) != 1:
            return None
        client = named.pop()
        return client if client in self._book.clients else None

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
                    message(
                        N_(
                            "The {where} metadata client: must be a client id in "
                            'quotes, as `client: "<id>"`, not {value}'
                        ),
                        where=where,
                        value=shown(value),
                    ),
                    self._entry,
                )
            )
            return None
        if value not in self._book.clients:
            self._errors.append(
                FreelanceError(source, self._unknown(value, where), self._entry)
            )
            if _is_account(value):
                return None  # an account is no client: the other rules decide
        return value

    def _unknown(self, value: str, where: Rule) -> str:
        if _is_account(value):
            return message(
                N_(
                    "The {where} metadata client: {value!r} is an account, not a "
                    'client id; write `client: "{client}"`'
                ),
                where=where,
                value=value,
                client=value.rpartition(":")[2],
            )
        return self._book.unknown_message(value, f"{where} metadata client:")

    def _match_payee(self) -> str | None:
        payee = self._entry.payee
        if not payee:
            return None
        matches = self._book.payee_matches(payee)
        if len(matches) > 1:
            self._errors.append(
                FreelanceError(
                    self._entry.meta,
                    message(
                        N_(
                            "Payee {payee!r} matches the payee regex of several "
                            "clients ({clients}); make the regexes exclusive or add "
                            '`client: "<id>"` to the transaction'
                        ),
                        payee=payee,
                        clients=", ".join(matches),
                    ),
                    self._entry,
                )
            )
        return matches[0] if len(matches) == 1 else None


def _is_account(value: str) -> bool:
    """`Income:Clients:Acme` written where a client id is asked."""
    return ":" in value and account_lib.is_valid(value)
