"""Reading a ledger's client declarations and events into a ClientBook.

`custom "client"` (with `account:`, `receivable:`, `payee:`, `kind:`),
`custom "client-lost"` and `custom "client-back"`; then the clients that the
accounts and payees name, after the declared ones (docs/ledger.md). Every
malformed directive is a FreelanceError at its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.book import (
    Client,
    ClientBook,
    FreelanceError,
    LifecycleEvent,
    Origin,
    account_client,
)
from beancount_freelance.core.ledger.declarations import read_declaration, read_event
from beancount_freelance.core.ledger.hourly_rates import RATE, HourlyRate, read_rate
from beancount_freelance.core.ledger.proposals import PROPOSAL_TYPES, ProposalReader
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.messages import N_, message, verbatim

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.config import Config

__all__ = ["BookReader", "PayeeClients"]


class PayeeClients:
    """The payees of the transactions posting to `payee_accounts`: client ids,
    each with the first such account it was paid on."""

    def __init__(self, config: Config) -> None:
        pattern = config.payee_accounts_re
        self._search = None if pattern is None else pattern.search
        self.found: dict[str, str] = {}

    @property
    def wanted(self) -> bool:
        return self._search is not None

    def add(self, entry: data.Transaction) -> None:
        search = self._search
        if search is None or not entry.payee:
            return
        for posting in entry.postings:
            if search(posting.account):
                self.found.setdefault(entry.payee, posting.account)
                return


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
    ) -> tuple[ClientBook, list[FreelanceError]]:
        """The book, given every account the transactions post to.

        `payees`: those of the transactions on `payee_accounts`, each with its
        account (`PayeeClients.found`).
        """
        clients = dict(self._clients)
        accounts = {*self._accounts, *posting_accounts}
        account_errors = _declared_account_errors(self._clients, accounts, config)
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
        named: list[LifecycleEvent | HourlyRate] = [*events, *self._rates]
        for event in named:
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
        client = receivables.client_of(account)
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


def _named_by(account: str, client: str) -> str:
    """The account up to the component that names the client."""
    parts = account.split(":")
    if client in parts:
        return ":".join(parts[: parts.index(client) + 1])
    return account
