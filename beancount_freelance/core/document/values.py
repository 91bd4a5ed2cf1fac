"""The forms of the document's values: dates, optional amounts, shares.

Every module of `core.document` writes its values with these and with the one
money formatter (`core.money.amount`), so that the same figure reads the same
in every object of the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.core.money import amount, rounded, share

if TYPE_CHECKING:
    import datetime
    from decimal import Decimal

__all__ = ["date_or_none", "optional_amount", "rounded", "share"]


def date_or_none(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def optional_amount(value: Decimal | None) -> str | None:
    return amount(value) if value is not None else None
