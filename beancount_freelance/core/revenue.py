"""Revenue lines: each attributed income posting, in the reporting currency.

Revenue is minus the income posting's amount (refunds and credit notes are
negative revenue). Another currency converts at the posting's `@` price, else its
cost in the reporting currency, else the ledger's latest `price` on or before the
date; an amount that cannot be converted is a warning, never dropped silently.
Pure functions, no I/O. The reporting currency is the question's
(`core.question`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data
from beancount.core.position import Cost

from beancount_freelance.core.book import FreelanceError, Rule, posting_source

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.clients import Attributed


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


def revenue_lines(
    attributed: Iterable[Attributed],
    entries: Iterable[data.Directive],
    currency: str,
) -> Revenue:
    """Convert each attributed income posting into revenue in `currency`.

    An `@` price converts first, then a cost in that currency, then the ledger's
    latest price on or before the posting's date; an amount that cannot be
    converted is kept in the warnings, never dropped silently.
    """
    rates = _Rates(entries)
    lines: list[RevenueLine] = []
    warnings: list[FreelanceError] = []
    for item in attributed:
        entry = item.entry
        posting = entry.postings[item.index]
        units = posting.units
        # The common case first: a posting in the reporting currency.
        if (
            units is not None
            and units.currency == currency
            and isinstance(units.number, Decimal)
        ):
            amount: Decimal | None = -units.number
        else:
            amount = _converted(posting, entry.date, currency, rates)
        if amount is None:
            warnings.append(
                FreelanceError(
                    posting_source(entry, posting),
                    f"Cannot convert {posting.units} to {currency} on "
                    f"{entry.date}: add an `@` price to the posting or a "
                    f"`price` directive on or before that date",
                    entry,
                )
            )
            continue
        lines.append(
            RevenueLine(
                entry.date, item.client, amount, posting.account, entry, item.rule
            )
        )
    return Revenue(tuple(lines), tuple(warnings), currency)


def _converted(
    posting: data.Posting, date: datetime.date, currency: str, rates: _Rates
) -> Decimal | None:
    """Minus the posting's amount in `currency`, or None if it cannot convert."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    if units.currency == currency:
        return -units.number
    price = posting.price
    if (
        price is not None
        and price.currency == currency
        and isinstance(price.number, Decimal)
    ):
        return -(units.number * price.number)
    cost = posting.cost
    if isinstance(cost, Cost) and cost.currency == currency:
        return -(units.number * cost.number)
    rate = rates.on(units.currency, currency, date)
    return None if rate is None else -(units.number * rate)


class _Rates:
    """The ledger's `price` directives: the latest rate on or before a date.

    Built on first use, as most ledgers are in one currency.
    """

    def __init__(self, entries: Iterable[data.Directive]) -> None:
        self._entries = entries
        self._table: dict[tuple[str, str], tuple[list[datetime.date], list[Decimal]]]
        self._table = {}
        self._built = False

    def on(self, base: str, quote: str, date: datetime.date) -> Decimal | None:
        if not self._built:
            self._build()
        for pair, invert in (((base, quote), False), ((quote, base), True)):
            if pair not in self._table:
                continue
            dates, numbers = self._table[pair]
            index = bisect.bisect_right(dates, date)
            if index == 0 or (invert and not numbers[index - 1]):
                continue
            rate = numbers[index - 1]
            return 1 / rate if invert else rate
        return None

    def _build(self) -> None:
        points: dict[tuple[str, str], dict[datetime.date, Decimal]] = {}
        for entry in self._entries:
            if isinstance(entry, data.Price) and isinstance(
                entry.amount.number, Decimal
            ):
                pair = (entry.currency, entry.amount.currency)
                points.setdefault(pair, {})[entry.date] = entry.amount.number
        for pair, by_date in points.items():
            dates = sorted(by_date)
            self._table[pair] = (dates, [by_date[day] for day in dates])
        self._built = True
