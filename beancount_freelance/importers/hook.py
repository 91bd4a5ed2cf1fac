"""A beangulp hook that attributes imported income to clients, for any importer.

    from beancount_freelance.importers import assign_clients
    HOOKS = [assign_clients]

Each imported transaction that carries income, or money coming in that the
importer booked to a placeholder account (`Income:Uncategorized`,
`Expenses:Unknown`) or left with a single posting, gets its client: its income
postings by the core's attribution (the plugin's rules), the rest by rules that
only make sense at import time: an invoice whose link or number the narration
mentions, a payee that is a client's id or names its receivable, a payee that
paid into a client's receivable or paid exactly one client before. The money goes
to the client's receivable when the books carry the client through one (accrual:
its income was booked with the invoice; cash basis: the income, and the invoice
reversed against Equity), else to its income account; the transaction gets
`client:` metadata. What cannot be attributed is kept, flagged `!`, with a
`freelance_unattributed:` note saying why. docs/importing.md has the details.

The hook runs under `beangulp.Ingest` (4-tuples; the new entries already appended
to `existing`) and on Fava's import page (`HOOKS` in the import config; Fava passes
4-tuples when the hook's annotations mention `Importer`, else 2-tuples, and the
ledger's entries without the new ones). Both shapes are returned as they came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data, flags
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE

from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.messages import quoted
from beancount_freelance.importers.carried import EQUITY_ROOT
from beancount_freelance.importers.directory import (
    ClientDirectory,
    ClientMatch,
    attributed,
)
from beancount_freelance.importers.ledger import plugin_config

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from beangulp import Importer

    Extracted = list[tuple[str, list[data.Directive], str, Importer]]
    Hook = Callable[[Extracted, Sequence[data.Directive]], Extracted]

UNATTRIBUTED_KEY = "freelance_unattributed"
DEFAULT_PLACEHOLDERS = ("Income:Uncategorized", "Expenses:Unknown")


@dataclass(frozen=True)
class HookSettings:
    """What the hook treats as client money, and where it may move it."""

    placeholders: frozenset[str] = frozenset(DEFAULT_PLACEHOLDERS)
    complete_single_legged: bool = True
    config: Config = field(default_factory=Config)
    ledger: str | None = None  # whose plugin line gives the config, read each run

    def current(self) -> HookSettings:
        """The settings for this run: the ledger's plugin line read anew."""
        if self.ledger is None:
            return self
        return HookSettings(
            self.placeholders,
            self.complete_single_legged,
            plugin_config(self.ledger),
        )


def assign_clients_hook(
    *,
    placeholders: Iterable[str] = DEFAULT_PLACEHOLDERS,
    complete_single_legged: bool = True,
    config: Config | None = None,
    ledger: str | None = None,
) -> Hook:
    """A hook attributing imported income; see the module's docstring.

    placeholders: accounts an importer books money to when it does not know where
      it belongs; a credit to one of them is money coming in, moved to the client.
    complete_single_legged: money coming in on a transaction with one posting gets
      the client's posting added (importers built on csvbase leave the other leg out).
    config: the package's configuration (`income` and `receivables` regexes).
    ledger: the ledger whose `plugin "beancount_freelance.plugin"` line gives the
      configuration, read at each run (beangulp hands a hook the entries, not the
      options); without it and without `config`, the defaults.
    """
    settings = HookSettings(
        frozenset(placeholders),
        complete_single_legged,
        config or Config(),
        None if config is not None else ledger,
    )

    # The annotations are strings that mention Importer: Fava reads them to pass
    # the 4-tuples beangulp passes.
    def assign_clients(
        extracted: list[tuple[str, list[data.Directive], str, Importer]],
        existing: Sequence[data.Directive],
    ) -> list[tuple[str, list[data.Directive], str, Importer]]:
        """Attribute imported income to clients (beangulp / Fava import hook)."""
        assigned: list[tuple[str, list[data.Directive], str, Importer]]
        assigned = _assign_all(extracted, existing, settings.current())
        return assigned

    return assign_clients


def _assign_all(
    extracted: Sequence[tuple[Any, ...]],
    existing: Sequence[data.Directive],
    settings: HookSettings,
) -> Any:
    new = {id(entry) for item in extracted for entry in item[1]}
    # beangulp appends the new entries to `existing`; they are not the books yet.
    books = [entry for entry in existing if id(entry) not in new]
    directory = ClientDirectory.from_entries(books, settings.config)
    directory = directory.with_invoices(
        entry for item in extracted for entry in item[1] if not _is_duplicate(entry)
    )
    return [
        (item[0], [_assign(entry, directory, settings) for entry in item[1]], *item[2:])
        for item in extracted
    ]


# --- One transaction ---------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """The client of a transaction's incoming money and the account it goes to.

    `reversal` (receivable, Equity account): a cash-basis client, whose payment
    also credits the receivable against Equity, as its earlier payments did.
    """

    client: str
    account: str
    links: frozenset[str] = frozenset()
    reversal: tuple[str, str] | None = None


def _assign(
    entry: data.Directive, directory: ClientDirectory, settings: HookSettings
) -> data.Directive:
    if not isinstance(entry, data.Transaction) or _is_duplicate(entry):
        return entry
    income = settings.config.income_re.search
    movable = [
        i for i, p in enumerate(entry.postings) if _is_placeholder(entry, p, settings)
    ]
    owned, problem = _owners(entry, movable, directory)
    if problem:
        return _flagged(entry, problem)
    single = settings.complete_single_legged and _single_incoming(entry, income)
    if not movable and not owned and not single:
        return entry
    if not (movable or single or not all(owned.values())):
        # Income already on client accounts or with client: metadata.
        return _attributed(entry, movable, owned, single, None, directory)
    found, problem = _find(entry, directory)
    if found is None:
        return _flagged(entry, problem or _why_not(entry))
    return _attributed(entry, movable, owned, single, found, directory)


def _owners(
    entry: data.Transaction, movable: list[int], directory: ClientDirectory
) -> tuple[dict[int, str], str]:
    """The client of each income posting the importer booked ("" for none), by
    the core's attribution; or the problem it found (an unknown client)."""
    attribution = attributed([entry], directory.book, directory.config)
    if attribution.errors:
        return {}, "; ".join(error.message for error in attribution.errors)
    owned = {
        item.index: item.client or ""
        for item in attribution.postings
        if item.index not in movable
    }
    return owned, ""


def _is_duplicate(entry: data.Directive) -> bool:
    return bool((entry.meta or {}).get(DUPLICATE))


def _is_placeholder(
    entry: data.Transaction, posting: data.Posting, settings: HookSettings
) -> bool:
    if posting.account not in settings.placeholders:
        return False
    if settings.config.income_re.search(posting.account):
        return True
    if posting.units is not None and posting.units.number is not None:
        return bool(posting.units.number < 0)
    # An auto-balanced placeholder takes in what the other postings received.
    others = [p.units.number for p in entry.postings if p is not posting and p.units]
    return sum(n for n in others if n is not None) > 0


def _single_incoming(entry: data.Transaction, income: Callable[[str], Any]) -> bool:
    if len(entry.postings) != 1:
        return False
    posting = entry.postings[0]
    units = posting.units
    return (
        not income(posting.account)
        and units is not None
        and units.number is not None
        and units.number > 0
    )


def _find(
    entry: data.Transaction, directory: ClientDirectory
) -> tuple[_Found | None, str]:
    """The client of the transaction's incoming money, or why there is none."""
    declared = (entry.meta or {}).get(CLIENT_KEY)
    if isinstance(declared, str) and declared:
        if not directory.knows(declared):
            where = "transaction metadata client:"  # as the plugin says it
            return None, directory.book.unknown_message(declared, where)
        return _paid_by(declared, directory), ""
    invoices = directory.invoices_named(entry)
    clients = {invoice.client for invoice in invoices}
    if invoices and len(clients) == 1 and None not in clients:
        invoice = invoices[0]
        links = frozenset().union(*(invoice.links for invoice in invoices))
        equity = next(
            (
                p.account
                for p in invoice.entry.postings
                if p.account.startswith(EQUITY_ROOT)
            ),
            None,
        )
        client = str(invoice.client)
        if equity is not None:  # a cash-basis invoice: the income comes now
            found = _paid_by(client, directory)
            reversal = (invoice.receivable, equity)
            return _Found(client, found.account, links, reversal), ""
        return _Found(client, invoice.receivable, links), ""
    if len(clients) > 1:
        numbers = ", ".join(sorted(i.number or min(i.links) for i in invoices))
        return None, f"the narration names invoices of several clients ({numbers})"
    match = _by_payee(entry, directory)
    if match.client is None:
        return None, match.problem
    return _paid_by(match.client, directory), ""


def _paid_by(client: str, directory: ClientDirectory) -> _Found:
    """Where a payment of `client` goes: to the receivable that carries its
    income (never to income again), in the shape of its earlier payments when it
    is kept on a cash basis; else to its income account."""
    carried = directory.receivables.carrying(client)
    if carried is None:
        return _Found(client, directory.income_account(client))
    if carried.equity is None:
        return _Found(client, carried.receivable)
    income = carried.income or directory.income_account(client)
    return _Found(client, income, reversal=(carried.receivable, carried.equity))


def _by_payee(entry: data.Transaction, directory: ClientDirectory) -> ClientMatch:
    if entry.payee:
        return directory.by_payee(entry.payee)
    if entry.narration:
        return directory.by_payee(entry.narration)
    return ClientMatch(None, "", "")


def _why_not(entry: data.Transaction) -> str:
    who = entry.payee or entry.narration or "(no payee, no narration)"
    return (
        f"no client for {quoted(who)}: no client's payee: regex matches it, it paid no "
        "client before and it names no known invoice; add client: metadata or a "
        "payee: regex to the client's declaration"
    )


def _flagged(entry: data.Transaction, problem: str) -> data.Transaction:
    meta = dict(entry.meta or {})
    meta[UNATTRIBUTED_KEY] = problem
    return entry._replace(flag=flags.FLAG_WARNING, meta=meta)


def _attributed(
    entry: data.Transaction,
    movable: list[int],
    owned: dict[int, str],
    single: bool,
    found: _Found | None,
    directory: ClientDirectory,
) -> data.Transaction:
    postings = list(entry.postings)
    by_posting = dict(owned)
    if found is not None:
        for index in movable:
            postings[index] = postings[index]._replace(account=found.account)
            by_posting[index] = found.client
        for index, client in owned.items():
            by_posting[index] = client or found.client
        if single:
            units = postings[0].units
            assert units is not None  # _single_incoming checked it
            postings.append(data.Posting(found.account, -units, None, None, None, None))
            by_posting[len(postings) - 1] = found.client
        if found.reversal is not None:
            postings.extend(_reversal(entry, found.reversal))
    meta = dict(entry.meta or {})
    # An id the ledger does not declare (a receivable's name) is left to the
    # account, which names it: as metadata it would be an unknown client.
    clients = {c for c in by_posting.values() if c in directory.book.clients}
    if found is not None and found.client in directory.book.clients:
        clients.add(found.client)
    if len(clients) == 1:
        meta.setdefault(CLIENT_KEY, clients.pop())
    elif clients:
        for index, client in by_posting.items():
            posting_meta = dict(postings[index].meta or {})
            posting_meta.setdefault(CLIENT_KEY, client)
            postings[index] = postings[index]._replace(meta=posting_meta)
    links = entry.links | found.links if found is not None else entry.links
    return entry._replace(meta=meta, postings=postings, links=links)


def _reversal(entry: data.Transaction, reversal: tuple[str, str]) -> list[data.Posting]:
    """The cash-basis invoice reversed: the receivable credited by the money that
    came in, Equity debited by as much (one currency; none when it is unknown)."""
    came_in = [
        (p.units.number, p.units.currency)
        for p in entry.postings
        if p.units is not None
        and p.units.number is not None
        and p.units.number > 0
        and not p.account.startswith(EQUITY_ROOT)
    ]
    if len({currency for _, currency in came_in}) != 1:
        return []
    total = Amount(sum((n for n, _ in came_in), Decimal(0)), came_in[0][1])
    receivable, equity = reversal
    return [
        data.Posting(receivable, -total, None, None, None, None),
        data.Posting(equity, total, None, None, None, None),
    ]


assign_clients = assign_clients_hook()
