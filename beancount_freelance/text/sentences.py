"""The replacement numbers in words, once, for every face.

`bean-clients` and the Fava Clients page both tell a freelancer what a lost, quiet
or (what-if) leaving client brought, how many new clients replace it, how long that
takes at the usual pace of signing, and how much is replaced already. They word one
`Replacement` of the report (docs/metrics.md) with the functions here, so that the
terminal and the page say the same thing; a face only lays the words out (the CLI
wraps them, the page escapes each sentence into a paragraph).

Nothing is computed here: amounts are said in cents as the document spells them
(or as the face's `money` formats them), shares and rates are only rounded as the
document rounds them, and scaled to be read. Every None has its own sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.core.messages import one_line
from beancount_freelance.core.money import amount, cents, rounded, share
from beancount_freelance.core.revenue.replacement import LOOKBACK_MONTHS
from beancount_freelance.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_freelance.core.revenue.replacement import Replacement


def percent_text(share: float | None, none: str = "–") -> str:
    """A share in [0, 1] as a whole percent for a sentence: `30 %`.

    Rounding never says 0 % of something that is there, nor 100 % of something
    that is not all.
    """
    if share is None:
        return none
    if 0 < share < 0.005:
        return _("less than 1 %")
    if 0.995 <= share < 1:
        return "99 %"
    return f"{share * 100:.0f} %"


def months_text(count: float) -> str:
    """A wait in months, as rounded as a person would say it."""
    if count < 1:
        return _("less than a month")
    whole = round(count)
    return ngettext("about {count} month", "about {count} months", whole).format(
        count=whole
    )


def replacement_heading(replacement: Replacement, *, name: str | None = None) -> str:
    """Which client, why and since when: `Lefevre, lost on 2015-12-29 (note)`."""
    who = name or replacement.client
    ended = replacement.ended.isoformat()
    reason = replacement.reason
    if reason == "lost":
        what = _("{client}, lost on {date}").format(client=who, date=ended)
    elif reason == "dormant":
        what = _("{client}, dormant since its last revenue on {date}").format(
            client=who, date=ended
        )
    else:
        return _("If {client} left on {date}").format(client=who, date=ended)
    note = replacement.note
    return f"{what} ({one_line(note)})" if note else what


def replacement_sentences(
    replacement: Replacement,
    currency: str,
    *,
    name: str | None = None,
    money: Callable[[Decimal], str] | None = None,
) -> list[str]:
    """The replacement numbers of one client, one sentence each.

    A what-if (`reason` "what-if") is said in the conditional and has no "since
    then". `name` replaces the client's id; `money` formats an amount with its
    currency (default: the amount in cents, a space, the currency).
    """
    said = _Said(replacement, currency, name or replacement.client, money)
    if said.hypothetical and not replacement.recurring:
        # A one-off client has no monthly level: nothing to extrapolate.
        return [
            _(
                "{client} is not a recurring client: there is no monthly level "
                "to replace."
            ).format(client=said.name)
        ]
    sentences = [said.brought(), said.needed(), said.pace()]
    if not said.hypothetical:
        sentences.append(said.since())
    return [sentence for sentence in sentences if sentence]


class _Said:
    """One replacement and how to say its amounts."""

    def __init__(
        self,
        replacement: Replacement,
        currency: str,
        name: str,
        money: Callable[[Decimal], str] | None,
    ) -> None:
        self.replacement = replacement
        self.currency = currency
        self.name = name
        self.money = money
        self.hypothetical = replacement.reason == "what-if"
        self.ended = replacement.ended.isoformat()

    def amount(self, value: Decimal) -> str:
        if self.money is not None:
            return self.money(cents(value))
        return f"{amount(value)} {self.currency}"

    def brought(self) -> str:
        lost = share(self.replacement.share_at_end)
        values = {
            "client": self.name,
            "amount": self.amount(self.replacement.monthly_lost),
            "share": percent_text(lost),
        }
        if self.hypothetical:
            if lost is None:
                return _("{client} brings {amount} a month.").format(**values)
            return _(
                "{client} brings {amount} a month ({share} of your income)."
            ).format(**values)
        if lost is None:
            return _("{client} brought {amount} a month.").format(**values)
        return _("{client} brought {amount} a month ({share} of your income).").format(
            **values
        )

    def needed(self) -> str:
        replacement = self.replacement
        if replacement.new_client_monthly is None:
            return _(
                "You have no other client to compare with, so how many new "
                "clients it takes is unknown."
            )
        usual = self.amount(replacement.new_client_monthly)
        if replacement.reference_fallback:
            compared = _(
                "No other client started in the {months} months before {date}; "
                "your earlier clients brought {amount} a month in their first year"
            ).format(months=LOOKBACK_MONTHS, date=self.ended, amount=usual)
        else:
            compared = _("New clients of your usual size bring {amount}").format(
                amount=usual
            )
        needed = replacement.clients_needed
        if needed is None:
            return _("{compared}, which does not replace anything.").format(
                compared=compared
            )
        if self.hypothetical:
            return _("{compared}: you would need {count}.").format(
                compared=compared, count=needed
            )
        return _("{compared}: you need {count}.").format(
            compared=compared, count=needed
        )

    def pace(self) -> str:
        rate = round(self.replacement.acquisition_per_month, 4)
        if not rate:
            return _(
                "You have signed no new client in the {months} months before "
                "{date}, so how long it takes cannot be estimated."
            ).format(months=LOOKBACK_MONTHS, date=self.ended)
        every = 1 / rate
        if every >= 1.5:
            pace = _("You signed about one every {count} months").format(
                count=round(every)
            )
        elif rate < 1.5:
            pace = _("You signed about one new client a month")
        else:
            pace = _("You signed about {rate} new clients a month").format(
                rate=f"{rate:.1f}"
            )
        months = rounded(self.replacement.months_to_replace, 1)
        if months is None:
            return f"{pace}."
        return _("{pace}, so expect {wait}.").format(
            pace=pace, wait=months_text(months)
        )

    def since(self) -> str:
        replaced = share(self.replacement.replaced_share)
        if replaced is None:
            brought = self.amount(self.replacement.replaced_monthly)
            return _("Since then new clients bring {amount} a month.").format(
                amount=brought
            )
        if replaced <= 0:
            return _("Since then you have replaced none of it.")
        if replaced >= 1:
            return _("Since then you have replaced all of it.")
        return _("Since then you have replaced {share}.").format(
            share=percent_text(replaced)
        )
