"""What the books say about income that has no client: the evidence of advice.

Advice is taken from evidence, never from names alone (docs/ledger.md, "Your
books as they are"): for each income account whose postings have no client,
what those postings carry (payees, metadata keys, tags, where the money came
from, whether the other side is held at cost or converted at a price), and, over
the whole ledger, the asset accounts that behave like receivables (income is
booked against them, and they are later paid out of bank or cash).
`core.ledger.advice_line` turns the evidence into the line to paste. Pure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.book import CLIENT_KEY

if TYPE_CHECKING:
    from collections.abc import Iterable

    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts

__all__ = [
    "AccountEvidence",
    "ReceivableLike",
    "account_evidence",
    "narration_name",
    "receivable_like",
    "tag_prefix",
]

# Metadata keys that never name a client: Beancount's own, the invoice's.
_NOT_CLIENT_KEYS = frozenset(
    (
        "filename",
        "lineno",
        CLIENT_KEY,
        "invoice",
        "invoice_no",
        "invoice_number",
        "due",
        "document",
        "receipt",
        "note",
        "vat_included",
    )
)


@dataclass(frozen=True)
class AccountEvidence:
    """What the unattributed income postings of one account carry."""

    account: str
    postings: int
    payees: tuple[tuple[str, int], ...]  # each payee and its postings, most first
    keys: tuple[tuple[str, int, int], ...]  # key, postings, distinct values
    tags: tuple[tuple[str, int], ...]  # tag prefix (`kunde` of #kunde-x), postings
    from_money: int  # postings whose money came from an asset or a deposit
    at_cost_or_price: int  # postings whose other side is at cost or at a price
    # Without a payee, the name before ` | ` in the narration (hledger's
    # "PAYEE | NOTE" description, converted): each and its postings.
    narration_names: tuple[tuple[str, int], ...] = ()

    @property
    def with_payee(self) -> int:
        return sum(count for _, count in self.payees)

    @property
    def has_counterparty(self) -> bool:
        """Paid by someone: payees, and no gains (nothing at cost or price)."""
        return self.with_payee > 0 and self.at_cost_or_price == 0


@dataclass(frozen=True)
class ReceivableLike:
    """An asset account that behaves like a receivable whatever its name."""

    account: str
    invoices: int  # transactions booking income against it
    payments: int  # later credits of it out of which bank or cash was paid


class _AccountTally:
    def __init__(self) -> None:
        self.postings = 0
        self.payees: Counter[str] = Counter()
        self.keys: Counter[str] = Counter()
        self.values: dict[str, set[str]] = {}
        self.tags: Counter[str] = Counter()
        self.from_money = 0
        self.at_cost = 0
        self.names: Counter[str] = Counter()


def account_evidence(
    items: Iterable[tuple[data.Transaction, data.Posting]], config: Config
) -> dict[str, AccountEvidence]:
    """The evidence of each account of the (unattributed) income postings."""
    tallies: dict[str, _AccountTally] = {}
    assets = config.roots[1] + ":"
    for entry, posting in items:
        tally = tallies.setdefault(posting.account, _AccountTally())
        tally.postings += 1
        if entry.payee:
            tally.payees[entry.payee] += 1
        else:
            name = narration_name(entry.narration)
            if name is not None:
                tally.names[name] += 1
        metas = [entry.meta, posting.meta or {}]
        keys = {
            key
            for meta in metas
            for key, value in meta.items()
            if isinstance(value, str) and value.strip() and _may_name(key, config)
        }
        for key in keys:
            tally.keys[key] += 1
            value = posting.meta.get(key) if posting.meta else None
            tally.values.setdefault(key, set()).add(str(value or entry.meta.get(key)))
        prefixes = {tag_prefix(tag) for tag in entry.tags or ()}
        prefixes.discard(None)
        tally.tags.update(p for p in prefixes if p is not None)
        others = [p for p in entry.postings if p is not posting]
        if any(p.cost is not None or p.price is not None for p in others):
            tally.at_cost += 1
        elif any(
            p.account.startswith(assets) or p.account.startswith("Liabilities:")
            for p in others
        ):
            tally.from_money += 1
    return {account: _evidence(account, t) for account, t in tallies.items()}


def _may_name(key: str, config: Config) -> bool:
    return (
        key not in _NOT_CLIENT_KEYS
        and key not in config.client_keys
        and not key.startswith("_")
    )


def _evidence(account: str, tally: _AccountTally) -> AccountEvidence:
    return AccountEvidence(
        account=account,
        postings=tally.postings,
        payees=tuple(tally.payees.most_common()),
        keys=tuple(
            (key, count, len(tally.values.get(key, ())))
            for key, count in tally.keys.most_common()
        ),
        tags=tuple(tally.tags.most_common()),
        from_money=tally.from_money,
        at_cost_or_price=tally.at_cost,
        narration_names=tuple(tally.names.most_common()),
    )


def narration_name(narration: str | None) -> str | None:
    """`Acme Corp` of `Acme Corp | website`: hledger's payee, in a narration."""
    name, bar, _ = (narration or "").partition(" | ")
    return name.strip() or None if bar else None


def tag_prefix(tag: str) -> str | None:
    """`kunde` of `#kunde-mueller` or `#kunde/mueller`; None without one."""
    for position, char in enumerate(tag):
        if char in "-/":
            return tag[:position] if 0 < position < len(tag) - 1 else None
    return None


def _in(posting: data.Posting) -> bool:
    units = posting.units
    return units is not None and isinstance(units.number, Decimal) and units.number > 0


def receivable_like(
    entries: Iterable[data.Directive],
    config: Config,
    receivables: ReceivableAccounts,
) -> tuple[ReceivableLike, ...]:
    """Asset accounts, not receivables by the config, that income is booked
    against and that later pay into other asset accounts (bank or cash): most
    of their debits are income, most of their credits go to an asset."""
    income = config.income_re.search
    assets = config.roots[1] + ":"
    debits: Counter[str] = Counter()
    invoices: Counter[str] = Counter()
    credits: Counter[str] = Counter()
    paid: Counter[str] = Counter()
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        has_income = any(income(p.account) for p in entry.postings)
        for posting in entry.postings:
            account = posting.account
            units = posting.units
            if (
                not account.startswith(assets)
                or receivables.is_receivable(account)
                or units is None
                or not isinstance(units.number, Decimal)
            ):
                continue
            if units.number > 0:
                debits[account] += 1
                invoices[account] += has_income
            elif units.number < 0:
                credits[account] += 1
                paid[account] += not has_income and any(
                    p.account.startswith(assets) and p.account != account and _in(p)
                    for p in entry.postings
                )
    return tuple(
        ReceivableLike(account, invoices[account], paid[account])
        for account in sorted(debits)
        if invoices[account] * 5 >= debits[account] * 4
        and paid[account] > 0
        and paid[account] * 5 >= credits[account] * 4
    )
