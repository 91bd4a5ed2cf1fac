"""The survival step chart: where to draw the curve, its band and its axes.

From the report's typed `Survival` (Kaplan–Meier steps with Greenwood's band) this
module places the step line, one band rectangle per step, the median marker and
the ticks in pixels; the template draws the SVG, so that nothing from the
ledger reaches it unescaped. The curve starts at 100 % at month 0 (every
relationship is going at its start) and keeps its last level to the longest
relationship.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from beancount_freelance.core.money import exact_rate
from beancount_freelance.text.outlook import count_months, gettext, ngettext

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal

    from beancount_freelance.core.ahead.survival import Survival, SurvivalStep
    from beancount_freelance.core.revenue.portfolio import ClientStream

WIDTH = 640
HEIGHT = 240
LEFT = 48
RIGHT = 16
TOP = 12
BOTTOM = 28
LEVELS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Band:
    """Greenwood's 95 % band over one step."""

    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class SurvivalTick:
    """A label on an axis, at `x` (months) or `y` (levels)."""

    position: float
    label: str


@dataclass(frozen=True)
class Point:
    """A step of the curve, for its marker and its tooltip."""

    x: float
    y: float
    title: str


@dataclass(frozen=True)
class SurvivalChart:
    """Everything the template needs to draw the survival chart."""

    width: int
    height: int
    left: int
    top: int
    bottom_y: float
    right_x: float
    path: str  # the step line, an SVG path
    bands: tuple[Band, ...]
    points: tuple[Point, ...]
    x_ticks: tuple[SurvivalTick, ...]
    y_ticks: tuple[SurvivalTick, ...]
    median_x: float | None
    half_y: float


class _SurvivalScale:
    def __init__(self, longest: int) -> None:
        self.longest = max(longest, 1)
        self.plot_width = WIDTH - LEFT - RIGHT
        self.plot_height = HEIGHT - TOP - BOTTOM

    def x(self, months: float) -> float:
        return round(
            LEFT + self.plot_width * min(months, self.longest) / self.longest, 1
        )

    def y(self, level: float) -> float:
        return round(TOP + self.plot_height * (1 - level), 1)


def survival_chart(
    survival: Survival, clients: Sequence[ClientStream]
) -> SurvivalChart | None:
    """The chart of the survival curve; None when there is no step to draw."""
    curve = survival.curve
    if not curve:
        return None
    longest = max(
        [
            c.tenure_months
            for c in clients
            if c.recurring and c.tenure_months is not None
        ]
        + [step.months for step in curve]
    )
    scale = _SurvivalScale(longest)
    path = [f"M{scale.x(0)} {scale.y(1.0)}"]
    bands, points = [], []
    for index, step in enumerate(curve):
        x, level = scale.x(step.months), exact_rate(step.survival)
        path.append(f"H{x} V{scale.y(level)}")
        until = curve[index + 1].months if index + 1 < len(curve) else longest
        title = _step_title(step)
        points.append(Point(x, scale.y(level), title))
        if step.low is None or step.high is None:
            continue
        top, bottom = scale.y(_rate(step.high)), scale.y(_rate(step.low))
        width = max(scale.x(until) - x, 2.0)
        bands.append(Band(x, top, round(width, 1), round(bottom - top, 1), title))
    path.append(f"H{scale.x(longest)}")
    median = survival.median_months
    return SurvivalChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        bottom_y=scale.y(0.0),
        right_x=scale.x(longest),
        path=" ".join(path),
        bands=tuple(bands),
        points=tuple(points),
        x_ticks=_month_ticks(scale, longest),
        y_ticks=tuple(
            SurvivalTick(
                scale.y(level), gettext("{value} %").format(value=round(level * 100))
            )
            for level in LEVELS
        ),
        median_x=scale.x(median) if median is not None else None,
        half_y=scale.y(0.5),
    )


def _rate(value: Decimal) -> float:
    return exact_rate(Fraction(value))


def _percent(value: float) -> str:
    return gettext("{value} %").format(value=f"{value * 100:.0f}")


def _step_title(step: SurvivalStep) -> str:
    survival = _percent(exact_rate(step.survival))
    if step.low is None or step.high is None:
        return ngettext(
            "{months}: {survival} still going; {ended} of {at_risk} ended",
            "{months}: {survival} still going; {ended} of {at_risk} ended",
            step.ended,
        ).format(
            months=count_months(step.months),
            survival=survival,
            ended=step.ended,
            at_risk=step.at_risk,
        )
    return ngettext(
        "{months}: {survival} still going (95 % band {low} to {high}); "
        "{ended} of {at_risk} ended",
        "{months}: {survival} still going (95 % band {low} to {high}); "
        "{ended} of {at_risk} ended",
        step.ended,
    ).format(
        months=count_months(step.months),
        survival=survival,
        low=_percent(_rate(step.low)),
        high=_percent(_rate(step.high)),
        ended=step.ended,
        at_risk=step.at_risk,
    )


def _month_ticks(scale: _SurvivalScale, longest: int) -> tuple[SurvivalTick, ...]:
    """Every 3, 6 or 12 months, so that about six labels fit."""
    step = next((every for every in (3, 6, 12, 24) if longest / every <= 8), 48)
    return tuple(
        SurvivalTick(scale.x(months), gettext("{count} mo").format(count=months))
        for months in range(0, longest + 1, step)
    )
