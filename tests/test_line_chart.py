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
    # 0 at the bottom, 900 (the highest value) at the top, 450 half way.
    assert ys[0] == HEIGHT - BOTTOM and ys[1] == TOP
    assert abs(ys[2] - (TOP + (HEIGHT - BOTTOM - TOP) / 2)) < 0.1


def test_user_text_is_escaped() -> None:
    svg = chart().svg(lambda value: f"{value} <EUR>")
    assert "<Acme>" not in svg and "&lt;Acme&gt;" in svg
    assert "&lt;EUR&gt;" in svg


def test_a_chart_without_values_draws_flat_lines() -> None:
    empty = LineChart("t", ["2015-01"], [Series("s", "series-lost", [D(0)])])
    assert 'points="' in empty.svg(str)
