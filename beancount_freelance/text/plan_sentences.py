"""The pipeline, the income targets and the ceilings in words, for every face.

`bean-clients pipeline` (and the report) and the Fava Clients page say the same
sentences, made here from the report's `Plan` (pipeline, targets, ceilings).
Each sentence is one whole template with named placeholders, said in
the language in use (`beancount_freelance.i18n`); a count picks its form through
`ngettext`.
Nothing is computed: amounts are said in cents as the document spells them (or
as the face's `money` formats them), shares only rounded as the document rounds
them, and scaled to be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_
from beancount_freelance.core.money import amount, cents, share
from beancount_freelance.i18n import _, ngettext
from beancount_freelance.text.sentences import percent_text

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_freelance.core.ahead.pipeline import Pipeline
    from beancount_freelance.core.ahead.plan import Plan
    from beancount_freelance.core.ahead.targets import Target

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


def _said(value: Decimal, currency: str, money: Callable[[Decimal], str] | None) -> str:
    if money is not None:
        return money(cents(value))
    return f"{amount(value)} {currency}"


def _share(found: float | None) -> str:
    """A share that may pass 100 % (a ceiling crossed) as a whole percent."""
    if found is not None and found > 1:
        return f"{found * 100:.0f} %"
    return percent_text(found)


def pipeline_sentences(
    plan: Plan, currency: str, money: Callable[[Decimal], str] | None = None
) -> list[str]:
    """What the open proposals are worth against the gap, and the win rate."""
    found = plan.pipeline
    count = len(found.open)
    weighted = _said(found.weighted_monthly, currency, money)
    coverage = share(found.coverage)
    if count == 0:
        worth = _(_NO_PROPOSAL)
    elif coverage is None:
        worth = _worth_no_gap(count).format(weighted=weighted)
    else:
        worth = _worth_of_gap(count).format(
            weighted=weighted,
            coverage=percent_text(coverage),
            gap=_said(found.open_gap, currency, money),
        )
    return [worth, win_rate_sentence(found)]


def win_rate_sentence(found: Pipeline) -> str:
    """How often and how fast proposals were won, over two years."""
    won, declined = found.won, found.declined
    decided = won + declined
    median = found.median_days_to_decide
    if decided == 0 or median is None:
        return _(_NO_DECISION)
    days = round(median)
    if decided == 1:
        return (_won_one if won else _declined_one)(days).format(days=days)
    return _win_rate(days).format(
        rate=percent_text(share(found.win_rate)),
        won=won,
        decided=decided,
        days=days,
    )


def target_sentences(
    plan: Plan, currency: str, money: Callable[[Decimal], str] | None = None
) -> list[str]:
    """Each budgeted income account's progress, then the total if several."""
    targets = plan.targets
    sentences = [
        _target_sentence(t, t.account or "", currency, money) for t in targets.accounts
    ]
    if targets.total is not None and len(targets.top_most) > 1:
        sentences.append(_target_sentence(targets.total, _(_TOTAL), currency, money))
    return sentences


def _target_sentence(
    target: Target,
    account: str,
    currency: str,
    money: Callable[[Decimal], str] | None,
) -> str:
    year_target, earned = cents(target.year_target), cents(target.year_to_date)
    values = {
        "account": account,
        "earned": _said(target.year_to_date, currency, money),
        "target": _said(target.year_target, currency, money),
        "share": _share(float(earned / year_target) if year_target > 0 else None),
    }
    needed = target.monthly_needed
    if needed is None:
        return _(_TARGET_DECEMBER).format(**values)
    if cents(needed) <= 0:
        return _(_TARGET_REACHED).format(**values)
    return _(_TARGET_LEFT).format(**values, needed=_said(needed, currency, money))


def ceiling_sentences(
    plan: Plan,
    currency: str,
    as_of: datetime.date,
    money: Callable[[Decimal], str] | None = None,
    *,
    year: int | None = None,
) -> list[str]:
    """Each ceiling of one year (default: `as_of`'s year) against its revenue."""
    if year is None:
        year = as_of.year
    sentences = []
    for item in plan.ceilings:
        if item.year != year:
            continue
        # Ceilings are in the ledger's own currency, whatever the report's.
        own = item.currency or currency
        said = money if own == currency else None
        values = {
            "label": item.label,
            "revenue": _said(item.revenue, own, said),
            "amount": _said(item.amount, own, said),
            "year": year,
            "share": _share(share(item.share)),
        }
        if item.crossed_on:
            sentence = _(_CROSSED).format(**values, date=item.crossed_on.isoformat())
        elif item.projected_crossing:
            sentence = _(_PROJECTED).format(
                **values, date=item.projected_crossing.isoformat()
            )
        else:
            sentence = _(_BELOW).format(**values)
        sentences.append(sentence)
    return sentences
