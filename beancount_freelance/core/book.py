"""The client book: who the clients are, and the events of their relationships.

Reads the `custom "client"`, `custom "client-lost"` and `custom "client-back"`
directives of a ledger, and the `Income:Clients:<Name>` accounts of Beancount's
own convention, into an immutable ClientBook. Pure functions over Beancount's
entries: no I/O. `beancount_freelance.core.clients` re-exports every public name.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data

from beancount_freelance.core.patterns import (
    InvalidPattern,
    Pattern,
    PatternError,
    compile_pattern,
)
from beancount_freelance.core.proposals import PROPOSAL_TYPES, ProposalReader, Proposals
from beancount_freelance.core.quoting import cut
from beancount_freelance.i18n import N_, message

if TYPE_CHECKING:
    import datetime

CLIENTS_ROOT = "Income:Clients"
CLIENT_KEY = "client"

EventKind = Literal["lost", "back"]
Rule = Literal["posting", "transaction", "account", "payee"]


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

    @property
    def income_account(self) -> str:
        """The account that the client's revenue goes to."""
        return self.account or f"{CLIENTS_ROOT}:{self.id}"


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
    # The proposals sent (docs/ledger.md): an id they name is a known client.
    proposals: Proposals = field(default_factory=Proposals)
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
    _payee_patterns: list[tuple[str, Pattern]] = field(
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
        return convention_client(account)

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
        lowered = {known.lower(): known for known in self.clients}
        if client_id.lower() in lowered:
            return lowered[client_id.lower()]
        import difflib  # only for a message: the plugin's import stays light

        matches = difflib.get_close_matches(client_id, list(self.clients), n=1)
        return matches[0] if matches else None

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


def _self_and_parents(account: str) -> Iterator[str]:
    while account:
        yield account
        account = account.rpartition(":")[0]


def convention_client(account: str) -> str | None:
    """`Income:Clients:<Name>` and its sub-accounts belong to client `<Name>`."""
    if not account.startswith(CLIENTS_ROOT + ":"):
        return None
    return account.split(":", 3)[2] or None


# --- Reading declarations ----------------------------------------------------

_ACCOUNT_OF = operator.attrgetter("account")


def read_book(
    entries: Iterable[data.Directive],
) -> tuple[ClientBook, list[FreelanceError]]:
    """Read the client declarations and lifecycle events of a ledger."""
    reader = BookReader()
    accounts: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Transaction):
            accounts.update(map(_ACCOUNT_OF, entry.postings))
        else:
            reader.read(entry)
    return reader.book(accounts)


class BookReader:
    """Reads a ledger's directives one at a time into a ClientBook.

    `read_book` feeds it every entry; the plugin feeds it while it walks the
    entries for its own purpose, so that the ledger is walked once.
    """

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}
        self._events: list[LifecycleEvent] = []
        self._errors: list[FreelanceError] = []
        self._accounts: set[str] = set()
        self._proposals = ProposalReader()

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
            elif entry.type in PROPOSAL_TYPES:
                self._proposals.read(entry)

    def book(
        self, posting_accounts: Iterable[str]
    ) -> tuple[ClientBook, list[FreelanceError]]:
        """The book, given every account the transactions post to."""
        clients = dict(self._clients)
        convention = {
            convention_client(account)
            for account in (*self._accounts, *posting_accounts)
        }
        for client_id in sorted(name for name in convention if name):
            clients.setdefault(client_id, Client(id=client_id, name=client_id))
        proposals = self._proposals.proposals()
        for proposal in proposals.proposals:
            clients.setdefault(
                proposal.client,
                Client(
                    id=proposal.client, name=proposal.client, source=proposal.source
                ),
            )
        events = sorted(
            self._events,
            key=lambda event: (event.date, event.entry.meta.get("lineno", 0)),
        )
        book = ClientBook(clients=clients, events=tuple(events), proposals=proposals)
        errors = list(self._errors)
        errors.extend(FreelanceError(*problem) for problem in proposals.problems)
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
    return cut(f'"{value}"' if isinstance(value, str) else str(value))


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
                message(
                    N_(
                        "Malformed client directive ({given}): expected one or two "
                        "strings; write {usage}"
                    ),
                    given=_given(entry),
                    usage=usage,
                ),
                _printable(entry),
            )
        )
        return
    client_id = values[0]
    if not _valid_id(client_id):
        errors.append(
            FreelanceError(
                entry.meta,
                message(
                    N_(
                        "Malformed client id {client!r}: use a name without spaces "
                        "or colons, as in an account component; write {usage}"
                    ),
                    client=client_id,
                    usage=usage,
                ),
                entry,
            )
        )
        return
    if client_id in clients:
        first = clients[client_id].source or {}
        errors.append(
            FreelanceError(
                entry.meta,
                message(
                    N_(
                        "Duplicate declaration of client {client!r} (first declared "
                        "at {filename}:{lineno}); keep only one"
                    ),
                    client=client_id,
                    filename=first.get("filename"),
                    lineno=first.get("lineno"),
                ),
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
                message(
                    N_(
                        "Client {client!r} has an invalid account {account!r}; write "
                        "`account: Income:Clients:{client}`"
                    ),
                    client=client_id,
                    account=account,
                ),
                entry,
            )
        )
        return None
    for other in clients.values():
        if other.account == account:
            errors.append(
                FreelanceError(
                    entry.meta,
                    message(
                        N_(
                            "Client {client!r} declares account {account}, already "
                            "the account of client {other!r}; give each client its "
                            "own account, or use `payee:` regexes on a shared account"
                        ),
                        client=client_id,
                        account=account,
                        other=other.id,
                    ),
                    entry,
                )
            )
            return None
    return str(account)


def _read_payee(
    entry: data.Custom, client_id: str, errors: list[FreelanceError]
) -> Pattern | None:
    payee = entry.meta.get("payee")
    if payee is None:
        return None
    if not isinstance(payee, str) or not payee:
        errors.append(
            FreelanceError(
                entry.meta,
                message(
                    N_(
                        "Client {client!r} has a payee that is not a non-empty "
                        'string ({payee}); write `payee: "REGEX"` in quotes'
                    ),
                    client=client_id,
                    payee=shown(payee),
                ),
                entry,
            )
        )
        return None
    try:
        return compile_pattern(
            payee,
            message(N_("The payee regex of client {client!r}"), client=client_id),
            ignore_case=True,
        )
    except InvalidPattern as exc:
        text: str = message(
            N_(
                "Client {client!r} has an invalid payee regex {payee!r}: "
                "{error}; fix the regex (escape special characters with a "
                "backslash)"
            ),
            client=client_id,
            payee=payee,
            error=exc.reason,
        )
    except PatternError as exc:
        text = exc.message
    errors.append(FreelanceError(entry.meta, text, entry))
    return None


def _read_event(
    entry: data.Custom, errors: list[FreelanceError]
) -> LifecycleEvent | None:
    values = _strings(entry)
    if values is None or not 1 <= len(values) <= 2:
        errors.append(
            FreelanceError(
                entry.meta,
                message(
                    N_(
                        "Malformed {kind} directive ({given}): expected one or two "
                        'strings; write `custom "{kind}" "<client id>" "<reason>"` '
                        "(reason optional)"
                    ),
                    kind=entry.type,
                    given=_given(entry),
                ),
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
