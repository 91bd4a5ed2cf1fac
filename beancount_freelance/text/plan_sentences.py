"""The pipeline, the income targets and the ceilings in words, for every face.

`bean-clients pipeline` (and the report) and the Fava Clients page say the same
sentences, made here from the document's `open_gap`, `pipeline`, `targets` and
`ceilings`. Each sentence is one whole template with named placeholders, said in
the language in use (`beancount_freelance.i18n`); a count picks its form through
`ngettext`.
Nothing is computed: amounts are said as the document spells them (or as the
face's `money` formats them), shares only scaled and rounded to be read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.messages import N_
from beancount_freelance.i18n import _, ngettext
from beancount_freelance.text.sentences import percent_text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# Each sentence is whole; a sentence with a count is an `ngettext` below.
_NO_PROPOSAL = N_("You have no open proposal.")


def _worth_of_gap(count: int) -> str:
    return ngettext(
        "Your open proposal is worth {weighted} a month, weighted by its chances: "
        "{coverage} of the {gap} a month still to replace.",
        "Your open proposals are worth {weighted} a month, weighted by their "
        "chances: {coverage} of the {gap} a month still to replace.",
        count,
    )


def _worth_no_gap(count: int) -> str:
    return ngettext(
        "Your open proposal is worth {weighted} a month, weighted by its chances; "
        "no lost client is left to replace.",
        "Your open proposals are worth {weighted} a month, weighted by their "
        "chances; no lost client is left to replace.",
        count,
    )


def _win_rate(days: int) -> str:
    return ngettext(
        "You win {rate} of your proposals ({won} of {decided} in two years), after "
        "{days} day on average.",
        "You win {rate} of your proposals ({won} of {decided} in two years), after "
        "{days} days on average.",
        days,
    )


def _won_one(days: int) -> str:
    return ngettext(
        "You won the one proposal decided in two years, after {days} day.",
        "You won the one proposal decided in two years, after {days} days.",
        days,
    )


def _declined_one(days: int) -> str:
    return ngettext(
        "The one proposal decided in two years was declined, after {days} day.",
        "The one proposal decided in two years was declined, after {days} days.",
        days,
    )


_NO_DECISION = N_("No proposal was decided in the last two years.")

_TARGET_LEFT = N_(
    "{account}: {earned} of the year's target of {target} ({share}); {needed} a "
    "month to go for the rest of the year."
)
_TARGET_DECEMBER = N_(
    "{account}: {earned} of the year's target of {target} ({share}); the year ends "
    "this month."
)
_TARGET_REACHED = N_(
    "{account}: {earned} of the year's target of {target} ({share}); reached."
)
_TOTAL = N_("All targets")

_CROSSED = N_("{label}: {revenue} of {amount} in {year} ({share}); crossed on {date}.")
_PROJECTED = N_(
    "{label}: {revenue} of {amount} in {year} ({share}); at this pace you cross it "
    "on {date}."
)
_BELOW = N_(
    "{label}: {revenue} of {amount} in {year} ({share}); at this pace you stay below "
    "it this year."
)


#: A proposal's `recurrence` (the document's value) as a face says it.
RECURRENCE_TEXT = {"monthly": N_("monthly"), "once": N_("once")}


def recurrence_text(recurrence: str) -> str:
    """`monthly` or `once` in the language in use; another value as it is."""
    found = RECURRENCE_TEXT.get(recurrence)
    return _(found) if found is not None else recurrence


def _said(value: Any, currency: str, money: Callable[[Decimal], str] | None) -> str:
    if money is not None:
        return money(Decimal(str(value)))
    return f"{value} {currency}"


def _share(share: float | None) -> str:
    """A share that may pass 100 % (a ceiling crossed) as a whole percent."""
    if share is not None and share > 1:
        return f"{share * 100:.0f} %"
    return percent_text(share)


def pipeline_sentences(
    document: Mapping[str, Any], money: Callable[[Decimal], str] | None = None
) -> list[str]:
    """What the open proposals are worth against the gap, and the win rate."""
    found = document.get("pipeline") or {}
    currency = str(document.get("currency", ""))
    count = len(found.get("open") or ())
    weighted = _said(found.get("weighted_monthly"), currency, money)
    coverage = found.get("coverage")
    if count == 0:
        worth = _(_NO_PROPOSAL)
    elif coverage is None:
        worth = _worth_no_gap(count).format(weighted=weighted)
    else:
        worth = _worth_of_gap(count).format(
            weighted=weighted,
            coverage=percent_text(coverage),
            gap=_said(document.get("open_gap"), currency, money),
        )
    return [worth, win_rate_sentence(found)]


def win_rate_sentence(found: Mapping[str, Any]) -> str:
    """How often and how fast proposals were won, over two years."""
    won, declined = int(found.get("won") or 0), int(found.get("declined") or 0)
    decided = won + declined
    median = found.get("median_days_to_decide")
    if decided == 0 or median is None:
        return _(_NO_DECISION)
    days = round(median)
    if decided == 1:
        return (_won_one if won else _declined_one)(days).format(days=days)
    return _win_rate(days).format(
        rate=percent_text(found.get("win_rate")),
        won=won,
        decided=decided,
        days=days,
    )


def target_sentences(
    document: Mapping[str, Any], money: Callable[[Decimal], str] | None = None
) -> list[str]:
    """Each budgeted income account's progress, then the total if several."""
    targets = document.get("targets") or {}
    accounts = list(targets.get("accounts") or ())
    currency = str(document.get("currency", ""))
    sentences = [_target_sentence(t, t["account"], currency, money) for t in accounts]
    total = targets.get("total")
    if total and len(total.get("accounts") or ()) > 1:
        sentences.append(_target_sentence(total, _(_TOTAL), currency, money))
    return sentences


def _target_sentence(
    target: Mapping[str, Any],
    account: str,
    currency: str,
    money: Callable[[Decimal], str] | None,
) -> str:
    year_target = Decimal(str(target.get("year_target") or 0))
    earned = Decimal(str(target.get("year_to_date") or 0))
    values = {
        "account": account,
        "earned": _said(target.get("year_to_date"), currency, money),
        "target": _said(target.get("year_target"), currency, money),
        "share": _share(float(earned / year_target) if year_target > 0 else None),
    }
    needed = target.get("monthly_needed")
    if needed is None:
        return _(_TARGET_DECEMBER).format(**values)
    if Decimal(str(needed)) <= 0:
        return _(_TARGET_REACHED).format(**values)
    return _(_TARGET_LEFT).format(**values, needed=_said(needed, currency, money))


def ceiling_sentences(
    document: Mapping[str, Any],
    money: Callable[[Decimal], str] | None = None,
    *,
    year: int | None = None,
) -> list[str]:
    """Each ceiling of one year (default: `as_of`'s year) against its revenue."""
    currency = str(document.get("currency", ""))
    if year is None:
        year = int(str(document.get("as_of", "0"))[:4] or 0)
    sentences = []
    for item in document.get("ceilings") or ():
        if item.get("year") != year:
            continue
        # Ceilings are in the ledger's own currency, whatever the report's.
        own = str(item.get("currency") or currency)
        said = money if own == currency else None
        values = {
            "label": item.get("label"),
            "revenue": _said(item.get("revenue"), own, said),
            "amount": _said(item.get("amount"), own, said),
            "year": year,
            "share": _share(item.get("share")),
        }
        if item.get("crossed_on"):
            sentence = _(_CROSSED).format(**values, date=item["crossed_on"])
        elif item.get("projected_crossing"):
            sentence = _(_PROJECTED).format(**values, date=item["projected_crossing"])
        else:
            sentence = _(_BELOW).format(**values)
        sentences.append(sentence)
    return sentences
