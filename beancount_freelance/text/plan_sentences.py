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

_NO_PROPOSAL = "You have no open proposal."
_WORTH_ONE = "Your open proposal is worth {weighted} a month, weighted by its chances"
_WORTH_MANY = (
    "Your open proposals are worth {weighted} a month, weighted by their chances"
)
_OF_GAP = "{worth}: {coverage} of the {gap} a month still to replace."
_NO_GAP = "{worth}; no lost client is left to replace."
_WIN_RATE = (
    "You win {rate} of your proposals ({won} of {decided} in two years), after "
    "{days} on average."
)
_WON_ONE = "You won the one proposal decided in two years, after {days}."
_DECLINED_ONE = "The one proposal decided in two years was declined, after {days}."
_NO_DECISION = "No proposal was decided in the last two years."
_DAYS_ONE = "{count} day"
_DAYS_MANY = "{count} days"

_TARGET = "{account}: {earned} of the year's target of {target} ({share})"
_TARGET_LEFT = "{target_text}; {needed} a month to go for the rest of the year."
_TARGET_DECEMBER = "{target_text}; the year ends this month."
_TARGET_REACHED = "{target_text}; reached."
_TOTAL = "All targets"

_CEILING = "{label}: {revenue} of {amount} in {year} ({share})"
_CROSSED = "{ceiling_text}; crossed on {date}."
_PROJECTED = "{ceiling_text}; at this pace you cross it on {date}."
_BELOW = "{ceiling_text}; at this pace you stay below it this year."


def _said(value: Any, currency: str, money: Callable[[Decimal], str] | None) -> str:
    if money is not None:
        return money(Decimal(str(value)))
    return f"{value} {currency}"


def _share(share: float | None) -> str:
    """A share that may pass 100 % (a ceiling crossed) as a whole percent."""
    if share is not None and share > 1:
        return f"{share * 100:.0f} %"
    return percent_text(share)


def _days(count: float) -> str:
    whole = round(count)
    return (_DAYS_ONE if whole == 1 else _DAYS_MANY).format(count=whole)


def pipeline_sentences(
    document: Mapping[str, Any], money: Callable[[Decimal], str] | None = None
) -> list[str]:
    """What the open proposals are worth against the gap, and the win rate."""
    found = document.get("pipeline") or {}
    currency = str(document.get("currency", ""))
    count = len(found.get("open") or ())
    sentences = []
    if count == 0:
        sentences.append(_NO_PROPOSAL)
    else:
        weighted = _said(found.get("weighted_monthly"), currency, money)
        template = _WORTH_ONE if count == 1 else _WORTH_MANY
        worth = template.format(count=count, weighted=weighted)
        coverage = found.get("coverage")
        if coverage is None:
            sentences.append(_NO_GAP.format(worth=worth))
        else:
            sentences.append(
                _OF_GAP.format(
                    worth=worth,
                    coverage=percent_text(coverage),
                    gap=_said(document.get("open_gap"), currency, money),
                )
            )
    sentences.append(win_rate_sentence(found))
    return sentences


def win_rate_sentence(found: Mapping[str, Any]) -> str:
    """How often and how fast proposals were won, over two years."""
    won, declined = int(found.get("won") or 0), int(found.get("declined") or 0)
    decided = won + declined
    days = found.get("median_days_to_decide")
    if decided == 0 or days is None:
        return _NO_DECISION
    if decided == 1:
        return (_WON_ONE if won else _DECLINED_ONE).format(days=_days(days))
    return _WIN_RATE.format(
        rate=percent_text(found.get("win_rate")),
        won=won,
        decided=decided,
        days=_days(days),
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
    share = float(earned / year_target) if year_target > 0 else None
    target_text = _TARGET.format(
        account=account,
        earned=_said(target.get("year_to_date"), currency, money),
        target=_said(target.get("year_target"), currency, money),
        share=percent_text(share),
    )
    needed = target.get("monthly_needed")
    if needed is None:
        return _TARGET_DECEMBER.format(target_text=target_text)
    if Decimal(str(needed)) <= 0:
        return _TARGET_REACHED.format(target_text=target_text)
    return _TARGET_LEFT.format(
        target_text=target_text, needed=_said(needed, currency, money)
    )


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
        ceiling_text = _CEILING.format(
            label=item.get("label"),
            revenue=_said(item.get("revenue"), currency, money),
            amount=_said(item.get("amount"), currency, money),
            year=year,
            share=_share(item.get("share")),
        )
        if item.get("crossed_on"):
            sentence = _CROSSED.format(
                ceiling_text=ceiling_text, date=item["crossed_on"]
            )
        elif item.get("projected_crossing"):
            sentence = _PROJECTED.format(
                ceiling_text=ceiling_text, date=item["projected_crossing"]
            )
        else:
            sentence = _BELOW.format(ceiling_text=ceiling_text)
        sentences.append(sentence)
    return sentences
