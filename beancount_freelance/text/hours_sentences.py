"""Hours in words, for every face (docs/time.md).

Hours are said to one decimal, rates with the face's `money`; nothing is
computed here but rounding for the eye.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from beancount_freelance.i18n import _

if TYPE_CHECKING:
    from collections.abc import Callable

    from beancount_freelance.core.time.replacing import ReplacementHours

__all__ = ["hours_word", "money_word", "replacement_hours_sentence"]

_TENTHS = Decimal("0.1")


def hours_word(value: Decimal | None, none: str = "–", *, spoken: bool = False) -> str:
    """Hours to one decimal, as they are shown: `7.1`; `spoken`, a whole
    number without its `.0`, as a sentence says it: `6`."""
    if value is None:
        return none
    rounded = value.quantize(_TENTHS, rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = rounded.copy_abs()
    if spoken and rounded == rounded.to_integral_value():
        return str(rounded.quantize(Decimal(1)))
    return str(rounded)


def money_word(currency: str) -> Callable[[Decimal], str]:
    """A rate for a sentence: to cents, a whole amount without them: `50 EUR`."""

    def said(value: Decimal) -> str:
        cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if cents == cents.to_integral_value():
            cents = cents.quantize(Decimal(1))
        return f"{cents} {currency}"

    return said


def replacement_hours_sentence(
    name: str, item: ReplacementHours, money: Callable[[Decimal], str]
) -> str | None:
    """ "Lefèvre paid 50 € an hour for 6 hours a month; at your usual 42 € an
    hour, 7.1 hours of new work a month replace it." None when there is no
    usual rate to say it with."""
    if item.median_rate is None or item.hours_to_replace_at_median is None:
        return None
    usual = {
        "usual": money(item.median_rate),
        "needed": hours_word(item.hours_to_replace_at_median, spoken=True),
    }
    if item.rate is None or item.hours_monthly is None:
        return _(
            "At your usual {usual} an hour, {needed} hours of new work a month "
            "replace {client}."
        ).format(client=name, **usual)
    return _(
        "{client} paid {rate} an hour for {hours} hours a month; at your usual "
        "{usual} an hour, {needed} hours of new work a month replace it."
    ).format(
        client=name,
        rate=money(item.rate),
        hours=hours_word(item.hours_monthly, spoken=True),
        **usual,
    )
