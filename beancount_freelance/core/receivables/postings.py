"""How a transaction posting to a receivable reads, posting by posting.

Pure readings of one `ReceivableEntry` (no state of the matching): what a
receivable posting is worth, whether the transaction credits or debits income,
whether it is a cash-basis invoice (against Equity).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core.position import Cost

from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from beancount.core import data
    from beancount.core.amount import Amount

    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.receivable_accounts import ReceivableEntry

__all__ = ["against_equity", "debits", "income_sides", "valued"]

EQUITY_ROOT = "Equity"


def valued(posting: data.Posting, rates: Rates) -> tuple[Decimal, str] | None:
    """A receivable posting's amount: its units, or hours at their own `@` price."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return None
    price: Amount | Cost | None = posting.price
    if price is None:
        cost = posting.cost
        if cost is not None and isinstance(cost, Cost):
            price = cost
    if (
        price is not None
        and isinstance(price.number, Decimal)
        and not rates.is_money(units.currency)
    ):
        return units.number * price.number, str(price.currency)
    return units.number, str(units.currency)


def income_sides(item: ReceivableEntry) -> tuple[bool, bool]:
    """Whether the transaction credits income, and whether it debits income."""
    credits = debits = False
    postings = item.entry.postings
    for index in item.earning:
        units = postings[index].units
        number = None if units is None else units.number
        if number.__class__ is Decimal:
            credits = credits or number < ZERO
            debits = debits or number > ZERO
    return credits, debits


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
