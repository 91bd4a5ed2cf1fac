"""Who the clients are, and which income belongs to which client.

Reads the `custom "client"`, `custom "client-lost"` and `custom "client-back"`
directives into an immutable ClientBook, attributes every income posting to a
client by the five rules of the design (posting metadata, transaction metadata,
account ownership, payee regex, else unattributed), and turns attributed postings
into revenue lines in the reporting currency. Pure functions over Beancount's
entries: no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from beancount.core import account as account_lib
from beancount.core import data, prices

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

    from beancount_freelance.config import Config

CLIENTS_ROOT = "Income:Clients"
CLIENT_KEY = "client"

Rule = Literal["posting", "transaction", "account", "payee"]
EventKind = Literal["lost", "back"]


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
    """Every client the ledger knows, and the events of their relationships."""

    clients: Mapping[str, Client]
    events: tuple[LifecycleEvent, ...] = ()
    _owners: dict[str, str | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def events_of(self, client_id: str) -> tuple[LifecycleEvent, ...]:
        return tuple(event for event in self.events if event.client == client_id)

    def owner_of(self, account: str) -> str | None:
        """The client owning an account (declared `account:` or the convention)."""
        try:
            return self._owners[account]
        except KeyError:
            owner = self._find_owner(account)
            self._owners[account] = owner
            return owner

    def _find_owner(self, account: str) -> str | None:
        best: tuple[int, str] | None = None
        for client in self.clients.values():
            owned = client.account
            if owned and (account == owned or account.startswith(owned + ":")):
                if best is None or len(owned) > best[0]:
                    best = (len(owned), client.id)
        if best is not None:
            return best[1]
        return convention_client(account)

    def payee_matches(self, payee: str) -> list[str]:
        """Ids of the clients whose `payee:` regex matches this payee."""
        return [
            client.id
            for client in self.clients.values()
            if client.payee is not None and client.payee.search(payee)
        ]

    def closest(self, client_id: str) -> str | None:
        """The known id closest to a misspelt one, for error messages."""
        matches = difflib.get_close_matches(client_id, list(self.clients), n=1)
        if matches:
            return matches[0]
        lowered = {known.lower(): known for known in self.clients}
        return lowered.get(client_id.lower())

    def unknown_message(self, client_id: str, where: str) -> str:
        closest = self.closest(client_id)
        hint = (
            f"did you mean {closest!r}?"
            if closest
            else 'declare it with `custom "client" "<id>" "<name>"`'
        )
        return f"Unknown client {client_id!r} in {where}; {hint}"


def convention_client(account: str) -> str | None:
    """`Income:Clients:<Name>` and its sub-accounts belong to client `<Name>`."""
    if not account.startswith(CLIENTS_ROOT + ":"):
        return None
    return account.split(":", 3)[2] or None


# --- Reading declarations ----------------------------------------------------


def read_book(
    entries: Iterable[data.Directive],
) -> tuple[ClientBook, list[FreelanceError]]:
    """Read the client declarations and lifecycle events of a ledger."""
    clients: dict[str, Client] = {}
    events: list[LifecycleEvent] = []
    errors: list[FreelanceError] = []
    convention: set[str] = set()
    for entry in entries:
        if isinstance(entry, data.Custom):
            if entry.type == "client":
                _read_declaration(entry, clients, errors)
            elif entry.type in ("client-lost", "client-back"):
                event = _read_event(entry, errors)
                if event is not None:
                    events.append(event)
        elif isinstance(entry, data.Open):
            owner = convention_client(entry.account)
            if owner:
                convention.add(owner)
        elif isinstance(entry, data.Transaction):
            for posting in entry.postings:
                owner = convention_client(posting.account)
                if owner:
                    convention.add(owner)
    for client_id in sorted(convention - set(clients)):
        clients[client_id] = Client(id=client_id, name=client_id)
    book = ClientBook(clients=clients, events=tuple(events))
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


def _strings(entry: data.Custom) -> list[Any]:
    return [value.value for value in entry.values]


def _read_declaration(
    entry: data.Custom, clients: dict[str, Client], errors: list[FreelanceError]
) -> None:
    values = _strings(entry)
    usage = '`custom "client" "<id>" "<name>"` (name optional)'
    if not 1 <= len(values) <= 2 or not all(isinstance(v, str) for v in values):
        errors.append(
            FreelanceError(entry.meta, f"Malformed client: write {usage}", entry)
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
                f"{first.get('filename')}:{first.get('lineno')}); keep one",
                entry,
            )
        )
        return
    account = entry.meta.get("account")
    if account is not None and (
        not isinstance(account, str) or not account_lib.is_valid(account)
    ):
        errors.append(
            FreelanceError(
                entry.meta,
                f"Client {client_id!r} has an invalid account {account!r}; write "
                "`account: Income:Clients:<Name>`",
                entry,
            )
        )
        account = None
    payee = _read_payee(entry, client_id, errors)
    kind = entry.meta.get("kind")
    clients[client_id] = Client(
        id=client_id,
        name=values[1] if len(values) == 2 and values[1].strip() else client_id,
        declared=entry.date,
        account=account,
        payee=payee,
        kind=kind if isinstance(kind, str) else None,
        source=entry.meta,
    )


def _valid_id(client_id: str) -> bool:
    return bool(client_id) and not any(c.isspace() or c == ":" for c in client_id)


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
                f"Client {client_id!r} has a payee that is not a string; write "
                '`payee: "REGEX"`',
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
                f"Client {client_id!r} has an invalid payee regex {payee!r}: {exc}",
                entry,
            )
        )
        return None


def _read_event(
    entry: data.Custom, errors: list[FreelanceError]
) -> LifecycleEvent | None:
    values = _strings(entry)
    if not 1 <= len(values) <= 2 or not all(isinstance(v, str) for v in values):
        errors.append(
            FreelanceError(
                entry.meta,
                f'Malformed {entry.type}: write `custom "{entry.type}" "<client id>" '
                '"<reason>"` (reason optional)',
                entry,
            )
        )
        return None
    kind: EventKind = "lost" if entry.type == "client-lost" else "back"
    note = values[1] if len(values) == 2 else ""
    return LifecycleEvent(entry.date, values[0], kind, note, entry)


# --- Attribution -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attributed:
    """One income posting and the client it belongs to (None: unattributed)."""

    entry: data.Transaction
    index: int
    client: str | None
    rule: Rule | None

    @property
    def posting(self) -> data.Posting:
        return self.entry.postings[self.index]


@dataclass(frozen=True)
class Attribution:
    """Every income posting of a ledger with its client, and what went wrong."""

    postings: tuple[Attributed, ...]
    errors: tuple[FreelanceError, ...]


def attribute(
    entries: Iterable[data.Directive], book: ClientBook, config: Config
) -> Attribution:
    """Attribute every income posting to a client, first rule that applies wins."""
    income = config.income_re.search
    required = config.require_client_re.search
    found: list[Attributed] = []
    errors: list[FreelanceError] = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for index, posting in enumerate(entry.postings):
            if not income(posting.account):
                continue
            client, rule = _attribute_posting(entry, posting, book, errors)
            found.append(Attributed(entry, index, client, rule))
            if client is None and required(posting.account):
                errors.append(
                    FreelanceError(
                        _posting_source(entry, posting),
                        f"Income posting to {posting.account} has no client; add "
                        '`client: "<id>"` to the posting or transaction, or a '
                        "`payee:` regex to the client's declaration",
                        entry,
                    )
                )
    return Attribution(tuple(found), tuple(errors))


def _attribute_posting(
    entry: data.Transaction,
    posting: data.Posting,
    book: ClientBook,
    errors: list[FreelanceError],
) -> tuple[str | None, Rule | None]:
    for rule, meta in (("posting", posting.meta), ("transaction", entry.meta)):
        value = meta.get(CLIENT_KEY) if meta else None
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            errors.append(
                FreelanceError(
                    meta if rule == "posting" else entry.meta,
                    f'The client: metadata must be a string, as `client: "<id>"`, '
                    f"not {value!r}",
                    entry,
                )
            )
            continue
        if value not in book.clients:
            errors.append(
                FreelanceError(
                    _posting_source(entry, posting)
                    if rule == "posting"
                    else entry.meta,
                    book.unknown_message(value, f"{rule} metadata"),
                    entry,
                )
            )
        return value, rule  # type: ignore[return-value]  # rule is a Rule literal
    owner = book.owner_of(posting.account)
    if owner is not None:
        return owner, "account"
    if entry.payee:
        matches = book.payee_matches(entry.payee)
        if len(matches) == 1:
            return matches[0], "payee"
        if len(matches) > 1:
            errors.append(
                FreelanceError(
                    entry.meta,
                    f"Payee {entry.payee!r} matches the payee regex of several "
                    f"clients ({', '.join(matches)}); make the regexes exclusive or "
                    'add `client: "<id>"` to the transaction',
                    entry,
                )
            )
    return None, None


def _posting_source(entry: data.Transaction, posting: data.Posting) -> data.Meta:
    meta = posting.meta
    if meta and "filename" in meta and "lineno" in meta:
        return meta
    return entry.meta


# --- Lifecycle ---------------------------------------------------------------


def lifecycle_errors(
    book: ClientBook, attributed: Iterable[Attributed]
) -> list[FreelanceError]:
    """Events that contradict the revenue: losses, returns and payments after."""
    revenue_dates: dict[str, list[tuple[datetime.date, Attributed]]] = {}
    for item in attributed:
        # Only money coming in counts: a refund after a loss is no new business.
        if item.client is not None and item.posting.units.number < 0:
            revenue_dates.setdefault(item.client, []).append((item.entry.date, item))
    errors: list[FreelanceError] = []
    for client_id in book.clients:
        events = book.events_of(client_id)
        dates = revenue_dates.get(client_id, [])
        errors.extend(_event_errors(client_id, events, dates))
        errors.extend(_revenue_after_loss(client_id, events, dates))
    return errors


def _event_errors(
    client_id: str,
    events: tuple[LifecycleEvent, ...],
    dates: list[tuple[datetime.date, Attributed]],
) -> Iterator[FreelanceError]:
    lost = False
    for event in events:
        if event.kind == "lost":
            if lost:
                yield FreelanceError(
                    event.entry.meta,
                    f"Client {client_id!r} is lost twice without a `client-back` "
                    "between; remove one or add the return",
                    event.entry,
                )
            elif not any(day <= event.date for day, _ in dates):
                yield FreelanceError(
                    event.entry.meta,
                    f"Client {client_id!r} is lost on {event.date} but has no "
                    "revenue before it; check the date or the client id",
                    event.entry,
                )
            lost = True
        else:
            if not lost:
                yield FreelanceError(
                    event.entry.meta,
                    f"`client-back` for {client_id!r} without an earlier "
                    "`client-lost`; add the loss or remove the return",
                    event.entry,
                )
            lost = False


def _revenue_after_loss(
    client_id: str,
    events: tuple[LifecycleEvent, ...],
    dates: list[tuple[datetime.date, Attributed]],
) -> Iterator[FreelanceError]:
    if not any(event.kind == "lost" for event in events):
        return
    for day, item in dates:
        latest = None
        for event in events:
            if event.date < day or (event.kind == "back" and event.date == day):
                latest = event
        if latest is not None and latest.kind == "lost":
            yield FreelanceError(
                _posting_source(item.entry, item.posting),
                f"Revenue from {client_id!r} on {day} after its loss on "
                f'{latest.date}; add `{day} custom "client-back" "{client_id}"` '
                "if the client came back",
                item.entry,
            )


# --- Revenue in the reporting currency ---------------------------------------


@dataclass(frozen=True, slots=True)
class RevenueLine:
    """Revenue from one income posting, in the reporting currency."""

    date: datetime.date
    client: str | None
    revenue: Decimal
    account: str
    entry: data.Transaction
    rule: Rule | None = None


@dataclass(frozen=True)
class Revenue:
    """All revenue lines of a ledger and the amounts that could not be converted."""

    lines: tuple[RevenueLine, ...]
    warnings: tuple[FreelanceError, ...]
    currency: str


def reporting_currency(options_map: Mapping[str, Any], asked: str | None) -> str:
    """The asked currency, else the first operating currency, else EUR."""
    if asked:
        return asked
    operating = options_map.get("operating_currency") or []
    return str(operating[0]) if operating else "EUR"


def revenue_lines(
    attributed: Iterable[Attributed],
    entries: Iterable[data.Directive],
    currency: str,
) -> Revenue:
    """Convert each attributed income posting into revenue in `currency`.

    An `@` price converts first, then the ledger's price on that date; an amount
    that cannot be converted is kept in the warnings, never dropped silently.
    """
    price_map: prices.PriceMap | None = None
    lines: list[RevenueLine] = []
    warnings: list[FreelanceError] = []
    for item in attributed:
        posting = item.posting
        units = posting.units
        if units.currency == currency:
            amount = -units.number
        else:
            if price_map is None:
                price_map = prices.build_price_map(list(entries))
            converted = _converted(posting, item.entry.date, currency, price_map)
            if converted is None:
                warnings.append(
                    FreelanceError(
                        _posting_source(item.entry, posting),
                        f"Cannot convert {units} to {currency} on "
                        f"{item.entry.date}: add an `@` price or a `price` directive",
                        item.entry,
                    )
                )
                continue
            amount = converted
        lines.append(
            RevenueLine(
                item.entry.date,
                item.client,
                amount,
                posting.account,
                item.entry,
                item.rule,
            )
        )
    return Revenue(tuple(lines), tuple(warnings), currency)


def _converted(
    posting: data.Posting,
    date: datetime.date,
    currency: str,
    price_map: prices.PriceMap,
) -> Decimal | None:
    units = posting.units
    price = posting.price
    if price is not None and price.currency == currency and price.number is not None:
        return -(units.number * price.number)
    cost = posting.cost
    if cost is not None and cost.currency == currency and cost.number is not None:
        return -(units.number * cost.number)
    _, rate = prices.get_price(price_map, (units.currency, currency), date)
    if rate is None:
        return None
    return -(units.number * rate)
