"""The Clients page's story sections: concentration, the revenue split, the
replacement charts and history, and the key of the client colours.

Numbers come from the typed report, rounded as the document rounds them
(docs/fava.md); this module chooses words (in the request's language,
`beancount_freelance.i18n`), order and the colours Fava's charts will use.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from beancount_freelance.core.money import cents, share
from beancount_freelance.core.revenue.concentration import THRESHOLDS
from beancount_freelance.fava_extension.line_chart import LineChart, Series
from beancount_freelance.i18n import _
from beancount_freelance.text.flags import flag_label, flag_meaning
from beancount_freelance.text.sentences import percent_text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from beancount_freelance.core.revenue.concentration import Concentration
    from beancount_freelance.core.revenue.portfolio import Portfolio
    from beancount_freelance.core.revenue.replacement import Replacement
    from beancount_freelance.fava_extension.panel import PanelEntry


@dataclass(frozen=True)
class FlagRule:
    """One threshold, what it means, and the clients at or above it."""

    label: str
    threshold: str
    meaning: str
    clients: tuple[tuple[str, str, str], ...]  # (id, name, share)


@dataclass(frozen=True)
class StoryEntry:
    """One replacement of the history: heading, sentences and its chart."""

    client: str
    ended: str
    heading: str
    sentences: tuple[str, ...]
    chart: LineChart | None
    in_period: bool


@dataclass(frozen=True)
class KeyItem:
    """One series of the colour key: a client, or the others (`client` empty)."""

    client: str
    name: str
    colour: str
    members: tuple[str, ...] = ()  # the names of the others


def threshold_text(threshold: Fraction) -> str:
    """`10 %`, `25 %`, `75 %`, and `5/6` (83.3 %, said as the rule says it)."""
    percent = threshold * 100
    if percent.denominator == 1:
        return f"{percent.numerator} %"
    return f"{threshold.numerator}/{threshold.denominator}"


def flag_rules(
    concentration: Concentration, names: Mapping[str, str]
) -> tuple[FlagRule, ...]:
    """Every threshold, with the clients the report flags at it."""
    rules = []
    for threshold, label in THRESHOLDS:
        found = [f for f in concentration.flags if f.label == label]
        rules.append(
            FlagRule(
                label=flag_label(label),
                threshold=threshold_text(threshold),
                meaning=flag_meaning(label),
                clients=tuple(
                    (
                        f.client,
                        names.get(f.client, f.client),
                        percent_text(share(f.share)),
                    )
                    for f in found
                ),
            )
        )
    return tuple(rules)


#: The months after a loss its replacement chart shows, at most.
CHART_MONTHS = 120


def replacement_chart(
    replacement: Replacement, currency: str, title: str
) -> LineChart | None:
    """What the sentence measures, month by month since the loss: the level
    the new clients replace (`replaced_monthly` at each month's end, so the
    last point is the sentence's figure) against the lost level, dashed."""
    # Ten years after the loss at most: a loss of the year 1 in a ledger that
    # runs to 9999 would otherwise draw 120,000 months.
    progress = replacement.progress[:CHART_MONTHS]
    if not progress:
        return None
    lost_name, replaced_name = series_names(currency)
    lost = cents(replacement.monthly_lost)
    return LineChart(
        title=title,
        months=[item.month for item in progress],
        series=[
            Series(lost_name, "series-lost", [lost] * len(progress), dashed=True),
            Series(
                replaced_name,
                "series-replaced",
                [cents(item.replaced_monthly) for item in progress],
            ),
        ],
    )


def series_names(currency: str) -> tuple[str, str]:
    """The two series of every replacement chart, in the page's language."""
    return (
        _("lost client, a month ({currency})").format(currency=currency),
        _("replaced by new clients, a month ({currency})").format(currency=currency),
    )


def story_entries(
    portfolio: Portfolio,
    names: Mapping[str, str],
    describe: Callable[[Replacement, str], PanelEntry],
    limit: int | None = None,
) -> tuple[StoryEntry, ...]:
    """The replacements of the history, those of the period first, each newest
    first: the first `limit` of them (None: all), worded and drawn.

    Only the entries shown are worded and drawn: a history of a hundred losses
    would otherwise cost a page of megabytes (paging.py).
    """
    period = {(r.client, r.ended) for r in portfolio.replacements}
    ordered = sorted(
        portfolio.replacement_history,
        key=lambda r: (r.client, r.ended) not in period,
    )
    entries = []
    for replacement in ordered[:limit]:
        worded = describe(
            replacement, names.get(replacement.client, replacement.client)
        )
        entries.append(
            StoryEntry(
                client=replacement.client,
                ended=replacement.ended.isoformat(),
                heading=worded.heading,
                sentences=worded.sentences,
                chart=replacement_chart(
                    replacement, portfolio.currency, worded.heading
                ),
                in_period=(replacement.client, replacement.ended) in period,
            )
        )
    return tuple(entries)


def colour_key(
    accounts: Mapping[str, str],
    names: Mapping[str, str],
    members: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[KeyItem, ...]:
    """Each series' colour in Fava's stacked chart, in the chart's order.

    Fava colours the stacked bars by the sorted account names of the chart,
    `hcl_color_range(count)`: `accounts` are the chart's series (every one of
    them at zero in its first bar), so the key's colours are the bars'.
    `members`: the clients a series groups, by its key.
    """
    ordered = sorted(accounts.items(), key=lambda item: item[1])
    colours = hcl_colours(len(ordered))
    grouped = members or {}
    return tuple(
        KeyItem(client, names.get(client, client), colour, grouped.get(client, ()))
        for (client, _account), colour in zip(ordered, colours, strict=True)
    )


def hcl_colours(count: int, chroma: float = 45, luminance: float = 70) -> list[str]:
    """Fava's `hcl_color_range`: `count` hues 360/count apart from 270 degrees."""
    if count == 0:
        return []
    delta = 360 / count
    return [
        _hcl_to_rgb((index * delta + 270) % 360, chroma, luminance)
        for index in range(count)
    ]


def _hcl_to_rgb(hue: float, chroma: float, luminance: float) -> str:
    """d3-color's hcl(...).toString(): through CIELAB (D50) to sRGB."""
    radians = math.radians(hue)
    a, b = math.cos(radians) * chroma, math.sin(radians) * chroma
    y = (luminance + 16) / 116
    x = 0.96422 * _lab_to_xyz(y + a / 500)
    z = 0.82521 * _lab_to_xyz(y - b / 200)
    y = _lab_to_xyz(y)
    red = _to_rgb(3.1338561 * x - 1.6168667 * y - 0.4906146 * z)
    green = _to_rgb(-0.9787684 * x + 1.9161415 * y + 0.0334540 * z)
    blue = _to_rgb(0.0719453 * x - 0.2289914 * y + 1.4052427 * z)
    return f"rgb({red}, {green}, {blue})"


def _lab_to_xyz(t: float) -> float:
    t0, t1 = 4 / 29, 6 / 29
    return t * t * t if t > t1 else 3 * t1 * t1 * (t - t0)


def _to_rgb(linear: float) -> int:
    value = (
        12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
    )
    # JavaScript's Math.round: halves up.
    return max(0, min(255, math.floor(255 * value + 0.5)))


def _month_end(month: str) -> datetime.date:
    year, number = (int(part) for part in month.split("-"))
    return datetime.date(year, number, 15)
