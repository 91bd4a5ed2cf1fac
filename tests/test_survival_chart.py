"""The survival step chart's geometry: inside its box, steps down, bands around."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from typed_values import stream

from beancount_freelance.core.ahead.survival import Relationship, kaplan_meier
from beancount_freelance.fava_extension.survival_chart import (
    BOTTOM,
    HEIGHT,
    LEFT,
    RIGHT,
    TOP,
    WIDTH,
    survival_chart,
)

samples = st.lists(
    st.builds(Relationship, st.just("c"), st.integers(0, 120), st.booleans()),
    max_size=25,
)


def test_the_six_relationships_of_test_survival() -> None:
    sample = [
        Relationship("A", 3, True),
        Relationship("D", 3, True),
        Relationship("E", 4, False),
        Relationship("B", 6, True),
        Relationship("F", 9, True),
        Relationship("C", 11, False),
    ]
    clients = [
        stream(id=item.client, recurring=True, tenure_months=item.months)
        for item in sample
    ]
    chart = survival_chart(kaplan_meier(sample), clients)
    assert chart is not None
    # 11 months over 640 - 48 - 16 = 576 pixels; 200 pixels from 100 % to 0 %.
    # Steps at 3, 6 and 9 months: x = 48 + 576 x 3/11 = 205.1, 362.2, 519.3;
    # levels 2/3, 4/9, 2/9 (4 decimals): y = 12 + 200 x (1 - S).
    assert [(p.x, p.y) for p in chart.points] == [
        (205.1, 78.7),
        (362.2, 123.1),
        (519.3, 167.6),
    ]
    assert chart.path == ("M48.0 12.0 H205.1 V78.7 H362.2 V123.1 H519.3 V167.6 H624.0")
    assert chart.median_x == 362.2  # 6 months
    assert len(chart.bands) == 3


def test_nothing_to_draw_without_a_step() -> None:
    empty = kaplan_meier([Relationship("A", 5, False)])
    assert survival_chart(empty, []) is None


@settings(max_examples=150, derandomize=True, deadline=None)
@given(samples)
def test_the_chart_stays_in_its_box_and_never_rises(
    sample: list[Relationship],
) -> None:
    clients = [
        stream(id=str(i), recurring=True, tenure_months=item.months)
        for i, item in enumerate(sample)
    ]
    chart = survival_chart(kaplan_meier(sample), clients)
    if chart is None:
        assert not any(item.ended for item in sample)
        return
    numbers = [float(n) for n in re.findall(r"[\d.]+", chart.path)]
    assert numbers[:2] == [LEFT, TOP]  # 100 % at month 0
    assert all(
        LEFT <= n <= WIDTH - RIGHT or TOP <= n <= HEIGHT - BOTTOM for n in numbers
    )
    assert all(LEFT <= x <= WIDTH - RIGHT for x in [p.x for p in chart.points])
    assert all(TOP <= y <= HEIGHT - BOTTOM for y in [p.y for p in chart.points])
    assert [p.y for p in chart.points] == sorted(p.y for p in chart.points)
    for band in chart.bands:
        assert band.y >= TOP
        assert band.y + band.height <= HEIGHT - BOTTOM + 0.11  # rounding
        assert band.height >= 0 and band.width > 0
