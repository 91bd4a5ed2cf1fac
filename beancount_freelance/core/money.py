"""Money as text: the one formatter of the package, which never raises.

The document (`core.document`) writes every amount with it, and the analyses
name amounts in their warnings with it, so that a warning and the table beside
it show the same figure.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["CENTS", "ZERO", "amount"]

ZERO = Decimal(0)
CENTS = Decimal("0.01")
_CONTEXT = Context(prec=28)


def amount(value: Decimal) -> str:
    """Money as a string rounded to cents, half up: `"1234.50"`."""
    # Enough digits for any amount, so that quantize never raises; the usual
    # 28 digits (one shared context) for any amount below 10**24.
    if not value.is_finite():
        return str(value)
    digits = value.adjusted() + 4
    context = _CONTEXT if digits <= _CONTEXT.prec else Context(prec=digits)
    rounded = value.quantize(CENTS, rounding=ROUND_HALF_UP, context=context)
    return str(rounded.copy_abs() if rounded.is_zero() else rounded)
