"""The inline line chart: every series keyed, in its own class, on one scale."""

from __future__ import annotations

import re
from decimal import Decimal

from beancount_freelance.fava_extension.line_chart import (
    BOTTOM,
    HEIGHT,
    TOP,
    LineChart,
    Series,
    nice_top,
)

D = Decimal


def chart() -> LineChart:
    return LineChart(
        title="Replacing <Acme>",
        months=["2015-09", "2015-10", "2015-11", "2015-12"],
        series=[
            Series("lost client, a month", "series-lost", [D(600)] * 4, dashed=True),
            Series(
                "replaced, a month", "series-replaced", [D(0), D(900), D(450), D(300)]
            ),
        ],
    )


def test_each_series_is_a_line_of_its_own_class_and_in_the_key() -> None:
    svg = chart().svg(str)
    key = chart().key()
    assert re.findall(r'<polyline class="([^"]+)"', svg) == [
        "series-lost",
        "series-replaced",
    ]
    assert "lost client, a month" in key and "replaced, a month" in key
    assert key.count('stroke-dasharray="6 4"') == 1  # the reference line only


def test_points_share_one_scale_from_zero_to_the_highest_value() -> None:
    svg = chart().svg(str)
    replaced = re.search(r'class="series-replaced"[^>]*points="([^"]+)"', svg)
    assert replaced is not None
    ys = [float(point.split(",")[1]) for point in replaced.group(1).split()]
    # The highest value, 900, rounds the axis up to 1000 in four steps of 250:
    # 0 at the bottom, 900 nine tenths up, 450 at 45 %.
    height = HEIGHT - BOTTOM - TOP
    assert ys[0] == HEIGHT - BOTTOM
    assert abs(ys[1] - (HEIGHT - BOTTOM - 0.9 * height)) < 0.1
    assert abs(ys[2] - (HEIGHT - BOTTOM - 0.45 * height)) < 0.1
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert ticks[:5] == ["0", "250", "500", "750", "1000"]


def test_the_axis_rounds_up_to_round_steps() -> None:
    # Each of four steps 1, 2, 2.5 or 5 times a power of ten, never below the top.
    assert nice_top(D("3360.98")) == D(4000)  # 840.2 a step -> 1000
    assert nice_top(D("288.33")) == D(400)  # 72.1 -> 100
    assert nice_top(D("800")) == D(800)  # 200 a step already
    assert nice_top(D("1580")) == D(2000)  # 395 -> 500
    assert nice_top(D(0)) == D(0)


def test_the_last_month_ends_at_the_edge_and_no_label_crowds_it() -> None:
    months = [f"2016-{m:02d}" for m in range(1, 13)] + ["2017-01"]
    flat = LineChart("t", months, [Series("s", "series-lost", [D(1)] * 13)])
    labels = re.findall(r'text-anchor="(\w+)">(\d{4}-\d{2})</text>', flat.svg(str))
    # 13 months, a label every 3: Jan, Apr, Jul, Oct, and the last, right-aligned.
    assert labels == [
        ("middle", "2016-01"),
        ("middle", "2016-04"),
        ("middle", "2016-07"),
        ("middle", "2016-10"),
        ("end", "2017-01"),
    ]


def test_user_text_is_escaped() -> None:
    svg = chart().svg(lambda value: f"{value} <EUR>")
    assert "<Acme>" not in svg and "&lt;Acme&gt;" in svg
    assert "&lt;EUR&gt;" in svg


def test_a_chart_without_values_draws_flat_lines() -> None:
    empty = LineChart("t", ["2015-01"], [Series("s", "series-lost", [D(0)])])
    assert 'points="' in empty.svg(str)
