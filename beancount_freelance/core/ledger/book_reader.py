"""Reading a ledger's client declarations and events into a ClientBook.

`custom "client"` (with `account:`, `receivable:`, `payee:`, `kind:`),
`custom "client-lost"` and `custom "client-back"`; then the clients that the
accounts and payees name, after the declared ones (docs/ledger.md). Every
malformed directive is a FreelanceError at its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, repeat
from operator import attrgetter, contains
from typing import TYPE_CHECKING, Any

from beancount.core import data

from beancount_freelance.core.ledger.book import (
    CLIENT_KEY,
    Client,
    ClientBook,
    FreelanceError,
    LifecycleEvent,
    Origin,
    account_client,
    deposit_client,
    resolve_value,
)
from beancount_freelance.core.ledger.declarations import read_declaration, read_event
from beancount_freelance.core.ledger.hourly_rates import RATE, HourlyRate, read_rate
from beancount_freelance.core.ledger.patterns import finds
from beancount_freelance.core.ledger.proposals import PROPOSAL_TYPES, ProposalReader
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.messages import N_, message, verbatim

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.config import Config

__all__ = ["BookReader", "PayeeClients"]

_META_OF = attrgetter("meta")
_TAGS_OF = attrgetter("tags")
_PAYEE_OF = attrgetter("payee")
_POSTINGS_OF = attrgetter("postings")


def _posting_metas(transactions: Iterable[data.Transaction]) -> Iterator[Any]:
    return map(_META_OF, chain.from_iterable(map(_POSTINGS_OF, transactions)))


class PayeeClients:
    """The clients the income transactions name: the payees of those posting to
    `payee_accounts` (each with the first such account it was paid on), and the
    values of `client_keys` other than `client:` and of `client_tags` (`named`,
    each with the account of the first income posting that names it)."""

    def __init__(self, config: Config) -> None:
        pattern = config.payee_accounts_re
        self._search = None if pattern is None else pattern.search
        self._keys = tuple(key for key in config.client_keys if key != CLIENT_KEY)
        self._key_set = frozenset(self._keys)
        self._tags = config.client_tags_re.search
        self._income = finds(config.income_re)
        self.found: dict[str, str] = {}
        self.named: dict[str, str] = {}
        # Whether a key of `client_keys` other than `client:` is on one of the
        # transactions read, or one of their postings.
        self.other_keys_seen = False

    def add_each(self, income: Sequence[data.Transaction]) -> None:
        """Read the income transactions, in ledger order. Runs over every one
        of a ledger's: what most of them lack is ruled out in C-level loops."""
        metas = chain(map(_META_OF, income), filter(None, _posting_metas(income)))
        if len(self._keys) == 1:  # the default, `customer:`: one look-up each
            self.other_keys_seen = any(map(contains, metas, repeat(self._keys[0])))
        else:
            self.other_keys_seen = bool(self._key_set) and not all(
                map(self._key_set.isdisjoint, metas)
            )
        if self.other_keys_seen:
            naming: Iterable[data.Transaction] = (
                entry for entry in income if entry.tags or self._names(entry)
            )
        else:
            naming = compress(income, map(_TAGS_OF, income))
        for entry in naming:
            self._add_named(entry)
        search = self._search
        if search is None:
            return
        for entry in compress(income, map(_PAYEE_OF, income)):
            for posting in entry.postings:
                if search(posting.account):
                    self.found.setdefault(str(entry.payee), posting.account)
                    break

    def _names(self, entry: data.Transaction) -> bool:
        """Whether a key of `client_keys` other than `client:` is on the
        transaction or one of its postings. Runs once per income transaction."""
        keys = self._key_set
        if not keys:
            return False
        if not keys.isdisjoint(entry.meta):
            return True
        for posting in entry.postings:
            meta = posting.meta
            if meta and not keys.isdisjoint(meta):
                return True
        return False

    def _add_named(self, entry: data.Transaction) -> None:
        income = [p.account for p in entry.postings if self._income(p.account)]
        account = income[0] if income else ""
        values = [(entry.meta.get(key), account) for key in self._keys]
        for posting in entry.postings:
            if posting.meta:
                values.extend(
                    (posting.meta.get(key), posting.account) for key in self._keys
                )
        for tag in entry.tags or ():
            match = self._tags(tag)
            if match is not None:
                values.append((match.group("client"), account))
        for value, where in values:
            if isinstance(value, str) and value.strip():
                self.named.setdefault(value, where)


class BookReader:
    """Reads a ledger's directives one at a time into a ClientBook.

    `reading.read_ledger` feeds it every directive other than a transaction.
    """

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}
        self._events: list[LifecycleEvent] = []
        self._errors: list[FreelanceError] = []
        self._accounts: set[str] = set()
        self._proposals = ProposalReader()
        self._rates: list[HourlyRate] = []

    def read(self, entry: data.Directive) -> None:
        """Take a directive other than a transaction into account."""
        if isinstance(entry, data.Open):
            self._accounts.add(entry.account)
        elif isinstance(entry, data.Custom):
            if entry.type == "client":
                read_declaration(entry, self._clients, self._errors)
            elif entry.type in ("client-lost", "client-back"):
                event = read_event(entry, self._errors)
                if event is not None:
                    self._events.append(event)
            elif entry.type in PROPOSAL_TYPES:
                self._proposals.read(entry)
            elif entry.type == RATE:
                rate = read_rate(entry, self._errors)
                if rate is not None:
                    self._rates.append(rate)

    def book(
        self,
        posting_accounts: Iterable[str],
        config: Config,
        payees: Mapping[str, str] | None = None,
        named: Mapping[str, str] | None = None,
    ) -> tuple[ClientBook, list[FreelanceError]]:
        """The book, given every account the transactions post to.

        `payees`: those of the transactions on `payee_accounts`, each with its
        account (`PayeeClients.found`); `named`: the values of the other
        `client_keys` and of `client_tags` (`PayeeClients.named`).
        """
        clients = dict(self._clients)
        accounts = {*self._accounts, *posting_accounts}
        account_errors = _declared_account_errors(self._clients, accounts, config)
        _add_named(clients, named or {})
        _add_found(clients, accounts, config, payees or {})
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
        book = ClientBook(
            clients=clients,
            events=tuple(events),
            client_accounts=config.client_accounts_re,
            convention=config.convention_re,
            proposals=proposals,
            hourly_rates=tuple(sorted(self._rates, key=lambda rate: rate.date)),
        )
        errors = [*self._errors, *account_errors]
        errors.extend(FreelanceError(*problem) for problem in proposals.problems)
        naming: list[LifecycleEvent | HourlyRate] = [*events, *self._rates]
        for event in naming:
            if event.client not in clients:
                errors.append(
                    FreelanceError(
                        event.entry.meta,
                        book.unknown_message(event.client, f"`{event.entry.type}`"),
                        event.entry,
                    )
                )
        return book, errors


def _declared_account_errors(
    declared: Mapping[str, Client], accounts: set[str], config: Config
) -> list[FreelanceError]:
    """A declared `account:` that is surely a mistake: no income account, never
    opened nor posted to, or the account another declared client has by its id."""
    errors: list[FreelanceError] = []
    income = config.income_re.search
    for client in declared.values():
        account = client.account
        if account is None or client.source is None:
            continue
        said = None
        other = account_client(account, config.client_accounts_re) or account_client(
            account, config.convention_re
        )
        if not income(account):
            said = message(
                N_(
                    "Client {client!r} declares account {account}, which is not an "
                    "income account (the config's `income` is {pattern}); write "
                    "`account: {root}:Clients:{client}`, or widen `income`"
                ),
                client=client.id,
                account=account,
                pattern=verbatim(repr(config.income)),
                root=config.roots[0],
            )
        elif not any(
            used == account or used.startswith(account + ":") for used in accounts
        ):
            said = message(
                N_(
                    "Client {client!r} declares account {account}, which the ledger "
                    "never opens nor posts to; open it (`<date> open {account}`) or "
                    "correct its name"
                ),
                client=client.id,
                account=account,
            )
        elif (
            other is not None
            and other != client.id
            and other in declared
            and declared[other].account is None
        ):
            said = message(
                N_(
                    "Client {client!r} declares account {account}, the account of "
                    "client {other!r} by its id, so {other!r} would have no revenue; "
                    "give {other!r} its own `account:`, or declare another account "
                    "here"
                ),
                client=client.id,
                account=account,
                other=other,
            )
        if said is not None:
            errors.append(FreelanceError(client.source, said, None))
    return errors


def _in_use(account: str, accounts: set[str]) -> bool:
    below = account + ":"
    return account in accounts or any(used.startswith(below) for used in accounts)


def _add_found(
    clients: dict[str, Client],
    accounts: set[str],
    config: Config,
    payees: Mapping[str, str],
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
        client = receivables.client_of(account) or deposit_client(account)
        if client is not None:
            found.setdefault(client, ("receivable", _named_by(account, client)))
    stocks = ReceivableAccounts(config.time_accounts_re)
    written_off = ReceivableAccounts(config.time_expenses_re)
    for account in sorted(accounts):
        client = stocks.client_of(account) or written_off.client_of(account)
        if client is not None:
            found.setdefault(client, ("time", _named_by(account, client)))
    declared = [c.payee for c in clients.values() if c.payee is not None]
    for payee in sorted(payees):
        # A payee that a declaration's `payee:` regex names is that client.
        if sum(1 for pattern in declared if pattern.search(payee)) != 1:
            found.setdefault(payee, ("payee", payees[payee]))
    for client_id, (origin, named_by) in found.items():
        if client_id not in clients:
            clients[client_id] = Client(
                id=client_id, name=client_id, origin=origin, found_in=named_by
            )


def _add_named(clients: dict[str, Client], named: Mapping[str, str]) -> None:
    """The clients a `customer:` or a tag names, unless it names a declared one
    (by its id in any case, its name or its `payee:` regex): known by being
    named."""
    patterns = [(c.id, c.payee) for c in clients.values() if c.payee is not None]

    def payee_matches(text: str) -> tuple[str, ...]:
        return tuple(i for i, pattern in patterns if pattern.search(text))

    for value in named:  # in ledger order: the first spelling is the id
        client_id = resolve_value(value, clients, payee_matches)
        if client_id not in clients:
            clients[client_id] = Client(
                id=client_id, name=client_id, origin="named", found_in=named[value]
            )


def _named_by(account: str, client: str) -> str:
    """The account up to the component that names the client."""
    parts = account.split(":")
    if client in parts:
        return ":".join(parts[: parts.index(client) + 1])
    return account
