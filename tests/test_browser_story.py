"""The Clients page's story in a real Chromium, in English and in French.

The README's pictures are taken here: into a temporary folder by default, into
docs/img when `SCREENSHOTS=docs/img` (`make screenshots`). A page that breaks
(a console error, a chart not drawn, English left on the French page) fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import (  # the Fava server and browser of the browser tests
    EXAMPLE,
    TIMEOUT_MS,
    Fava,
    Watched,
    _drawn_bars,
    browser,
)
from test_translations import _english_words

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, imported for pytest


@pytest.fixture(scope="module")
def example() -> Iterator[Fava]:
    with Fava(EXAMPLE) as fava:
        yield fava


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    chosen = os.environ.get("SCREENSHOTS")
    return Path(chosen) if chosen else tmp_path


def _watched(browser: Any, locale: str) -> Watched:
    # The browser's language is Fava's choice when the ledger sets none.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=locale
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found = Watched(page)
    page.on("console", lambda m: m.type == "error" and found.errors.append(m.text))
    page.on("pageerror", lambda error: found.errors.append(str(error)))
    return found


def _screenshot(page: Any, path: Path) -> None:
    page.mouse.move(0, 0)
    page.evaluate(
        "() => document.querySelectorAll('#freelance-older-replacements')"
        ".forEach(d => d.open = true)"
    )
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " document.querySelector('article')?.scrollHeight ?? 0)"
    )
    page.set_viewport_size({"width": 1280, "height": int(height) + 80})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("locale", "active_label", "picture"),
    [
        ("en-US", "Active clients", "clients-story.png"),
        ("fr-FR", "Clients actifs", "clients-story-fr.png"),
    ],
)
def test_the_story_is_drawn_in_both_languages(
    browser: Any,
    example: Fava,
    pictures: Path,
    locale: str,
    active_label: str,
    picture: str,
) -> None:
    watched = _watched(browser, locale)
    page = watched.page
    document = page.request.get(example.page_url("report")).json()
    page.goto(example.page_url())
    page.wait_for_selector("#freelance-clients")
    assert _drawn_bars(page, "#freelance-streams") > 0
    # The headline's active clients: the core's count.
    figure = page.locator(".freelance-figure", has_text=active_label)
    assert figure.locator(".freelance-value").inner_text() == str(
        document["totals"]["active_clients"]
    )
    # Every rule of the concentration, the flagged clients as the JSON says.
    assert page.locator("#freelance-flags tbody tr").count() == 4
    flagged = page.locator("#freelance-flags a[data-client]").count()
    assert flagged == len(document["concentration"]["flags"])
    # One chart per replacement of the history, drawn by Fava.
    page.evaluate(
        "() => document.querySelectorAll('#freelance-older-replacements')"
        ".forEach(d => d.open = true)"
    )
    stories = page.locator(".freelance-story")
    assert stories.count() == len(document["replacement_history"])
    page.wait_for_selector(".freelance-story-chart svg polyline", state="attached")
    # Each replacement chart's two lines: colours a reader tells apart.
    strokes = (
        page.locator(".freelance-story-chart")
        .first.locator("svg.freelance-line-chart polyline")
        .evaluate_all("lines => lines.map(l => getComputedStyle(l).stroke)")
    )
    assert len(strokes) == 2 and strokes[0] != strokes[1]
    # The key's colours are the stacked bars' colours.
    key = set(
        page.locator("#freelance-colour-key .swatch").evaluate_all(
            "spans => spans.map(s => s.dataset.colour)"
        )
    )
    fills = set(
        page.locator("#freelance-streams .chart-wrapper svg rect[fill]").evaluate_all(
            "rects => rects.filter(r => Number(r.getAttribute('height')) > 0)"
            ".map(r => r.getAttribute('fill'))"
        )
    )
    assert fills and fills <= key
    if locale.startswith("fr"):
        headings = page.locator(
            "#freelance-clients h2, #freelance-clients h3, #freelance-clients h4,"
            " #freelance-clients th"
        ).all_inner_texts()
        assert sorted({h.strip() for h in headings} & _english_words()) == []
    _screenshot(page, pictures / picture)
    assert watched.errors == []
    page.context.close()


@pytest.fixture(scope="module")
def french_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fava]:
    """The example ledger with Fava's `language` option set to French."""
    folder = tmp_path_factory.mktemp("example-fr")
    copy = folder / "example_ledger"
    shutil.copytree(EXAMPLE.parent, copy)
    main = copy / EXAMPLE.name
    main.write_text(
        main.read_text(encoding="utf-8")
        + '\n1970-01-01 custom "fava-option" "language" "fr"\n',
        encoding="utf-8",
    )
    with Fava(main) as fava:
        yield fava


def test_fava_s_language_option_makes_the_page_french(
    browser: Any, french_example: Fava
) -> None:
    # The browser asks for English: Fava's option wins, as for Fava's own pages.
    watched = _watched(browser, "en-US")
    page = watched.page
    document = page.request.get(french_example.page_url("report")).json()
    page.goto(french_example.page_url())
    page.wait_for_selector("#freelance-clients")
    assert _drawn_bars(page, "#freelance-streams") > 0
    headings = page.locator(
        "#freelance-clients h2, #freelance-clients h3, #freelance-clients h4,"
        " #freelance-clients th"
    ).all_inner_texts()
    assert "Concentration" in headings and "Remplacer les clients perdus" in headings
    assert sorted({h.strip() for h in headings} & _english_words()) == []
    assert page.locator("#freelance-flags tbody tr").count() == 4
    figure = page.locator(".freelance-figure", has_text="Clients actifs")
    assert figure.locator(".freelance-value").inner_text() == str(
        document["totals"]["active_clients"]
    )
    # The JSON is the English document whatever the page's language.
    flags = document["concentration"]["flags"]
    assert {flag["label"] for flag in flags} <= {
        "major client",
        "high dependency",
        "economic dependency",
        "one main client",
    }
    page.wait_for_selector(".freelance-story-chart svg polyline", state="attached")
    assert watched.errors == []
    page.context.close()
