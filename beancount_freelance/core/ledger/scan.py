"""One reading of a ledger, shared by the revenue streams and the receivables.

`scan_ledger` reads a ledger's entries once, as the plugin does
(`reading.read_ledger`: the client book, which postings of each transaction are
income and which receivables), keeps the transactions posting to a receivable,
the `price`, `open` and `budget` directives, then attributes the income postings
to their clients (`attribution.Attributor`, the one attribution).
`question.ask` scans the ledger once for every analysis; the plugin makes the
scan of its own reading (`scan_of`) when an opt-in check asks for one.
Pure functions over Beancount's entries: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.evidence import receivable_like_read
from beancount_freelance.core.ledger.proposals import PROPOSAL_TYPES
from beancount_freelance.core.ledger.rates import Rates
from beancount_freelance.core.ledger.reading import read_ledger
from beancount_freelance.core.ledger.receivable_accounts import ReceivableEntry
from beancount_freelance.core.ledger.vat import VatRates, vat_rates

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.evidence import ReceivableLike
    from beancount_freelance.core.ledger.reading import Kinds, LedgerReading
    from beancount_freelance.core.ledger.receivable_accounts import (
        ReceivableAccounts,
    )

__all__ = ["BUDGET", "Scan", "scan_ledger", "scan_of"]

# Fava's `custom "budget"` directive: the targets read them (`ahead.targets`).
BUDGET = "budget"

# Directives that say what happened with a client, like a transaction does: the
# last of them dates the ledger (a proposal sent after the last payment counts).
_EVENT_TYPES = frozenset(("client-lost", "client-back", *PROPOSAL_TYPES))


@dataclass(frozen=True)
class Scan:
    """What the analyses read from a ledger's entries, for one configuration."""

    config: Config
    book: ClientBook
    attributed: tuple[Attributed, ...]  # every income posting, in ledger order
    # Every transaction posting to a receivable, in ledger order.
    receivable_entries: tuple[ReceivableEntry, ...]
    # The client of each such transaction's first attributed income credit (an
    # invoice's), else of its first attributed income posting, by its id().
    invoice_clients: Mapping[int, str | None]
    prices: tuple[data.Price, ...]
    opens: tuple[data.Open, ...]
    rates: Rates  # the one conversion of revenue and receivables
    receivable_accounts: ReceivableAccounts
    # The date of the last transaction or client event (`client-lost`,
    # `client-back`, a proposal and its outcome): not of a later open, price or
    # other custom directive.
    last_activity: datetime.date | None = None
    budgets: tuple[data.Custom, ...] = ()  # its `custom "budget"` directives
    # Every transaction posting to `time_accounts` or `Expenses:Time`.
    time_entries: tuple[data.Transaction, ...] = ()
    # Closing entries (income moved to equity): no income, left out.
    closing: tuple[data.Transaction, ...] = ()
    # The VAT included in income, by account (config and `open` metadata).
    vat: VatRates = field(default_factory=VatRates)
    # Every transaction, in ledger order, and the kinds of its postings (the
    # reading's own lists, kept for the evidence of receivables).
    transactions: Sequence[data.Transaction] = ()
    kinds: Sequence[Kinds] = ()
    combinations: Mapping[tuple[str, ...], Kinds] = field(default_factory=dict)

    def receivable_like(self) -> tuple[ReceivableLike, ...]:
        """The asset accounts that behave as receivables under other names
        (`evidence.receivable_like`), from the transactions read."""
        return receivable_like_read(
            self.transactions,
            self.kinds,
            self.combinations,
            self.config,
            self.receivable_accounts,
        )


def scan_ledger(
    entries: Sequence[data.Directive],
    config: Config,
    *,
    receivables: bool = True,
    operating: Iterable[str] = (),
) -> Scan:
    """Read the ledger once; attribute its income postings to their clients.

    `receivables=False` leaves `receivable_entries` empty, for the revenue
    streams alone. `operating`: the ledger's operating currencies (money even
    where nothing prices them).
    """
    reading = read_ledger(entries, config)
    return scan_of(
        reading, reading.attributed(), receivables=receivables, operating=operating
    )


def scan_of(
    reading: LedgerReading,
    attributed: Iterable[list[Attributed]],
    *,
    receivables: bool = True,
    operating: Iterable[str] = (),
) -> Scan:
    """The scan of a ledger already read, with the attribution of its income
    transactions (`reading.attributed()`, or what a caller kept of it)."""
    linked: list[ReceivableEntry] = []
    timed: list[data.Transaction] = []
    closing: list[data.Transaction] = []
    make = tuple.__new__  # as `ReceivableEntry._make` builds one, minus its checks
    for entry, kinds in zip(reading.transactions, reading.kinds, strict=True):
        if kinds[1] and receivables:
            linked.append(make(ReceivableEntry, (entry, kinds[1], kinds[2])))
        if kinds[3]:
            timed.append(entry)
        if kinds[4]:
            closing.append(entry)
    prices, opens, budgets, last = _directives(reading)
    if reading.transactions:
        day = reading.transactions[-1].date
        last = day if last is None else max(last, day)
    found, clients = _attribute(
        reading.income, reading.income_kinds, attributed, receivables
    )
    return Scan(
        reading.config,
        reading.book,
        tuple(found),
        tuple(linked),
        clients,
        tuple(prices),
        tuple(opens),
        Rates(prices, reading.entries, operating),
        reading.receivable_accounts,
        last,
        tuple(budgets),
        tuple(timed),
        tuple(closing),
        vat_rates(opens, reading.config),
        reading.transactions,
        reading.kinds,
        reading.combinations,
    )


def _directives(
    reading: LedgerReading,
) -> tuple[list[data.Price], list[data.Open], list[data.Custom], datetime.date | None]:
    """The prices, the opens, the budgets, and the date of the last client event."""
    prices: list[data.Price] = []
    opens: list[data.Open] = []
    budgets: list[data.Custom] = []
    last: datetime.date | None = None
    for entry in reading.others:
        if isinstance(entry, data.Price):
            prices.append(entry)
        elif isinstance(entry, data.Open):
            opens.append(entry)
        elif isinstance(entry, data.Custom):
            if entry.type in _EVENT_TYPES:
                last = entry.date if last is None else max(last, entry.date)
            elif entry.type == BUDGET:
                budgets.append(entry)
    return prices, opens, budgets, last


def _attribute(
    income: list[data.Transaction],
    kinds: list[Kinds],
    attributed: Iterable[list[Attributed]],
    receivables: bool,
) -> tuple[list[Attributed], dict[int, str | None]]:
    """Every income posting with its client (the one attribution); and, by the
    id of each transaction that posts to a receivable too, the client of its
    invoice (when `receivables` are asked)."""
    found: list[Attributed] = []
    clients: dict[int, str | None] = {}
    for entry, items, its_kinds in zip(income, attributed, kinds, strict=True):
        found.extend(items)
        if receivables and its_kinds[1]:
            clients[id(entry)] = _receivable_client(items)
    return found, clients


def _receivable_client(items: list[Attributed]) -> str | None:
    """The client of the first attributed income credit (an invoice's), else of
    the first attributed income posting (a credit note's)."""
    if len(items) == 1:  # the common invoice: what follows gives its client
        return items[0].client
    named = [item for item in items if item.client is not None]
    for item in named:
        if _credits(item.posting):
            return item.client
    return named[0].client if named else None


def _credits(posting: data.Posting) -> bool:
    units = posting.units
    return units is not None and isinstance(units.number, Decimal) and units.number < 0
