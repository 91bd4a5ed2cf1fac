"""The plan section of the Clients page in a real Chromium: pipeline, targets, ceilings.

Uses the Fava server and browser of tests/test_browser.py (its fixtures).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import Fava, Watched, _document, _open, browser, example, watched

pytestmark = pytest.mark.browser

__all__ = ["browser", "example", "watched"]  # fixtures, used by name

HOSTILE = """
option "title" "Hostile plan"
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin" "{'ceilings': [('<b>bold</b>', 100)]}"
2016-01-01 custom "fava-extension" "beancount_freelance.fava_extension"
2016-01-01 open Assets:Bank
2016-01-01 open Income:Clients:Safe
2016-01-05 * "Safe"
  Assets:Bank  50.00 EUR
  Income:Clients:Safe
2016-01-06 custom "proposal" "<img/src=x/onerror=alert(1)>" 400.00 EUR "monthly"
"""


def test_the_plan_says_the_pipeline_targets_and_ceilings(
    watched: Watched, example: Fava
) -> None:
    page = _open(watched, example.page_url())
    document = _document(page, example)
    section = page.locator("#freelance-plan")
    assert section.is_visible()
    sentences = section.locator("#freelance-pipeline p").all_inner_texts()
    # The example as of 2017-12-31: Lambert 350 x 0.5 + MJC Belleville
    # 600 x 0.8 / 12 = 215 against the 55 still to replace; 5 of 8 won.
    assert sentences == [
        "Your open proposals are worth 215.00 EUR a month, weighted by their "
        "chances: 391 % of the 55.00 EUR a month still to replace.",
        "You win 62 % of your proposals (5 of 8 in two years), after 29 days on "
        "average.",
    ]
    rows = section.locator("#freelance-proposals tbody tr")
    assert rows.count() == len(document["pipeline"]["open"]) == 2
    assert section.locator("#freelance-targets p").all_inner_texts() == [
        "Income:Clients: 27375.74 EUR of the year's target of 28000.00 EUR (98 %); "
        "the year ends this month."
    ]
    ceilings = section.locator("#freelance-ceilings p").all_inner_texts()
    assert [c.split(":")[0] for c in ceilings] == ["Micro BNC", "TVA franchise"]
    # The headline's gap is the document's, computed once in the core.
    headline = page.locator("#freelance-headline").inner_text()
    assert f"{document['open_gap']} EUR / month" in headline
    assert watched.errors == []


def test_the_plan_escapes_what_the_ledger_says(
    watched: Watched, tmp_path: Path
) -> None:
    ledger = tmp_path / "hostile.beancount"
    ledger.write_text(HOSTILE, encoding="utf-8")
    with Fava(ledger) as fava:
        page = _open(watched, fava.page_url())
        section = page.locator("#freelance-plan")
        assert "<img/src=x/onerror=alert(1)>" in section.inner_text()
        assert "<b>bold</b>: 50.00 EUR of 100.00 EUR" in section.inner_text()
        assert section.locator("img, b").count() == 0
        page.wait_for_timeout(300)
    assert watched.dialogs == []
