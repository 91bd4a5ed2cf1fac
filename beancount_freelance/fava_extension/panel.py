"""The replacement panel in words.

Turns one replacement object of the JSON document (DESIGN §3) into the sentences
the Clients page shows: what the client brought, how many new clients replace
it, how long that takes at the usual pace, and how much is replaced already.
The numbers come from the document as they are; this module only words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


@dataclass(frozen=True)
class PanelEntry:
    """One client's replacement, worded: a heading and its sentences."""

    client: str
    name: str
    heading: str
    sentences: tuple[str, ...]
    what_if: bool = False


def percent(share: Any) -> str:
    """A share in [0, 1] as a whole percentage ("18 %"), or "—" when unknown."""
    if share is None:
        return "—"
    return f"{float(share) * 100:.0f} %"


def _months(value: float) -> str:
    rounded = round(value, 1)
    text = f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}"
    return f"{text} month" if text == "1" else f"{text} months"


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def describe(
    replacement: Mapping[str, Any],
    name: str,
    money: Callable[[Decimal], str],
    *,
    what_if: bool = False,
) -> PanelEntry:
    """Word one replacement; `money` formats an amount with its currency."""
    lost = _decimal(replacement.get("monthly_lost")) or Decimal(0)
    share = percent(replacement.get("share_at_end"))
    ended = replacement.get("ended")
    if what_if:
        heading = f"What if {name} left on {ended}?"
        first = (
            f"{name} brings {money(lost)} a month, {share} of your income "
            "over its last twelve months."
        )
    else:
        reason = replacement.get("reason")
        how = "lost" if reason == "lost" else "quiet since its last payment"
        note = replacement.get("note")
        heading = f"{name}: {how} on {ended}" + (f" ({note})" if note else "")
        first = f"{name} brought {money(lost)} a month, {share} of your income."
    sentences = [first, _needed(replacement, money), _pace(replacement)]
    if not what_if:
        sentences.append(_since(replacement, money))
    return PanelEntry(
        client=str(replacement.get("client", "")),
        name=name,
        heading=heading,
        sentences=tuple(s for s in sentences if s),
        what_if=what_if,
    )


def _needed(replacement: Mapping[str, Any], money: Callable[[Decimal], str]) -> str:
    usual = _decimal(replacement.get("new_client_monthly"))
    needed = replacement.get("clients_needed")
    if usual is None or needed is None:
        return (
            "No other client to compare with yet, so there is no usual size "
            "for a new client."
        )
    word = "client" if needed == 1 else "clients"
    return (
        f"New clients of your usual size bring {money(usual)} a month: "
        f"you need {needed} {word}."
    )


def _pace(replacement: Mapping[str, Any]) -> str:
    rate = replacement.get("acquisition_per_month")
    months = replacement.get("months_to_replace")
    if not rate:
        return (
            "You signed no new client in the 24 months before, so there is no "
            "pace to tell how long that takes."
        )
    every = _months(1 / float(rate))
    if months is None:
        return f"You signed one new client every {every}."
    return f"You signed one every {every}: about {_months(float(months))}."


def _since(replacement: Mapping[str, Any], money: Callable[[Decimal], str]) -> str:
    replaced = _decimal(replacement.get("replaced_monthly")) or Decimal(0)
    share = replacement.get("replaced_share")
    if share is None:
        return "Since then: nothing to compare with."
    return (
        f"Since then: {percent(share)} replaced "
        f"({money(replaced)} a month from clients who started after)."
    )


def open_gap(replacements: list[Mapping[str, Any]]) -> Decimal:
    """Monthly revenue lost and not yet replaced, over all replacements."""
    gap = Decimal(0)
    for replacement in replacements:
        lost = _decimal(replacement.get("monthly_lost")) or Decimal(0)
        replaced = _decimal(replacement.get("replaced_monthly")) or Decimal(0)
        gap += max(lost - replaced, Decimal(0))
    return gap
