"""Which clients the books carry through a receivable, and how they pay into it.

On accrual books the income is booked with the invoice (receivable ↔ income);
the payment only moves money from the receivable to the bank. Booking that
payment to income again would count the revenue twice, so the import hook asks
here where a client's payment goes. The books may keep one receivable per
client (`Assets:Receivable:Acme`) or one shared account with `client:`
metadata, invoices with links or without; cash-basis invoices debit the
receivable against Equity, and their payments book the income and reverse the
invoice. docs/importing.md describes what the hook makes of each.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Iterable, Mapping

    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.reading import Attribution

EQUITY_ROOT = "Equity:"
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Carried:
    """How the books carry one client's income through a receivable."""

    client: str
    receivable: str  # where its latest invoice or payment went
    date: datetime.date  # of that latest invoice or payment
    equity: str | None = None  # cash basis: the invoices' Equity account
    income: str | None = None  # cash basis: the income of its latest payment


@dataclass(frozen=True)
class CarriedClients:
    """The clients carried through receivables, and how their payments are named."""

    carried: Mapping[str, Carried]
    names: Mapping[str, frozenset[str]]  # compact name -> clients it names
    payees: Mapping[str, frozenset[str]]  # compact payee -> clients it paid for

    def carrying(self, client: str) -> Carried | None:
        """How `client`'s payment is booked, None when it goes to income.

        Once the books carry a client through a receivable, every payment of
        its goes there, even when some of its income was also paid directly
        (a payment that settles nothing shows as a credit on the receivable,
        which is seen; income counted twice would not be).
        """
        return self.carried.get(client)

    def named(self, payee: str) -> frozenset[str]:
        """The clients whose id or receivable name the payee is, or who paid so."""
        key = compact(payee)
        if not key:
            return frozenset()
        return self.names.get(key) or self.payees.get(key) or frozenset()


def compact(text: str) -> str:
    """A name with case, accents, spaces and punctuation left out."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", bare.casefold())


def read_receivables(
    entries: Iterable[data.Directive],
    attribution: Attribution,
    config: Config,
    declared: Mapping[str, str] | None = None,
) -> CarriedClients:
    """Read, from the books, the clients carried through receivables."""
    accounts = ReceivableAccounts(config.receivables_re, declared)
    by_entry: dict[int, set[str]] = {}
    for item in attribution.postings:
        if item.client is not None:
            by_entry.setdefault(id(item.entry), set()).add(item.client)
    income = config.income_re.search
    carried: dict[str, Carried] = {}
    names: dict[str, set[str]] = {}
    payees: dict[str, set[str]] = {}
    linked: dict[str, str] = {}  # an invoice's link -> its client
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        owed = [p for p in entry.postings if accounts.is_receivable(p.account)]
        clients = by_entry.get(id(entry), set())
        if not owed:
            continue
        client: str | None = _client(entry, owed[0], clients, accounts) or next(
            (linked[k] for k in entry.links if k in linked), None
        )
        if client is None:
            continue
        if not _is_payment(owed[0]):
            linked.update(dict.fromkeys(entry.links, client))
        names.setdefault(compact(client), set()).add(client)
        named = accounts.client_of(owed[0].account)
        if named:
            names.setdefault(compact(named), set()).add(client)
        carried[client] = _carried(entry, owed[0], client, income, carried.get(client))
        if _is_payment(owed[0]) and entry.payee:
            payees.setdefault(compact(entry.payee), set()).add(client)
    return CarriedClients(
        carried,
        {key: frozenset(ids) for key, ids in names.items()},
        {key: frozenset(ids) for key, ids in payees.items() if key},
    )


def _client(
    entry: data.Transaction,
    owed: data.Posting,
    attributed: set[str],
    accounts: ReceivableAccounts,
) -> str | None:
    """Whose receivable entry this is: its income's client, its `client:`
    metadata, else the client its receivable account names."""
    if len(attributed) == 1:
        return next(iter(attributed))
    for meta in (owed.meta, entry.meta):
        value = (meta or {}).get(CLIENT_KEY)
        if isinstance(value, str) and value:
            return value
    return accounts.client_of(owed.account)


def _is_payment(owed: data.Posting) -> bool:
    units = owed.units
    return units is not None and units.number is not None and units.number < 0


def _carried(
    entry: data.Transaction,
    owed: data.Posting,
    client: str,
    income: Callable[[str], object],
    before: Carried | None,
) -> Carried:
    """What one receivable entry says about how the client is carried now."""
    others = [p for p in entry.postings if p is not owed]
    equity = next(
        (p.account for p in others if p.account.startswith(EQUITY_ROOT)), None
    )
    earned = next((p.account for p in others if income(p.account)), None)
    kept_equity = before.equity if before is not None else None
    kept_income = before.income if before is not None else None
    if not _is_payment(owed):
        if equity is not None and earned is None:  # a cash-basis invoice
            return Carried(client, owed.account, entry.date, equity, kept_income)
        return Carried(client, owed.account, entry.date)  # an accrual invoice
    if equity is not None and earned is not None:  # a cash-basis payment
        return Carried(client, owed.account, entry.date, equity, earned)
    # A payment from the bank (or a credit note): the client is carried as before.
    return Carried(client, owed.account, entry.date, kept_equity, kept_income)
