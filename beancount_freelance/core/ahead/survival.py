"""How long regular relationships last: Kaplan–Meier with Greenwood's band.

One relationship per recurring client with revenue (a client lost and back is
one): its duration is its `tenure_months`; it ended if the client is lost or
dormant, else it is still going (censored at `as_of`). At each distinct
duration t with an ending, S(t) = S(t⁻) × (1 − d/n), n = relationships lasting
at least t, d = those ending at t. The 95 % band is Greenwood's,
S ± 1.96 × S × sqrt(Σ d / (n (n − d))), clipped to [0, 1]. The steps are exact
fractions; only the band's square root is a Decimal. docs/metrics.md says why
nothing more is fitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from beancount_freelance.core.revenue.portfolio import ClientStream

Z_95 = Decimal("1.96")
_CONTEXT = Context(prec=34)
_ONE = Fraction(1)
_HALF = Fraction(1, 2)


@dataclass(frozen=True)
class Relationship:
    """One regular client's relationship: how long, and whether it ended."""

    client: str
    months: int
    ended: bool


@dataclass(frozen=True)
class SurvivalStep:
    """The curve at one duration where relationships ended."""

    months: int
    survival: Fraction
    low: Decimal | None  # None where every relationship still there ended
    high: Decimal | None
    at_risk: int  # n: relationships that lasted at least `months`
    ended: int  # d: those that ended at `months`


@dataclass(frozen=True)
class Survival:
    """The Kaplan–Meier curve of the regular relationships."""

    relationships: int  # n of the whole sample
    ended: int  # events
    curve: tuple[SurvivalStep, ...]
    median_months: int | None  # the first duration where S <= 1/2


def relationships(streams: Iterable[ClientStream]) -> tuple[Relationship, ...]:
    """The recurring clients with revenue, as relationships (by id)."""
    found = [
        Relationship(
            stream.id, stream.tenure_months, stream.status in ("lost", "dormant")
        )
        for stream in streams
        if stream.recurring and stream.tenure_months is not None
    ]
    return tuple(sorted(found, key=lambda item: item.client))


def kaplan_meier(sample: Sequence[Relationship]) -> Survival:
    """The product-limit curve of `sample`, a step at each duration with endings."""
    endings: dict[int, int] = {}
    for item in sample:
        if item.ended:
            endings[item.months] = endings.get(item.months, 0) + 1
    durations = sorted(item.months for item in sample)
    survival, greenwood = _ONE, Fraction(0)
    steps: list[SurvivalStep] = []
    still_there = 0  # index into `durations`: those shorter than t are gone
    for months in sorted(endings):
        while still_there < len(durations) and durations[still_there] < months:
            still_there += 1
        at_risk = len(durations) - still_there
        ended = endings[months]
        survival *= 1 - Fraction(ended, at_risk)
        low = high = None
        if at_risk > ended:
            greenwood += Fraction(ended, at_risk * (at_risk - ended))
            low, high = band(survival, greenwood)
        steps.append(SurvivalStep(months, survival, low, high, at_risk, ended))
    median = next((step.months for step in steps if step.survival <= _HALF), None)
    return Survival(len(sample), sum(endings.values()), tuple(steps), median)


def survival(streams: Iterable[ClientStream]) -> Survival:
    """Kaplan–Meier over the portfolio's regular relationships."""
    return kaplan_meier(relationships(streams))


def band(survival: Fraction, greenwood: Fraction) -> tuple[Decimal, Decimal]:
    """S ± 1.96 × S × sqrt(Greenwood's sum), clipped to [0, 1]."""
    level = _decimal(survival)
    spread = Z_95 * level * _decimal(greenwood).sqrt(_CONTEXT)
    low = _CONTEXT.subtract(level, spread)
    high = _CONTEXT.add(level, spread)
    return max(Decimal(0), low), min(Decimal(1), high)


def _decimal(value: Fraction) -> Decimal:
    return _CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
