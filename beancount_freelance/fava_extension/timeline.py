"""The relationship timeline: where to draw each client's row.

One row per client, from its first revenue to its end (the loss, its last
revenue when dormant, else the `as_of` date), broken where the client was lost
and came back; losses and returns are marked. This module only places things on
the page (pixels from dates); the template draws the SVG, so that every string
from the ledger goes through Jinja's escaping.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_
from beancount_freelance.fava_extension.page import iso, status_text
from beancount_freelance.i18n import _

if TYPE_CHECKING:
    from collections.abc import Sequence

    from beancount_freelance.core.revenue.portfolio import ClientStream

WIDTH = 960
LABEL_WIDTH = 220
RIGHT_MARGIN = 16
ROW_HEIGHT = 24
TOP = 24
BOTTOM = 8
MIN_TICK_GAP = 72
_EPOCH = datetime.date(2000, 1, 1)

#: The months as the first tick says them (`%b` would follow the C locale).
MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)

#: Status → what the legend calls it, in the order the legend shows.
STATUSES = (
    ("active", "active"),
    ("dormant", "dormant"),
    ("lost", "lost"),
    ("prospect", "prospect (no revenue yet)"),
)


@dataclass(frozen=True)
class Span:
    """A stretch of a relationship, in pixels."""

    x: float
    width: float


@dataclass(frozen=True)
class Marker:
    """A loss (`lost`) or a return (`back`) on a client's row."""

    x: float
    kind: str
    title: str


@dataclass(frozen=True)
class Row:
    """One client's row."""

    client: str
    label: str
    status: str
    y: float
    spans: tuple[Span, ...]
    markers: tuple[Marker, ...]
    title: str


@dataclass(frozen=True)
class TimeTick:
    """A year on the time axis."""

    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    """Everything the template needs to draw the timeline."""

    width: int
    height: int
    label_width: int
    rows: tuple[Row, ...]
    ticks: tuple[TimeTick, ...]
    period: Span | None
    legend: tuple[tuple[str, str], ...] = STATUSES


class _TimeScale:
    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        self.first = first
        self.days = max((last - first).days, 1)
        self.plot_width = WIDTH - LABEL_WIDTH - RIGHT_MARGIN

    def x(self, day: datetime.date) -> float:
        offset = min(max((day - self.first).days, 0), self.days)
        return round(LABEL_WIDTH + self.plot_width * offset / self.days, 1)


def build_timeline(
    clients: Sequence[ClientStream],
    as_of: datetime.date,
    period: tuple[datetime.date | None, datetime.date | None],
) -> Timeline:
    """Place every client on the timeline, up to `as_of`."""
    starts = [c.start for c in clients if c.start is not None]
    first = min(starts, default=as_of)
    first = datetime.date(first.year, first.month, 1)
    scale = _TimeScale(first, as_of)
    rows = tuple(
        _row(client, scale, as_of, TOP + i * ROW_HEIGHT)
        for i, client in enumerate(clients)
    )
    return Timeline(
        width=WIDTH,
        height=TOP + ROW_HEIGHT * max(len(rows), 1) + BOTTOM,
        label_width=LABEL_WIDTH,
        rows=rows,
        ticks=_ticks(scale, first, as_of),
        period=_period_span(period, scale, first, as_of),
    )


def _ticks(
    scale: _TimeScale, first: datetime.date, as_of: datetime.date
) -> tuple[TimeTick, ...]:
    """Each new year; the first month too when it leaves room for its label."""
    step = _year_step(as_of.year - first.year)
    years = [
        TimeTick(scale.x(datetime.date(year, 1, 1)), str(year))
        for year in range(first.year + 1, as_of.year + 1)
        if year % step == 0
    ]
    month = _(MONTHS[first.month - 1])
    start = TimeTick(scale.x(first), f"{month} {first.year}")
    if first.month == 1:
        start = TimeTick(start.x, str(first.year))
    if not years or years[0].x - start.x >= MIN_TICK_GAP:
        years.insert(0, start)
    return tuple(years)


def _year_step(years: int) -> int:
    """Every year, or every 2, 5, 10, 20, 50… years when there are too many.

    A ledger from 2014 to 9999 would otherwise draw 8,000 ticks.
    """
    most = 2 * (WIDTH - LABEL_WIDTH - RIGHT_MARGIN) // MIN_TICK_GAP
    step = 1
    while years // step > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def _period_span(
    period: tuple[datetime.date | None, datetime.date | None],
    scale: _TimeScale,
    first: datetime.date,
    as_of: datetime.date,
) -> Span | None:
    start, end = period
    if start is None and end is None:
        return None
    left = scale.x(start or first)
    right = scale.x(end or as_of)
    return Span(left, round(max(right - left, 1.0), 1))


def _row(
    client: ClientStream, scale: _TimeScale, as_of: datetime.date, y: float
) -> Row:
    status = client.status
    label = client.name or client.id
    spans: list[Span] = []
    markers: list[Marker] = []
    if client.start is not None:
        begin: datetime.date | None = client.start
        for event in client.events:
            day = event.date
            if day > as_of:
                continue
            note = f": {event.note}" if event.note else ""
            kind = "lost" if event.kind == "lost" else "back"
            said = (
                _("lost on {date}{note}")
                if kind == "lost"
                else _("back on {date}{note}")
            )
            markers.append(Marker(scale.x(day), kind, said.format(date=day, note=note)))
            if kind == "lost":
                if begin is not None:
                    spans.append(_span(scale, begin, day))
                begin = None
            else:
                begin = day
        end = client.end or as_of
        if begin is not None and status != "lost":
            spans.append(_span(scale, begin, max(end, begin)))
    until = iso(client.end) or _("now")
    since = iso(client.start) or _("no revenue yet")
    title = f"{label} ({client.id}): {status_text(status)}, {since} → {until}"
    return Row(
        client=client.id,
        label=label,
        status=status,
        y=y,
        spans=tuple(spans),
        markers=tuple(markers),
        title=title,
    )


def _span(scale: _TimeScale, begin: datetime.date, end: datetime.date) -> Span:
    left = scale.x(begin)
    return Span(left, round(max(scale.x(end) - left, 3.0), 1))
