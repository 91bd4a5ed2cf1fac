"""The page's look ahead in a real Chromium: at risk, survival chart, forecast chart.

Served by a real Fava from tests/data/fava/outlook.beancount (its numbers are
worked by hand in tests/test_cli_forecast.py); the browser set-up is
tests/test_browser.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import Fava, Watched, _drawn_bars, _open, browser, watched

pytestmark = pytest.mark.browser

OUTLOOK = Path(__file__).parent / "data" / "fava" / "outlook.beancount"

__all__ = ["browser", "watched"]  # the fixtures, used by name


@pytest.fixture(scope="module")
def outlook() -> Iterator[Fava]:
    with Fava(OUTLOOK) as fava:
        yield fava


def test_at_risk_survival_and_forecast_are_drawn(
    watched: Watched, outlook: Fava
) -> None:
    page = _open(watched, outlook.page_url())
    at_risk = page.locator("#freelance-at-risk")
    assert at_risk.locator("h3").inner_text() == (
        "On 2021-06-30, one regular client is later than usual."
    )
    assert at_risk.locator("li").inner_text() == (
        "Dubois Immobilier usually brings revenue every 30 days; nothing for 52 days."
    )
    # Above the table.
    assert _top(page, "#freelance-at-risk") < _top(page, "#freelance-table")
    survival = page.locator("#freelance-survival")
    assert survival.is_visible()
    # Two steps (8 and 14 months), a band where some relationship was left.
    assert survival.locator("circle.step").count() == 2
    assert survival.locator("rect.band").count() == 2
    assert survival.locator("line.median").count() == 2
    assert page.locator("#freelance-survival-sentence").inner_text() == (
        "Half of your regular relationships had ended by 14 months "
        "(5 relationships, 2 ended)."
    )
    assert _drawn_bars(page, "#freelance-forecast-chart") >= 12
    rows = page.locator("#freelance-forecast-table tbody tr")
    assert rows.count() == 12
    assert rows.first.get_attribute("data-month") == "2021-07"
    assert watched.errors == []


def test_the_forecast_without_a_client(watched: Watched, outlook: Fava) -> None:
    page = _open(watched, outlook.page_url())
    page.select_option("#freelance-forecast-without", "Bianchi")
    page.locator("#freelance-forecast-submit").click()
    page.wait_for_selector("text=The next twelve months without Bianchi Cycles")
    first = page.locator("#freelance-forecast-table tbody tr").first
    # (300 + 150) x 26/27 = 433.33 recurring, + 175.00 one-off.
    assert "433.33" in first.inner_text()
    assert "608.33" in first.inner_text()
    _drawn_bars(page, "#freelance-forecast-chart")
    assert watched.errors == []


def _top(page: Any, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return float(box["y"])
