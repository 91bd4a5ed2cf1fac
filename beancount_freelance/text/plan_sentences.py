"""The pipeline, the income targets and the ceilings in words, for every face.

`bean-clients pipeline` (and the report) and the Fava Clients page say the same
sentences, made here from the document's `open_gap`, `pipeline`, `targets` and
`ceilings`. Each sentence is one whole template with named placeholders, one
per singular or plural form, so that it can be handed to a translation as it is.
Nothing is computed: amounts are said as the document spells them (or as the
face's `money` formats them), shares only scaled and rounded to be read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.text.sentences import percent_text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# Each sentence is whole; a (singular, plural) pair is chosen by its count, as
# ngettext would choose it.
_NO_PROPOSAL = "You have no open proposal."
_WORTH_OF_GAP = (
    "Your open proposal is worth {weighted} a month, weighted by its chances: "
    "{coverage} of the {gap} a month still to replace.",
    "Your open proposals are worth {weighted} a month, weighted by their chances: "
    "{coverage} of the {gap} a month still to replace.",
)
_WORTH_NO_GAP = (
    "Your open proposal is worth {weighted} a month, weighted by its chances; no "
    "lost client is left to replace.",
    "Your open proposals are worth {weighted} a month, weighted by their chances; "
    "no lost client is left to replace.",
)
_WIN_RATE = (
    "You win {rate} of your proposals ({won} of {decided} in two years), after "
    "{days} day on average.",
    "You win {rate} of your proposals ({won} of {decided} in two years), after "
    "{days} days on average.",
)
_WON_ONE = (
    "You won the one proposal decided in two years, after {days} day.",
    "You won the one proposal decided in two years, after {days} days.",
)
_DECLINED_ONE = (
    "The one proposal decided in two years was declined, after {days} day.",
    "The one proposal decided in two years was declined, after {days} days.",
)
_NO_DECISION = "No proposal was decided in the last two years."

_TARGET_LEFT = (
    "{account}: {earned} of the year's target of {target} ({share}); {needed} a "
    "month to go for the rest of the year."
)
_TARGET_DECEMBER = (
    "{account}: {earned} of the year's target of {target} ({share}); the year ends "
    "this month."
)
_TARGET_REACHED = (
    "{account}: {earned} of the year's target of {target} ({share}); reached."
)
_TOTAL = "All targets"

_CROSSED = "{label}: {revenue} of {amount} in {year} ({share}); crossed on {date}."
_PROJECTED = (
    "{label}: {revenue} of {amount} in {year} ({share}); at this pace you cross it "
    "on {date}."
)
_BELOW = (
    "{label}: {revenue} of {amount} in {year} ({share}); at this pace you stay below "
    "it this year."
)


def _plural(forms: tuple[str, str], count: int) -> str:
    """The singular form for 1, the plural form otherwise."""
    return forms[0] if count == 1 else forms[1]


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
        worth = _NO_PROPOSAL
    elif coverage is None:
        worth = _plural(_WORTH_NO_GAP, count).format(weighted=weighted)
    else:
        worth = _plural(_WORTH_OF_GAP, count).format(
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
        return _NO_DECISION
    days = round(median)
    if decided == 1:
        return _plural(_WON_ONE if won else _DECLINED_ONE, days).format(days=days)
    return _plural(_WIN_RATE, days).format(
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
        sentences.append(_target_sentence(total, _TOTAL, currency, money))
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
        return _TARGET_DECEMBER.format(**values)
    if Decimal(str(needed)) <= 0:
        return _TARGET_REACHED.format(**values)
    return _TARGET_LEFT.format(**values, needed=_said(needed, currency, money))


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
            sentence = _CROSSED.format(**values, date=item["crossed_on"])
        elif item.get("projected_crossing"):
            sentence = _PROJECTED.format(**values, date=item["projected_crossing"])
        else:
            sentence = _BELOW.format(**values)
        sentences.append(sentence)
    return sentences
