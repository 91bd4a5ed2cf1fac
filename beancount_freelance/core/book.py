"""The client book: who the clients are, and the events of their relationships.

Reads the `custom "client"`, `custom "client-lost"` and `custom "client-back"`
directives of a ledger, and finds the clients its accounts name (config
`client_accounts`, by default Beancount's own `Income:Clients:<Name>`; a receivable
per client; payees on `payee_accounts`), into an immutable ClientBook. Pure
functions over Beancount's entries: no I/O. docs/ledger.md describes the rules.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data

from beancount_freelance.core.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.spelling import closest

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.config import Config

CLIENTS_ROOT = "Income:Clients"
CLIENT_KEY = "client"
DEFAULT_CLIENT_ACCOUNTS = re.compile(rf"^{CLIENTS_ROOT}:(?P<client>[^:]+)")

EventKind = Literal["lost", "back"]
Rule = Literal[
    "posting", "transaction", "account", "payee", "payee_account", "receivable"
]
# How a client came into the book: its declaration, or the account or payee
# that names it.
Origin = Literal["declared", "account", "receivable", "payee"]


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
    payee: re.Pattern[str] | None = None
    kind: str | None = None
    source: data.Meta | None = None
    receivable: str | None = None  # declared `receivable:`
    origin: Origin = "declared"
    found_in: str | None = None  # the account that names an undeclared client

    @property
    def income_account(self) -> str:
        """The account that the client's revenue goes to."""
        if self.account is not None:
            return self.account
        if self.origin == "account" and self.found_in is not None:
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
    client_accounts: re.Pattern[str] = DEFAULT_CLIENT_ACCOUNTS
    convention: re.Pattern[str] = DEFAULT_CLIENT_ACCOUNTS
    _owners: dict[str, str | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _payees: dict[str, tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _events_by_client: dict[str, tuple[LifecycleEvent, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _declared_accounts: dict[str, str] = field(
        default_factory=dict, compare=False, repr=False
    )
    _payee_patterns: list[tuple[str, re.Pattern[str]]] = field(
        default_factory=list, compare=False, repr=False
    )

    def __post_init__(self) -> None:
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
        """The client owning an account (declared `account:` or the convention)."""
        try:
            return self._owners[account]
        except KeyError:
            owner = self._find_owner(account)
            self._owners[account] = owner
            return owner

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
            matches = tuple(
                client_id
                for client_id, pattern in self._payee_patterns
                if pattern.search(payee)
            )
            self._payees[payee] = matches
            return matches

    def closest(self, client_id: str) -> str | None:
        """The known id closest to a misspelt one, for error messages."""
        return closest(client_id, self.clients)

    def unknown_message(self, client_id: str, where: str) -> str:
        """The error for an undeclared client id, with the closest known id."""
        closest = self.closest(client_id)
        hint = (
            f"did you mean {closest!r}?"
            if closest
            else f'declare it with `custom "client" "{client_id}" "<name>"`'
        )
        return f"Unknown client {client_id!r} in {where}; {hint}"


def _self_and_parents(account: str) -> Iterator[str]:
    while account:
        yield account
        account = account.rpartition(":")[0]


def account_client(account: str, pattern: re.Pattern[str]) -> str | None:
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
        client = match.group(1) if match.re.groups else None
    return client or None


# --- Reading declarations ----------------------------------------------------

_ACCOUNT_OF = operator.attrgetter("account")


def read_book(
    entries: Iterable[data.Directive], config: Config
) -> tuple[ClientBook, list[FreelanceError]]:
    """Read the client declarations and lifecycle events of a ledger.

    With the clients its accounts name and, on `payee_accounts`, its payees.
    """
    reader = BookReader()
    accounts: set[str] = set()
    payees = PayeeClients(config)
    for entry in entries:
        if isinstance(entry, data.Transaction):
            accounts.update(map(_ACCOUNT_OF, entry.postings))
            payees.add(entry)
        else:
            reader.read(entry)
    return reader.book(accounts, config, payees.found)


class PayeeClients:
    """The payees of the transactions posting to `payee_accounts`: client ids."""

    def __init__(self, config: Config) -> None:
        pattern = config.payee_accounts_re
        self._search = None if pattern is None else pattern.search
        self.found: set[str] = set()

    @property
    def wanted(self) -> bool:
        return self._search is not None

    def add(self, entry: data.Transaction) -> None:
        search = self._search
        if search is None or not entry.payee:
            return
        if any(search(posting.account) for posting in entry.postings):
            self.found.add(entry.payee)


class BookReader:
    """Reads a ledger's directives one at a time into a ClientBook.

    `read_book` feeds it every entry; the plugin and the scan feed it while they
    walk the entries for their own purpose, so that the ledger is walked once.
    """

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}
        self._events: list[LifecycleEvent] = []
        self._errors: list[FreelanceError] = []
        self._accounts: set[str] = set()

    def read(self, entry: data.Directive) -> None:
        """Take a directive other than a transaction into account."""
        if isinstance(entry, data.Open):
            self._accounts.add(entry.account)
        elif isinstance(entry, data.Custom):
            if entry.type == "client":
                _read_declaration(entry, self._clients, self._errors)
            elif entry.type in ("client-lost", "client-back"):
                event = _read_event(entry, self._errors)
                if event is not None:
                    self._events.append(event)

    def book(
        self,
        posting_accounts: Iterable[str],
        config: Config,
        payees: Iterable[str] = (),
    ) -> tuple[ClientBook, list[FreelanceError]]:
        """The book, given every account the transactions post to.

        `payees`: those of the transactions on `payee_accounts` (PayeeClients).
        """
        clients = dict(self._clients)
        _add_found(clients, {*self._accounts, *posting_accounts}, config, payees)
        events = sorted(
            self._events,
            key=lambda event: (event.date, event.entry.meta.get("lineno", 0)),
        )
        book = ClientBook(
            clients=clients,
            events=tuple(events),
            client_accounts=config.client_accounts_re,
            convention=config.convention_re,
        )
        errors = list(self._errors)
        for event in events:
            if event.client not in clients:
                errors.append(
                    FreelanceError(
                        event.entry.meta,
                        book.unknown_message(event.client, f"`{event.entry.type}`"),
                        event.entry,
                    )
                )
        return book, errors


def _add_found(
    clients: dict[str, Client],
    accounts: set[str],
    config: Config,
    payees: Iterable[str],
) -> None:
    """Add the clients the accounts and payees name, after the declared ones."""
    patterns = (config.client_accounts_re, config.convention_re)
    receivables = ReceivableAccounts(
        config.receivables_re,
        {c.receivable: c.id for c in clients.values() if c.receivable is not None},
    )
    found: dict[str, tuple[Origin, str | None]] = {}
    income = config.income_re.search
    for account in sorted(accounts):
        client = None
        if income(account):
            client = account_client(account, patterns[0]) or account_client(
                account, patterns[1]
            )
        if client is not None:
            found.setdefault(client, ("account", _named_by(account, client)))
    for account in sorted(accounts):
        client = receivables.client_of(account)
        if client is not None:
            found.setdefault(client, ("receivable", _named_by(account, client)))
    for payee in sorted(payees):
        found.setdefault(payee, ("payee", None))
    for client_id, (origin, named_by) in found.items():
        if client_id not in clients:
            clients[client_id] = Client(
                id=client_id, name=client_id, origin=origin, found_in=named_by
            )


def _named_by(account: str, client: str) -> str:
    """The account up to the component that names the client."""
    parts = account.split(":")
    if client in parts:
        return ":".join(parts[: parts.index(client) + 1])
    return account


def _strings(entry: data.Custom) -> list[str] | None:
    """The directive's values if they are all strings, else None."""
    values = []
    for value in entry.values or ():
        if getattr(value, "dtype", None) is not str or not isinstance(value.value, str):
            return None
        values.append(value.value)
    return values


def shown(value: object) -> str:
    """A value from the ledger as the user wrote it: strings quoted, others plain."""
    return f'"{value}"' if isinstance(value, str) else str(value)


def _printable(entry: data.Custom) -> data.Custom | None:
    """The entry to show under the error, unless Beancount's printer cannot print it.

    A `custom` directive with no value has `values=None`, on which the printer
    raises: bean-check then shows the file and line without the entry.
    """
    return entry if entry.values else None


def _given(entry: data.Custom) -> str:
    values = entry.values or ()
    if not values:
        return "no value"
    return "given " + " ".join(shown(getattr(v, "value", v)) for v in values)


def _read_declaration(
    entry: data.Custom, clients: dict[str, Client], errors: list[FreelanceError]
) -> None:
    values = _strings(entry)
    usage = '`custom "client" "<id>" "<name>"` (name optional)'
    if values is None or not 1 <= len(values) <= 2:
        errors.append(
            FreelanceError(
                entry.meta,
                f"Malformed client directive ({_given(entry)}): expected one or two "
                f"strings; write {usage}",
                _printable(entry),
            )
        )
        return
    client_id = values[0]
    if not _valid_id(client_id):
        errors.append(
            FreelanceError(
                entry.meta,
                f"Malformed client id {client_id!r}: use a name without spaces or "
                f"colons, as in an account component; write {usage}",
                entry,
            )
        )
        return
    if client_id in clients:
        first = clients[client_id].source or {}
        errors.append(
            FreelanceError(
                entry.meta,
                f"Duplicate declaration of client {client_id!r} (first declared at "
                f"{first.get('filename')}:{first.get('lineno')}); keep only one",
                entry,
            )
        )
        return
    kind = entry.meta.get("kind")
    clients[client_id] = Client(
        id=client_id,
        name=values[1] if len(values) == 2 and values[1].strip() else client_id,
        declared=entry.date,
        account=_read_account(entry, client_id, clients, errors),
        payee=_read_payee(entry, client_id, errors),
        kind=kind if isinstance(kind, str) else None,
        source=entry.meta,
        receivable=_read_receivable(entry, client_id, errors),
    )


def _valid_id(client_id: str) -> bool:
    return bool(client_id) and not any(c.isspace() or c == ":" for c in client_id)


def _read_account(
    entry: data.Custom,
    client_id: str,
    clients: Mapping[str, Client],
    errors: list[FreelanceError],
) -> str | None:
    account = entry.meta.get("account")
    if account is None:
        return None
    if not isinstance(account, str) or not account_lib.is_valid(account):
        errors.append(
            FreelanceError(
                entry.meta,
                f"Client {client_id!r} has an invalid account {account!r}; write "
                f"`account: Income:Clients:{client_id}`",
                entry,
            )
        )
        return None
    for other in clients.values():
        if other.account == account:
            errors.append(
                FreelanceError(
                    entry.meta,
                    f"Client {client_id!r} declares account {account}, already the "
                    f"account of client {other.id!r}; give each client its own "
                    "account, or use `payee:` regexes on a shared account",
                    entry,
                )
            )
            return None
    return str(account)


def _read_receivable(
    entry: data.Custom, client_id: str, errors: list[FreelanceError]
) -> str | None:
    account = entry.meta.get("receivable")
    if account is None:
        return None
    if not isinstance(account, str) or not account_lib.is_valid(account):
        errors.append(
            FreelanceError(
                entry.meta,
                f"Client {client_id!r} has an invalid receivable {shown(account)}; "
                f"write `receivable: Assets:Receivable:{client_id}`",
                entry,
            )
        )
        return None
    return str(account)


def _read_payee(
    entry: data.Custom, client_id: str, errors: list[FreelanceError]
) -> re.Pattern[str] | None:
    payee = entry.meta.get("payee")
    if payee is None:
        return None
    if not isinstance(payee, str) or not payee:
        errors.append(
            FreelanceError(
                entry.meta,
                f"Client {client_id!r} has a payee that is not a non-empty string "
                f'({shown(payee)}); write `payee: "REGEX"` in quotes',
                entry,
            )
        )
        return None
    try:
        return re.compile(payee, re.IGNORECASE)
    except re.error as exc:
        errors.append(
            FreelanceError(
                entry.meta,
                f"Client {client_id!r} has an invalid payee regex {payee!r}: {exc}; "
                "fix the regex (escape special characters with a backslash)",
                entry,
            )
        )
        return None


def _read_event(
    entry: data.Custom, errors: list[FreelanceError]
) -> LifecycleEvent | None:
    values = _strings(entry)
    if values is None or not 1 <= len(values) <= 2:
        errors.append(
            FreelanceError(
                entry.meta,
                f"Malformed {entry.type} directive ({_given(entry)}): expected one "
                f'or two strings; write `custom "{entry.type}" "<client id>" '
                '"<reason>"` (reason optional)',
                _printable(entry),
            )
        )
        return None
    kind: EventKind = "lost" if entry.type == "client-lost" else "back"
    note = values[1] if len(values) == 2 else ""
    return LifecycleEvent(entry.date, values[0], kind, note, entry)


def posting_source(entry: data.Transaction, posting: data.Posting) -> data.Meta:
    """Where a posting was written: its own line, else its transaction's."""
    meta = posting.meta
    if meta and "filename" in meta and "lineno" in meta:
        return meta
    return entry.meta
