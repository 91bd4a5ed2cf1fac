"""The replacement numbers in words, once, for every face.

`bean-clients` and the Fava Clients page both tell a freelancer what a lost, quiet
or (what-if) leaving client brought, how many new clients replace it, how long that
takes at the usual pace of signing, and how much is replaced already. They word one
replacement object of the JSON document (docs/metrics.md) with the functions here, so
that the terminal and the page say the same thing; a face only lays the words out
(the CLI wraps them, the page escapes each sentence into a paragraph).

Nothing is computed here: amounts are said as the document spells them (or as the
face's `money` formats them), shares and rates are only scaled and rounded to be
read. Every null of the contract has its own sentence.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.replacement import LOOKBACK_MONTHS

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


def percent_text(share: float | None, none: str = "–") -> str:
    """A share in [0, 1] as a whole percent for a sentence: `30 %`.

    Rounding never says 0 % of something that is there, nor 100 % of something
    that is not all.
    """
    if share is None:
        return none
    if 0 < share < 0.005:
        return "less than 1 %"
    if 0.995 <= share < 1:
        return "99 %"
    return f"{share * 100:.0f} %"


def months_text(count: float) -> str:
    """A wait in months, as rounded as a person would say it."""
    if count < 1:
        return "less than a month"
    whole = round(count)
    return f"about {whole} month{'s' if whole != 1 else ''}"


def replacement_heading(
    replacement: Mapping[str, Any], *, name: str | None = None
) -> str:
    """Which client, why and since when: `Lefevre, lost on 2015-12-29 (note)`."""
    who = name or replacement["client"]
    ended = replacement.get("ended")
    reason = replacement.get("reason")
    if reason == "lost":
        what = f"{who}, lost on {ended}"
    elif reason == "dormant":
        what = f"{who}, dormant since its last payment on {ended}"
    else:
        return f"If {who} left on {ended}"
    note = replacement.get("note")
    return f"{what} ({note})" if note else what


def replacement_sentences(
    replacement: Mapping[str, Any],
    currency: str,
    *,
    name: str | None = None,
    money: Callable[[Decimal], str] | None = None,
) -> list[str]:
    """The replacement numbers of one client, one sentence each.

    A what-if (`reason` "what-if") is said in the conditional and has no "since
    then". `name` replaces the client's id; `money` formats an amount with its
    currency (default: the document's string, a space, the currency).
    """
    said = _Said(replacement, currency, name or replacement["client"], money)
    sentences = [said.brought(), said.needed(), said.pace()]
    if not said.hypothetical:
        sentences.append(said.since())
    return [sentence for sentence in sentences if sentence]


class _Said:
    """One replacement object and how to say its amounts."""

    def __init__(
        self,
        replacement: Mapping[str, Any],
        currency: str,
        name: str,
        money: Callable[[Decimal], str] | None,
    ) -> None:
        self.replacement = replacement
        self.currency = currency
        self.name = name
        self.money = money
        self.hypothetical = replacement.get("reason") == "what-if"

    def amount(self, key: str) -> str:
        value = self.replacement.get(key)
        if self.money is not None:
            return self.money(Decimal(str(value)))
        return f"{value} {self.currency}"

    def brought(self) -> str:
        verb = "brings" if self.hypothetical else "brought"
        share = self.replacement.get("share_at_end")
        of_income = "" if share is None else f" ({percent_text(share)} of your income)"
        return f"{self.name} {verb} {self.amount('monthly_lost')} a month{of_income}."

    def needed(self) -> str:
        replacement = self.replacement
        if replacement.get("new_client_monthly") is None:
            return (
                "You have no other client to compare with, so how many new "
                "clients it takes is unknown."
            )
        usual = self.amount("new_client_monthly")
        if replacement.get("reference_fallback"):
            compared = (
                f"No other client started in the {LOOKBACK_MONTHS} months before "
                f"{replacement.get('ended')}; your earlier clients brought {usual} "
                "a month in their first year"
            )
        else:
            compared = f"New clients of your usual size bring {usual}"
        needed = replacement.get("clients_needed")
        if needed is None:
            return f"{compared}, which does not replace anything."
        need = "would need" if self.hypothetical else "need"
        return f"{compared}: you {need} {needed}."

    def pace(self) -> str:
        rate = self.replacement.get("acquisition_per_month")
        if not rate:
            return (
                f"You have signed no new client in the {LOOKBACK_MONTHS} months "
                f"before {self.replacement.get('ended')}, so how long it takes "
                "cannot be estimated."
            )
        every = 1 / rate
        if every >= 1.5:
            pace = f"You signed about one every {round(every)} months"
        elif rate < 1.5:
            pace = "You signed about one new client a month"
        else:
            pace = f"You signed about {rate:.1f} new clients a month"
        months = self.replacement.get("months_to_replace")
        if months is None:
            return f"{pace}."
        return f"{pace}, so expect {months_text(months)}."

    def since(self) -> str:
        replaced = self.replacement.get("replaced_share")
        if replaced is None:
            if self.replacement.get("replaced_monthly") is None:
                return ""
            brought = self.amount("replaced_monthly")
            return f"Since then new clients bring {brought} a month."
        if replaced <= 0:
            return "Since then you have replaced none of it."
        if replaced >= 1:
            return "Since then you have replaced all of it."
        return f"Since then you have replaced {percent_text(replaced)}."
