"""How a transaction posting to a receivable reads: its debits and credits.

Pure readings of one `ReceivableEntry` (no state of the matching): what a
receivable posting is worth, whether the transaction credits or debits income,
whether it is a cash-basis invoice (against Equity) or a write-off (against
expenses alone), which invoice numbers it carries. `moves` gives the
transaction's receivable debits and credits, netted per account and currency,
for `InvoiceMatching` to apply.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount.core.position import Cost

from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.receivables import problems
from beancount_freelance.core.receivables.open_items import Credit

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from beancount.core import data
    from beancount.core.amount import Amount

    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.receivable_accounts import (
        ReceivableAccounts,
        ReceivableEntry,
    )
    from beancount_freelance.core.receivables.open_items import Key

__all__ = [
    "Debit",
    "InvoiceKeys",
    "against_equity",
    "converted",
    "credit",
    "debit_links",
    "income_sides",
    "moves",
    "numbers",
    "payer_of",
    "valued",
]

EQUITY_ROOT = "Equity"
_NEITHER = (False, False)  # credits income, debits income
_make = tuple.__new__  # as `Debit._make` builds one, minus its checks
_EXPENSES = "Expenses:"


class InvoiceKeys(NamedTuple):
    """Config `invoice_keys`: in their order, and as a set for a quick test."""

    order: tuple[str, ...]
    known: frozenset[str]


class Debit(NamedTuple):
    """A receivable debit: an invoice's line when `invoice`, else a debit that is
    none (re-invoiced expenses, a refund). The lines of one invoice follow each
    other: the transaction's debits to one client's receivables, one currency."""

    entry: data.Transaction
    key: Key
    posting: data.Posting
    amount: Decimal
    invoice: bool


def moves(
    item: ReceivableEntry, rates: Rates, accounts: ReceivableAccounts
) -> Sequence[Debit | Credit]:
    """A transaction's receivable debits and credits, netted per account and
    currency, in posting order."""
    entry, receivables, earning = item
    if len(receivables) == 1:  # the common transaction, kept flat
        posting = entry.postings[receivables[0]]
        found = valued(posting, rates)
        if found is None or not found[0]:
            return ()
        amount, currency = found
        # A payment earns nothing: no income posting to look at.
        credits_income, debits_income = income_sides(item) if earning else _NEITHER
        key = (posting.account, currency)
        if amount < ZERO:
            return (credit(item, key, -amount, debits_income, posting),)
        invoice = credits_income or against_equity(entry)
        return (_make(Debit, (entry, key, posting, amount, invoice)),)
    net: dict[Key, Decimal] = {}
    first: dict[Key, data.Posting] = {}
    for index in item.receivables:
        posting = entry.postings[index]
        found = valued(posting, rates)
        if found is not None:
            key = (posting.account, found[1])
            net[key] = net.get(key, ZERO) + found[0]
            first.setdefault(key, posting)
    credits_income, debits_income = income_sides(item)
    found_moves: list[Debit | Credit] = []
    group: tuple[str, str] | None = None  # the invoice: its client root, currency
    for key, amount in net.items():
        posting = first[key]
        if amount > ZERO:
            if group is None and (credits_income or against_equity(entry)):
                group = (accounts.client_root(key[0]), key[1])
            line = group == (accounts.client_root(key[0]), key[1])
            found_moves.append(_make(Debit, (entry, key, posting, amount, line)))
        elif amount < ZERO:
            found_moves.append(credit(item, key, -amount, debits_income, posting))
    return found_moves


def credit(
    item: ReceivableEntry,
    key: Key,
    amount: Decimal,
    debits_income: bool,
    posting: data.Posting,
) -> Credit:
    """A payment, a credit note (it debits income) or a write-off; its invoice
    numbers are read when needed (`numbers`)."""
    written_off = not item.earning and writes_off(item)
    payment = not (debits_income or written_off)
    return Credit(item.entry, key[0], key[1], amount, payment, posting, written_off)


def valued(posting: data.Posting, rates: Rates) -> tuple[Decimal, str] | None:
    """A receivable posting's amount: its units, or hours at their own `@` price."""
    units = posting.units
    if units is None:
        return None
    number = units.number
    if not isinstance(number, Decimal):
        return None
    price: Amount | Cost | None = posting.price
    if price is None:
        cost = posting.cost
        if cost is None:
            return number, str(units.currency)  # the common posting
        if isinstance(cost, Cost):
            price = cost
    if (
        price is not None
        and isinstance(price.number, Decimal)
        and not rates.is_money(units.currency)
    ):
        return number * price.number, str(price.currency)
    return number, str(units.currency)


def income_sides(item: ReceivableEntry) -> tuple[bool, bool]:
    """Whether the transaction credits income, and whether it debits income."""
    credits = debits = False
    entry, _, earning = item
    postings = entry.postings
    for index in earning:
        units = postings[index].units
        number = None if units is None else units.number
        if number.__class__ is Decimal:
            credits = credits or number < ZERO
            debits = debits or number > ZERO
    return credits, debits


def debit_links(transactions: Iterable[ReceivableEntry]) -> set[str]:
    """The links of the transactions that debit a receivable."""
    return {
        link
        for item in transactions
        if item.entry.links and debits(item)
        for link in item.entry.links
    }


def debits(item: ReceivableEntry) -> bool:
    """Whether the transaction debits a receivable."""
    postings = item.entry.postings
    for index in item.receivables:
        units = postings[index].units
        if units is not None and isinstance(units.number, Decimal) and units.number > 0:
            return True
    return False


def against_equity(entry: data.Transaction) -> bool:
    """A cash-basis invoice: the receivable's counterpart is an Equity account."""
    return any(p.account.split(":", 1)[0] == EQUITY_ROOT for p in entry.postings)


def writes_off(item: ReceivableEntry) -> bool:
    """A write-off: every posting but the receivables is an expense (bad debt)."""
    entry, receivables, _ = item
    other = False
    for index, posting in enumerate(entry.postings):
        if index not in receivables:
            if not posting.account.startswith(_EXPENSES):
                return False  # a payment's bank: the common answer, at once
            other = True
    return other


def numbers(
    keys: InvoiceKeys, posting: data.Posting, entry: data.Transaction
) -> tuple[str, ...]:
    """The invoice numbers a receivable posting carries (`keys`: config
    `invoice_keys`): the posting's, then the transaction's; stripped strings."""
    known = keys.known
    meta = posting.meta
    if (not meta or known.isdisjoint(meta)) and known.isdisjoint(entry.meta):
        return ()  # most postings and entries carry none: answered in C
    found: list[str] = []
    for meta in (posting.meta, entry.meta):
        if not meta or known.isdisjoint(meta):
            continue
        for key in keys.order:
            if key not in meta:
                continue
            value = meta[key]
            if value is None or isinstance(value, bool):
                continue
            text = str(value).strip()
            if text and text not in found:
                found.append(text)
    return tuple(found) if found else ()


def payer_of(
    entry: data.Transaction,
    posting: data.Posting,
    accounts: ReceivableAccounts,
    clients: Mapping[int, str | None],
) -> str | None:
    """Who a receivable posting belongs to, when the books say it: its `client:`,
    its transaction's, its receivable's client, its transaction's income's."""
    for meta in (posting.meta, entry.meta):
        value = meta.get(CLIENT_KEY) if meta else None
        if isinstance(value, str):
            return value
    return accounts.client_of(posting.account) or clients.get(id(entry))


def converted(
    credit: Credit, currency: str, rates: Rates
) -> tuple[Decimal | None, FreelanceError | None]:
    """A credit's receivable postings in its invoice's currency (None: no rate)."""
    entry = credit.entry
    total = ZERO
    for posting in entry.postings:
        if posting.account != credit.account:
            continue
        value = rates.value(posting, currency, entry.date)
        if value is None:
            return None, problems.cannot_convert(entry, posting, currency)
        total += value
    return -total, None
