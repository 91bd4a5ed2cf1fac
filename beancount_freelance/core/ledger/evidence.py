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

import functools
import operator
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, compress, repeat
from typing import TYPE_CHECKING, cast

from beancount.core import data

from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.patterns import finds

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.reading import Kinds
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts

__all__ = [
    "AccountEvidence",
    "ReceivableLike",
    "account_evidence",
    "narration_name",
    "receivable_like",
    "receivable_like_read",
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
    of their debits are income, most of their credits go to an asset.
    """
    income = finds(config.income_re)
    listed = list(entries)
    transactions = cast(
        "list[data.Transaction]",
        list(compress(listed, map(isinstance, listed, repeat(data.Transaction)))),
    )
    accounts = map(_ACCOUNTS, map(_POSTINGS, transactions))
    with_income = list(map(any, map(map, repeat(income), accounts)))
    return _receivable_like(transactions, with_income, with_income, config, receivables)


def receivable_like_read(
    transactions: Sequence[data.Transaction],
    kinds: Sequence[Kinds],
    combinations: Mapping[tuple[str, ...], Kinds],
    config: Config,
    receivables: ReceivableAccounts,
) -> tuple[ReceivableLike, ...]:
    """`receivable_like` of a ledger already read (`reading.read_ledger`): its
    transactions, the kinds of each one's postings, and each combination of
    accounts with its kinds. A transaction has income when its kinds say so (a
    closing entry has none: it posts to no asset either); its debits count
    only when its combination also posts to an asset that is not a
    receivable, told once per combination.
    """
    candidate = _candidate(config, receivables)
    on_assets = {
        id(its_kinds)
        for accounts, its_kinds in combinations.items()
        if its_kinds[0] and any(map(candidate, accounts))
    }
    with_income = list(map(_INCOME_OF, kinds))
    counted = list(map(on_assets.__contains__, map(id, kinds)))
    return _receivable_like(transactions, with_income, counted, config, receivables)


def _candidate(
    config: Config, receivables: ReceivableAccounts
) -> Callable[[str], bool]:
    """Whether an account may be a receivable under another name: an asset
    that the config does not already call a receivable."""
    assets = config.roots[1] + ":"

    def candidate(account: str) -> bool:
        return account.startswith(assets) and not receivables.is_receivable(account)

    return candidate


def _receivable_like(
    transactions: Sequence[data.Transaction],
    with_income: Sequence[object],
    counted: Sequence[object],
    config: Config,
    receivables: ReceivableAccounts,
) -> tuple[ReceivableLike, ...]:
    """The accounts of the definition: `with_income` says of each transaction
    whether it has income, `counted` whether its debits count (at least those
    of the income transactions that post to a candidate account).

    The debits are counted in C-level loops; the others, the credits and the
    payments only as long as an account may still qualify (the bank, debited
    by every payment, soon may not).
    """
    candidate = _candidate(config, receivables)
    invoices = _debits(compress(transactions, counted))
    candidates = {
        account: count for account, count in invoices.items() if candidate(account)
    }
    if not candidates:
        return ()
    assets = config.roots[1] + ":"
    without_income = list(compress(transactions, map(operator.not_, with_income)))
    likely = _mostly_income(without_income, candidates)
    credits, paid = _credits_and_payments(transactions, with_income, likely, assets)
    return tuple(
        ReceivableLike(account, invoices[account], paid[account])
        for account in sorted(likely)
        if paid[account] > 0 and paid[account] * 5 >= credits[account] * 4
    )


def _mostly_income(
    transactions: list[data.Transaction], invoices: dict[str, int]
) -> set[str]:
    """The accounts of `invoices` (their debits in income transactions) whose
    debits in these other transactions are at most a quarter of those: at
    least 80 % of their debits are income. An account is dropped at the debit
    that passes its quarter (the bank, debited by every payment, soon is), and
    the walk stops when none is left."""
    live = set(invoices)
    if not live:
        return live
    outside: Counter[str] = Counter()
    touching = map(live.isdisjoint, map(_ACCOUNTS, map(_POSTINGS, transactions)))
    for entry in compress(transactions, map(operator.not_, touching)):
        for posting in entry.postings:
            account = posting.account
            if account in live and _in(posting):
                outside[account] += 1
                if outside[account] * 4 > invoices[account]:
                    live.discard(account)
                    if not live:
                        return live
    return live


_ACCOUNT = operator.attrgetter("account")
# Of a transaction's kinds: the indices of its income postings (none: no income).
_INCOME_OF = operator.itemgetter(0)
_ACCOUNTS = functools.partial(map, _ACCOUNT)
_POSTINGS = operator.attrgetter("postings")
_UNITS = operator.attrgetter("units")
_NUMBER = operator.attrgetter("number")
_NOTHING = Decimal(0)


def _debits(transactions: Iterable[data.Transaction]) -> Counter[str]:
    """How many postings with a positive number each account has."""
    postings = list(chain.from_iterable(map(_POSTINGS, transactions)))
    units = list(map(_UNITS, postings))
    if any(map(operator.is_, units, repeat(None))):
        kept = list(map(operator.is_not, units, repeat(None)))
        postings, units = list(compress(postings, kept)), list(compress(units, kept))
    numbers = list(map(_NUMBER, units))
    if not all(map(isinstance, numbers, repeat(Decimal))):
        kept = list(map(isinstance, numbers, repeat(Decimal)))
        postings, numbers = (
            list(compress(postings, kept)),
            list(compress(numbers, kept)),
        )
    positive = map(operator.gt, numbers, repeat(_NOTHING))
    return Counter(compress(map(_ACCOUNT, postings), positive))


def _credits_and_payments(
    transactions: Sequence[data.Transaction],
    with_income: Sequence[object],
    likely: set[str],
    assets: str,
) -> tuple[Counter[str], Counter[str]]:
    """Of the `likely` accounts: the postings with a negative number, and those
    of them in a transaction without income that moves the money into another
    asset account."""
    credits: Counter[str] = Counter()
    paid: Counter[str] = Counter()
    if not likely:
        return credits, paid
    touching = map(likely.isdisjoint, map(_ACCOUNTS, map(_POSTINGS, transactions)))
    for entry, has_income, apart in zip(
        transactions, with_income, touching, strict=True
    ):
        if apart:
            continue
        for posting in entry.postings:
            account, units = posting.account, posting.units
            if account not in likely or units is None:
                continue
            if not isinstance(units.number, Decimal) or units.number >= 0:
                continue
            credits[account] += 1
            paid[account] += not has_income and any(
                p.account.startswith(assets) and p.account != account and _in(p)
                for p in entry.postings
            )
    return credits, paid
