"""Money as text: the one formatter of the package, which never raises.

The document (`core.document`) writes every amount with it, and the analyses
name amounts in their warnings with it, so that a warning and the table beside
it show the same figure.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

__all__ = [
    "CENTS",
    "ZERO",
    "amount",
    "cents",
    "exact_cents",
    "exact_rate",
    "rounded",
    "share",
    "whole",
    "whole_days",
]

ZERO = Decimal(0)
CENTS = Decimal("0.01")
_CONTEXT = Context(prec=28)


def amount(value: Decimal) -> str:
    """Money as a string rounded to cents, half up: `"1234.50"`."""
    return str(cents(value))


def cents(value: Decimal) -> Decimal:
    """Money rounded to cents, half up, as `amount` writes it (never `-0.00`)."""
    # Enough digits for any amount, so that quantize never raises; the usual
    # 28 digits (one shared context) for any amount below 10**24.
    if not value.is_finite():
        return value
    digits = value.adjusted() + 4
    context = _CONTEXT if digits <= _CONTEXT.prec else Context(prec=digits)
    rounded = value.quantize(CENTS, rounding=ROUND_HALF_UP, context=context)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def exact_cents(value: Fraction) -> Decimal:
    """An exact amount (a Fraction) in cents, half away from zero, like `amount`."""
    return cents(Decimal(_half_up(value * 100)).scaleb(-2))


def exact_rate(value: Fraction) -> float:
    """An exact rate or probability rounded to 4 decimals, half up."""
    return float(Decimal(_half_up(value * 10_000)).scaleb(-4))


def rounded(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def share(value: float | None) -> float | None:
    """A share or rate rounded to 4 decimals, as every face and the document say it."""
    return rounded(value, 4)


def whole(value: float) -> int:
    """A float to the nearest whole number, halves away from zero (the HHI)."""
    exact = Decimal(repr(value)).quantize(Decimal(1), ROUND_HALF_UP)
    return int(exact)


def whole_days(value: float | None) -> int | float | None:
    """A count of days: a whole number when it is one (a median may end in .5)."""
    if value is None:
        return None
    return int(value) if value.is_integer() else value


def _half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (ROUND_HALF_UP)."""
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole
