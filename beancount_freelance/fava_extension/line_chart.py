"""A small line chart drawn as inline SVG, with its own key.

Fava's line chart picks a series' colour from its own scale by the series'
name, so two series of a chart can come out in the same colour (the
replacement chart's two pinks). Here each series says its colour (a CSS class
of the page, with a light and a dark value) and its dash, and the chart carries
its key: a reader tells the series apart by colour and by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 100, 12, 12, 28
#: Months labelled on the horizontal axis: about this many, evenly spaced.
X_LABELS = 6
Y_TICKS = 4


@dataclass(frozen=True)
class Series:
    """One line: its name in the key, its CSS class (colour) and its points."""

    name: str
    css_class: str
    values: Sequence[Decimal]
    dashed: bool = False


@dataclass(frozen=True)
class LineChart:
    """Series over the same months ("YYYY-MM"), and how to write an amount."""

    title: str
    months: Sequence[str]
    series: Sequence[Series]

    def svg(self, amount_text: Callable[[Decimal], str]) -> Markup:
        """The chart as an `<svg>` element, with a `<title>` for screen readers."""
        top = max((v for s in self.series for v in s.values), default=Decimal(0))
        scale = _Scale(len(self.months), nice_top(top))
        parts = [
            f'<svg class="freelance-line-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{escape(self.title)}">',
            f"<title>{escape(self.title)}</title>",
            *_y_axis(scale, amount_text),
            *_x_axis(scale, self.months),
            *(_line(scale, series) for series in self.series),
            "</svg>",
        ]
        return Markup("".join(parts))

    def key(self) -> Markup:
        """The chart's key: each series' line, colour and name."""
        items = "".join(
            '<li><svg class="freelance-key-line" viewBox="0 0 24 8" '
            'aria-hidden="true">'
            f'<line x1="0" y1="4" x2="24" y2="4" class="{escape(s.css_class)}"'
            f"{_DASH if s.dashed else ''}/></svg>{escape(s.name)}</li>"
            for s in self.series
        )
        return Markup(f'<ul class="freelance-key freelance-line-key">{items}</ul>')


_DASH = ' stroke-dasharray="6 4"'


@dataclass(frozen=True)
class _Scale:
    months: int
    top: Decimal

    def x(self, index: int) -> float:
        width = WIDTH - LEFT - RIGHT
        if self.months <= 1:
            return LEFT + width / 2
        return LEFT + width * index / (self.months - 1)

    def y(self, value: Decimal) -> float:
        height = HEIGHT - TOP - BOTTOM
        if self.top <= 0:
            return float(HEIGHT - BOTTOM)
        share = float(max(Decimal(0), value) / self.top)
        return HEIGHT - BOTTOM - height * min(share, 1.0)


def nice_top(top: Decimal, ticks: int = Y_TICKS) -> Decimal:
    """The top of the vertical axis: `top` rounded up so that each of the
    `ticks` steps is 1, 2, 2.5 or 5 times a power of ten (3,361 -> 4,000)."""
    if top <= 0:
        return top
    raw = top / ticks
    power = Decimal(1).scaleb(raw.adjusted())
    step = next(m * power for m in (1, 2, Decimal("2.5"), 5, 10) if m * power >= raw)
    return Decimal(format(step * ticks, "f"))  # 4000, not 4.0E+3


def _y_axis(scale: _Scale, amount_text: Callable[[Decimal], str]) -> list[str]:
    parts = []
    for step in range(Y_TICKS + 1):
        value = scale.top * step / Y_TICKS
        y = scale.y(value)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(amount_text(value))}</text>"
        )
    return parts


def _x_axis(scale: _Scale, months: Sequence[str]) -> list[str]:
    """Evenly spaced months and the last one, which ends at the chart's edge
    (a label centred there would be cut); none so close to it they overlap."""
    count = len(months)
    every = max(1, -(-count // X_LABELS))
    shown = {i for i in range(0, count, every) if count - 1 - i >= every or i == 0}
    shown |= {count - 1} if count else set()
    return [
        f'<text class="tick" x="{scale.x(index):.1f}" y="{HEIGHT - 8}" '
        f'text-anchor="{_anchor(index, count)}">{escape(months[index])}</text>'
        for index in sorted(shown)
    ]


def _anchor(index: int, count: int) -> str:
    return "end" if index == count - 1 and count > 1 else "middle"


def _line(scale: _Scale, series: Series) -> str:
    points = " ".join(
        f"{scale.x(index):.1f},{scale.y(value):.1f}"
        for index, value in enumerate(series.values)
    )
    dash = _DASH if series.dashed else ""
    dots = "".join(
        f'<circle class="{escape(series.css_class)}" cx="{scale.x(index):.1f}" '
        f'cy="{scale.y(value):.1f}" r="2.5"><title>{escape(series.name)}</title>'
        "</circle>"
        for index, value in enumerate(series.values)
        if not series.dashed
    )
    return (
        f'<polyline class="{escape(series.css_class)}" fill="none" '
        f'stroke-width="2"{dash} points="{points}"/>{dots}'
    )
