"""The client book: who the clients are, and the events of their relationships.

Reads the `custom "client"`, `custom "client-lost"` and `custom "client-back"`
directives of a ledger (`core.book_reader` reads them), and finds the clients its
accounts name (config `client_accounts` and Beancount's own `Income:Clients:<Name>`;
a receivable per client; payees on `payee_accounts`). Immutable values; no I/O.
docs/ledger.md describes the rules.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from beancount.core import data

from beancount_freelance.core.ledger.patterns import compile_pattern, searcher
from beancount_freelance.core.ledger.proposals import Proposals
from beancount_freelance.core.messages import N_, closest, cut, message

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.ledger.hourly_rates import HourlyRate
    from beancount_freelance.core.ledger.patterns import Pattern


CLIENTS_ROOT = "Income:Clients"
CLIENT_KEY = "client"
DEFAULT_CLIENT_ACCOUNTS = compile_pattern(
    rf"^{CLIENTS_ROOT}:(?P<client>[^:]+)", "the default client_accounts"
)

EventKind = Literal["lost", "back"]
# The rule that attributed an income posting (docs/ledger.md lists them in
# order): `client:` or another of `client_keys` on the posting, then on the
# transaction; a `client_tags` tag; the account; a declared `payee:` regex in the
# payee, else in the narration of a transaction without payee; the payee on
# `payee_accounts`; the receivable sub-account; the deposit held as a liability.
Rule = Literal[
    "posting",
    "transaction",
    "tag",
    "account",
    "payee",
    "narration",
    "payee_account",
    "receivable",
    "deposit",
]
RULES: tuple[Rule, ...] = (
    "posting",
    "transaction",
    "tag",
    "account",
    "payee",
    "narration",
    "payee_account",
    "receivable",
    "deposit",
)
# How a client came into the book: its declaration, or the account or payee
# that names it, or a metadata key (`customer:`) or tag that names it.
Origin = Literal["declared", "account", "receivable", "payee", "time", "named"]


class WrittenClient(str):
    """A `client:` the plugin wrote: the id, which knows the rule that found it.

    A string to every reader (bean-query, Fava's filter, the printer, JSON), so
    that the analysis of a ledger the plugin ran on still says by which rule
    each posting was attributed, not "its `client:` metadata".
    """

    rule: Rule

    def __new__(cls, value: str, rule: Rule) -> WrittenClient:
        made = super().__new__(cls, value)
        made.rule = rule
        return made

    def __reduce__(self) -> tuple[type[WrittenClient], tuple[str, Rule]]:
        return (WrittenClient, (str(self), self.rule))


class FreelanceError(NamedTuple):
    """A problem in the books, printed by bean-check as `file:line: message`."""

    source: data.Meta
    message: str
    entry: data.Directive | None


@dataclass(frozen=True, slots=True)
class Client:
    """A client: declared by `custom "client"`, or found by its account."""

    id: str
    name: str
    declared: datetime.date | None = None
    account: str | None = None
    payee: Pattern | None = None
    kind: str | None = None
    source: data.Meta | None = None
    receivable: str | None = None  # declared `receivable:`
    origin: Origin = "declared"
    # The account that names an undeclared client (its income account, its
    # receivable), or the account its payee paid on.
    found_in: str | None = None

    @property
    def income_account(self) -> str:
        """The account that the client's revenue goes to."""
        if self.account is not None:
            return self.account
        if self.origin in ("account", "payee", "named") and self.found_in is not None:
            return self.found_in
        return income_account_of(self.id)


def income_account_of(client_id: str) -> str:
    """The account of a client the ledger says nothing else about."""
    return f"{CLIENTS_ROOT}:{client_id}"


@dataclass(frozen=True, slots=True)
class LifecycleEvent:
    """A `client-lost` or `client-back` directive."""

    date: datetime.date
    client: str
    kind: EventKind
    note: str
    entry: data.Custom


@dataclass(frozen=True)
class ClientBook:
    """Every client the ledger knows, and the events of their relationships.

    Lookups by account and by payee are memoised: a ledger repeats both a lot.
    """

    clients: Mapping[str, Client]
    events: tuple[LifecycleEvent, ...] = ()
    client_accounts: Pattern = DEFAULT_CLIENT_ACCOUNTS
    convention: Pattern = DEFAULT_CLIENT_ACCOUNTS
    # The proposals sent (docs/ledger.md): an id they name is a known client.
    proposals: Proposals = field(default_factory=Proposals)
    # Its `custom "rate"` directives, in date order (docs/time.md).
    hourly_rates: tuple[HourlyRate, ...] = ()
    _owners: _Owners = field(init=False, compare=False, repr=False)
    _payees: dict[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _events_by_client: dict[str, tuple[LifecycleEvent, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _declared_accounts: dict[str, str] = field(
        default_factory=dict, compare=False, repr=False
    )
    _payee_patterns: list[tuple[str, Pattern]] = field(
        default_factory=list, compare=False, repr=False
    )
    _payee_search: list[Callable[[str], list[int]]] = field(
        default_factory=list, compare=False, repr=False
    )
    _resolved: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Frozen: the memo is set once, here.
        object.__setattr__(self, "_owners", _Owners(self._find_owner))
        self._payee_patterns.extend(
            (client.id, client.payee)
            for client in self.clients.values()
            if client.payee is not None
        )
        self._declared_accounts.update(
            (client.account, client.id)
            for client in self.clients.values()
            if client.account is not None
        )
        grouped: dict[str, list[LifecycleEvent]] = {}
        for event in self.events:
            grouped.setdefault(event.client, []).append(event)
        self._events_by_client.update(
            (client_id, tuple(events)) for client_id, events in grouped.items()
        )

    def events_of(self, client_id: str) -> tuple[LifecycleEvent, ...]:
        """The client's lifecycle events, in date order."""
        return self._events_by_client.get(client_id, ())

    def owner_of(self, account: str) -> str | None:
        """The client owning an account (declared `account:`, `client_accounts`,
        the convention)."""
        return self._owners[account]

    @property
    def owners(self) -> Mapping[str, str | None]:
        """`owner_of` as a mapping, for a caller that asks once per posting."""
        return self._owners

    def _find_owner(self, account: str) -> str | None:
        # The longest declared account wins: sub-accounts belong to their parent.
        for candidate in _self_and_parents(account):
            if candidate in self._declared_accounts:
                return self._declared_accounts[candidate]
        return account_client(account, self.client_accounts) or account_client(
            account, self.convention
        )

    @property
    def declared_receivables(self) -> dict[str, str]:
        """Receivable account -> client, from the declarations' `receivable:`."""
        return {
            client.receivable: client.id
            for client in self.clients.values()
            if client.receivable is not None
        }

    def payee_matches(self, payee: str) -> tuple[str, ...]:
        """Ids of the clients whose `payee:` regex matches this payee."""
        try:
            return self._payees[payee]
        except KeyError:
            pass
        if not self._payee_search:  # made on the first payee, then kept
            self._payee_search.append(
                searcher([pattern for _, pattern in self._payee_patterns])
            )
        patterns = self._payee_patterns
        matches = tuple(patterns[i][0] for i in self._payee_search[0](payee))
        self._payees[payee] = matches
        return matches

    def resolve(self, value: str) -> str:
        """The client a value names (a `customer:`, a tag): a declared id, even
        in other case; a declared name; a declared `payee:` regex matching it
        alone; another known id in other case; else the value as written,
        stripped."""
        try:
            return self._resolved[value]
        except KeyError:
            pass
        found = resolve_value(value, self.clients, self.payee_matches)
        self._resolved[value] = found
        return found

    def closest(self, client_id: str) -> str | None:
        """The known id closest to a misspelt one, for error messages."""
        return closest(client_id, self.clients)

    def unknown_message(self, client_id: str, where: str) -> str:
        """The error for an undeclared client id, with the closest known id."""
        closest = self.closest(client_id)
        if closest:
            return message(
                N_("Unknown client {client!r} in {where}; did you mean {closest!r}?"),
                client=client_id,
                where=where,
                closest=closest,
            )
        return message(
            N_(
                "Unknown client {client!r} in {where}; declare it with "
                '`custom "client" "{client}" "<name>"`'
            ),
            client=client_id,
            where=where,
        )


def resolve_value(
    value: str,
    clients: Mapping[str, Client],
    payee_matches: Callable[[str], tuple[str, ...]],
) -> str:
    """`ClientBook.resolve`, for a reader that has no book yet."""
    text = value.strip()
    if text in clients:
        return text
    folded = text.casefold()
    declared = [c for c in clients.values() if c.origin == "declared"]
    for client in declared:
        if client.id.casefold() == folded:
            return client.id
    for client in declared:
        if client.name.strip().casefold() == folded:
            return client.id
    matches = payee_matches(text)
    if len(matches) == 1:
        return matches[0]
    # Another client the books name (`Acme Corp` and `ACME CORP`): the first.
    return next((c.id for c in clients.values() if c.id.casefold() == folded), text)


class _Owners(dict[str, "str | None"]):
    """Account -> its owner, found on first use."""

    def __init__(self, find: Callable[[str], str | None]) -> None:
        super().__init__()
        self._find = find

    def __missing__(self, account: str) -> str | None:
        owner = self[account] = self._find(account)
        return owner


def _self_and_parents(account: str) -> Iterator[str]:
    while account:
        yield account
        account = account.rpartition(":")[0]


def account_client(account: str, pattern: Pattern) -> str | None:
    """The client an income account names by `client_accounts`, or None.

    The pattern's group `client`, else its first group; sub-accounts included.
    """
    match = pattern.search(account)
    if match is None:
        return None
    groups = match.groupdict()
    if "client" in groups:
        client = groups["client"]
    else:
        try:
            client = match.group(1)
        except IndexError:  # a pattern without a group names no client
            client = None
    return client or None


# A deposit, retainer or advance held as a liability until earned, one
# sub-account per client: `Liabilities:Deposits:Acme`, `:Unearned:Acme`.
_DEPOSITS = compile_pattern(
    r"^Liabilities:(?:[^:]+:)*?(?:Customer)?(?:Deposits?|Unearned|Deferred|Advances?|"
    r"Retainers?)[^:]*:(?P<client>[^:]+)",
    "the deposit accounts",
)


# Pure functions of an account's name, asked of the same few accounts again
# and again: each asked once (a bounded cache, of names alone).
@functools.lru_cache(maxsize=4096)
def deposit_client(account: str) -> str | None:
    """The client a deposit held as a liability names (its next component)."""
    return account_client(account, _DEPOSITS)


@functools.lru_cache(maxsize=4096)
def deposit_root(account: str) -> str | None:
    """The deposit liability whose next component names the client
    (`Liabilities:Deposits` of `Liabilities:Deposits:Acme:2024`), or None."""
    match = _DEPOSITS.search(account)
    return None if match is None else match.group(0).rpartition(":")[0]


def posting_source(entry: data.Transaction, posting: data.Posting) -> data.Meta:
    """Where a posting was written: its own line, else its transaction's."""
    meta = posting.meta
    if meta and "filename" in meta and "lineno" in meta:
        return meta
    return entry.meta


def shown(value: object) -> str:
    """A value from the ledger as the user wrote it: strings quoted, others plain."""
    return cut(f'"{value}"' if isinstance(value, str) else str(value))
