"""The Time section in a real Chromium, on the example ledger (its hours are in
example_ledger/time.beancount; the numbers are checked in tests/test_cli_hours.py).

The browser set-up is tests/test_browser.py's.
"""

from __future__ import annotations

import pytest
from test_browser import (
    SCREENSHOTS,
    Fava,
    Watched,
    _open,
    browser,
    example,
    watched,
)

pytestmark = pytest.mark.browser

__all__ = ["browser", "example", "watched"]  # the fixtures, used by name


def test_the_time_section_draws_a_bar_per_client_and_the_median(
    watched: Watched, example: Fava
) -> None:
    page = _open(watched, example.page_url())
    section = page.locator("#freelance-time")
    section.scroll_into_view_if_needed()
    assert section.is_visible()
    rows = section.locator("tbody tr")
    assert rows.count() == 3
    # Dubois earns the most an hour: its bar is the longest, the others shorter.
    dubois = section.locator('tr[data-client="Dubois"] .freelance-rate-bar')
    huet = section.locator('tr[data-client="Huet"] .freelance-rate-bar')
    assert (
        dubois.evaluate("e => e.offsetWidth") > huet.evaluate("e => e.offsetWidth") > 0
    )
    # The median line is drawn in each row, at one place.
    medians = section.locator(".freelance-median")
    assert medians.count() == 3
    lefts = {m.evaluate("e => e.offsetLeft") for m in medians.all()}
    assert len(lefts) == 1
    section.screenshot(path=str(SCREENSHOTS / "time-section.png"))
    assert watched.errors == []


def test_a_client_view_shows_its_hours(watched: Watched, example: Fava) -> None:
    page = _open(watched, example.page_url("?client=Bianchi"))
    section = page.locator("#freelance-client-time")
    assert section.is_visible()
    assert "35.95 EUR" in section.inner_text()
    assert watched.errors == []
