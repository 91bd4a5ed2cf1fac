"""The Clients page's movements section: a bar per period, retention, cohorts.

From the core's typed `Movements` and cohorts (docs/metrics.md, "Movements")
this module places the chart in pixels and words the rest; the template
(templates/movements_section.html) draws the SVG, so that nothing from the
ledger reaches it unescaped. Each bar stacks the gains above zero (new,
returned, expansion, a positive adjustment) and the losses below it
(contraction, lost, a negative adjustment); each movement keeps its colour
(the template's CSS class `m-<kind>`) whatever the periods show, and the
legend keys all of them. No segment links anywhere: its title says the amount
and the clients. Nothing is computed here but positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.revenue.movements import (
    GAINS,
    KINDS,
    LOSSES,
)
from beancount_freelance.i18n import _
from beancount_freelance.text.movement_sentences import (
    movement_name,
    ratio_text,
    retention_sentences,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from beancount_freelance.core.revenue.movements import (
        Bridge,
        Kind,
        Movements,
    )
    from beancount_freelance.core.revenue.retention import Cohort

#: The years of revenue the cohort table shows, the last ones.
COHORT_YEARS = 12
#: The clients a segment's tooltip names; the others are an ellipsis.
TOOLTIP_CLIENTS = 12
WIDTH = 640
HEIGHT = 260
LEFT = 96
RIGHT = 12
TOP = 12
BOTTOM = 28
#: The last periods a chart draws (a time filter of decades has hundreds).
MAX_BARS = 40
#: The series, each with its colour class, in the legend's order.
SERIES: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind != "steady")


@dataclass(frozen=True)
class Segment:
    """One movement of one period: a rectangle and what it says."""

    kind: Kind
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class MovementsChart:
    """Everything the template needs to draw the bars."""

    width: int
    height: int
    left: int
    right_x: float
    zero_y: float
    segments: tuple[Segment, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    legend: tuple[tuple[Kind, str], ...]  # (kind, name), every series


@dataclass(frozen=True)
class BridgeRow:
    """One period of the bridge table, formatted."""

    period: str
    cells: tuple[str, ...]  # start, each series, end
    ratio: str


@dataclass(frozen=True)
class CohortRow:
    year: int
    clients: tuple[str, ...]
    cells: tuple[str, ...]  # one per year of the table, "" before the cohort


@dataclass(frozen=True)
class MovementsSection:
    """The section as the template shows it."""

    heading: str
    chart: MovementsChart | None
    rows: tuple[BridgeRow, ...]
    columns: tuple[str, ...]
    so_far: str | None
    retention: tuple[str, ...]
    cohort_years: tuple[int, ...]
    cohorts: tuple[CohortRow, ...]
    shown_from: str | None  # the first period drawn when some are left out


def movements_section(
    found: Movements, cohorts: Sequence[Cohort], money: Callable[[Decimal], str]
) -> MovementsSection:
    """The section of the report's period (Fava's time filter)."""
    drawn = found.periods[-MAX_BARS:]
    columns = (_("Start"), *(movement_name(kind) for kind in SERIES), _("End"))
    years, rows = _cohort_rows(cohorts, money)
    return MovementsSection(
        heading=_("What moved the revenue, quarter by quarter"),
        chart=movements_chart(drawn, money) if drawn else None,
        rows=tuple(_bridge_row(bridge, money) for bridge in found.periods),
        columns=columns,
        so_far=_so_far(found, money),
        retention=tuple(retention_sentences(found.retention)),
        cohort_years=years,
        cohorts=rows,
        shown_from=drawn[0].period if len(drawn) < len(found.periods) else None,
    )


def _so_far(found: Movements, money: Callable[[Decimal], str]) -> str | None:
    so_far = found.so_far
    if so_far is None:
        return None
    return _(
        "So far in {period} (through {date}): {revenue}. A quarter is bridged once "
        "it is over: a client who has not paid yet is not lost."
    ).format(period=so_far.period, date=so_far.through, revenue=money(so_far.revenue))


def _bridge_row(bridge: Bridge, money: Callable[[Decimal], str]) -> BridgeRow:
    cells = [money(bridge.start)]
    for kind in SERIES:
        value = bridge.amount(kind)
        cells.append(money(-value) if kind in LOSSES and value else money(value))
    cells.append(money(bridge.end))
    return BridgeRow(bridge.period, tuple(cells), ratio_text(bridge.replacement_ratio))


def _cohort_rows(
    found: Sequence[Cohort], money: Callable[[Decimal], str]
) -> tuple[tuple[int, ...], tuple[CohortRow, ...]]:
    # The last COHORT_YEARS years: books that start in the year 1 would
    # otherwise make a table of thousands of columns (the CLI shows them all).
    every = sorted({year for cohort in found for year in cohort.revenue})
    years = tuple(every[-COHORT_YEARS:])
    rows = tuple(
        CohortRow(
            cohort.year,
            cohort.clients,
            tuple(
                money(cohort.revenue[year]) if year in cohort.revenue else ""
                for year in years
            ),
        )
        for cohort in found
    )
    return years, rows


# --- The chart ------------------------------------------------------------------


def _stacks(
    bridge: Bridge,
) -> tuple[list[tuple[Kind, Decimal]], list[tuple[Kind, Decimal]]]:
    """The segments above zero and below it, each a positive height."""
    up = [(kind, bridge.amount(kind)) for kind in GAINS if bridge.amount(kind)]
    down = [(kind, bridge.amount(kind)) for kind in LOSSES if bridge.amount(kind)]
    if bridge.adjustment > 0:
        up.append(("adjustment", bridge.adjustment))
    elif bridge.adjustment < 0:
        down.append(("adjustment", -bridge.adjustment))
    return up, down


def movements_chart(
    periods: Sequence[Bridge], money: Callable[[Decimal], str]
) -> MovementsChart:
    """The bars of these periods, gains up and losses down, in pixels."""
    stacks = [_stacks(bridge) for bridge in periods]
    high = max(
        [sum((v for _k, v in up), Decimal(0)) for up, _down in stacks] + [Decimal(0)]
    )
    low = max(
        [sum((v for _k, v in down), Decimal(0)) for _up, down in stacks] + [Decimal(0)]
    )
    span = (high + low) or Decimal(1)
    plot_height = HEIGHT - TOP - BOTTOM
    scale = float(plot_height) / float(span)
    zero_y = round(TOP + float(high) * scale, 1)
    slot = (WIDTH - LEFT - RIGHT) / len(periods)
    bar = max(min(slot * 0.6, 48.0), 2.0)
    segments: list[Segment] = []
    x_ticks = []
    for index, (bridge, (up, down)) in enumerate(zip(periods, stacks, strict=True)):
        x = round(LEFT + slot * index + (slot - bar) / 2, 1)
        x_ticks.append(Tick(round(x + bar / 2, 1), bridge.period))
        top = zero_y
        for kind, value in up:
            height = float(value) * scale
            top -= height
            segments.append(_segment(bridge, kind, x, top, bar, height, money))
        bottom = zero_y
        for kind, value in down:
            height = float(value) * scale
            segments.append(_segment(bridge, kind, x, bottom, bar, height, money))
            bottom += height
    return MovementsChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right_x=WIDTH - RIGHT,
        zero_y=zero_y,
        segments=tuple(segments),
        x_ticks=tuple(_every_few(x_ticks)),
        y_ticks=_y_ticks(high, low, zero_y, scale, money),
        legend=tuple((kind, movement_name(kind)) for kind in SERIES),
    )


def _segment(
    bridge: Bridge,
    kind: Kind,
    x: float,
    y: float,
    width: float,
    height: float,
    money: Callable[[Decimal], str],
) -> Segment:
    value = bridge.amount(kind)
    said = money(-value) if kind in LOSSES else money(value)
    ids = bridge.clients[kind]
    title = _("{period} · {movement}: {amount}").format(
        period=bridge.period, movement=movement_name(kind), amount=said
    )
    if ids:  # the first ones: a segment of thousands of clients stays a tooltip
        shown = ", ".join(ids[:TOOLTIP_CLIENTS])
        title += f" ({shown}, …)" if len(ids) > TOOLTIP_CLIENTS else f" ({shown})"
    return Segment(
        kind, x, round(y, 1), round(width, 1), round(max(height, 0.5), 1), title
    )


def _every_few(ticks: list[Tick]) -> list[Tick]:
    """At most about twelve labels under the bars."""
    step = max(1, -(-len(ticks) // 12))
    return ticks[::step]


def _y_ticks(
    high: Decimal,
    low: Decimal,
    zero_y: float,
    scale: float,
    money: Callable[[Decimal], str],
) -> tuple[Tick, ...]:
    ticks = [Tick(zero_y, "0")]
    if high > 0:
        ticks.append(Tick(round(zero_y - float(high) * scale, 1), money(high)))
    if low > 0:
        ticks.append(Tick(round(zero_y + float(low) * scale, 1), money(-low)))
    return tuple(ticks)
