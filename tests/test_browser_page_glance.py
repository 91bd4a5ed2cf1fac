"""The Clients page at a glance, in a real Chromium: a long page a reader finds
her way in, charts whose series a reader tells apart, tables that fit.

At 1280 and 1400 pixels, in English and in French, in Fava's light and dark
themes, on the example ledger: the row of links at the top names every section
the page draws and a click scrolls to it without leaving the page; every
chart's neighbouring series have different colours; no formatting leftover
('%%', '%(') is left in the text; no table is wider than its box and the page
does not scroll sideways. A second ledger (three clients, no hours) is checked
at 1280 pixels and, narrow, at 800. Each section is saved as a picture in a temporary
folder (printed with -s); `make screenshots` (SCREENSHOTS=docs/img) keeps the
navigation, the streams and the clients table in docs/img.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from test_browser import (  # the Fava server and browser of the browser tests
    CLIENTS,
    EXAMPLE,
    TIMEOUT_MS,
    Fava,
    browser,
)

from beancount_freelance.fava_extension.navigation import CLIENT_SECTIONS

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, imported for pytest

#: Every section's picture, for a person to look at after a run.
PICTURES = Path(tempfile.mkdtemp(prefix="freelance-glance-"))
#: The pictures `make screenshots` keeps for the docs: (section, language, theme).
KEPT = {
    ("freelance-nav", "en", "light"),
    ("freelance-streams", "en", "light"),
    ("freelance-table-section", "en", "light"),
    ("freelance-table-section", "fr", "light"),
    ("freelance-streams", "en", "dark"),
}
LOCALES = {"en": "en-US", "fr": "fr-FR"}

# The stacks of Fava's bar charts: one <a> per series, in the stacking order.
STACK_FILLS = """(chart) => [...chart.querySelectorAll('g.stacks > a')].map(
  a => a.querySelector('rect')?.getAttribute('fill'))"""
# Every table of the page against the box it sits in.
TABLE_WIDTHS = """() => [...document.querySelectorAll('#freelance-clients table')]
  .filter(t => t.offsetParent !== null)
  .map(t => [t.id || t.className, Math.ceil(t.getBoundingClientRect().width),
             t.parentElement.clientWidth])"""
SIDEWAYS = """() => {
  const article = document.querySelector('article');
  return [article.scrollWidth - article.clientWidth,
          document.documentElement.scrollWidth - document.documentElement.clientWidth];
}"""


@pytest.fixture(scope="module")
def example() -> Iterator[Fava]:
    # One Fava for both languages: the browser's language chooses the page's.
    with Fava(EXAMPLE) as fava:
        yield fava


@dataclass
class Reader:
    """One browser page in one language, reused by the tests, and its errors."""

    language: str
    page: Any
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module", params=["en", "fr"])
def reader(request: Any, browser: Any) -> Iterator[Reader]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=LOCALES[request.param]
    )
    found = Reader(request.param, context.new_page())
    found.page.set_default_timeout(TIMEOUT_MS)
    found.page.on("pageerror", lambda error: found.errors.append(str(error)))
    yield found
    context.close()


def _open(reader: Reader, url: str, width: int, scheme: str) -> Any:
    page = reader.page
    reader.errors.clear()
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(url)
    page.wait_for_selector("#freelance-clients")
    page.evaluate("() => window.freelanceLoaded = true")
    return page


def _whole_page_in_view(page: Any) -> None:
    """Grow the window to the page: Fava scrolls its <article>, and a picture of
    a section taller than the window would be taken from the wrong place."""
    page.mouse.move(0, 0)
    height = page.evaluate("() => document.querySelector('article').scrollHeight")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": int(height) + 120})
    page.wait_for_timeout(300)  # Fava's charts redraw at the new size


def _save(
    page: Any, section: str, language: str, scheme: str, width: int, view: str = ""
) -> None:
    shown = f"{view}{section.removeprefix('freelance-')}"
    name = f"{shown}-{language}-{scheme}-{width}.png"
    locator = page.locator(f"#{section}")
    locator.screenshot(path=str(PICTURES / name), animations="disabled")
    chosen = os.environ.get("SCREENSHOTS")
    if chosen and not view and width == 1280 and (section, language, scheme) in KEPT:
        kept = f"glance-{section.removeprefix('freelance-')}-{language}"
        suffix = "-dark" if scheme == "dark" else ""
        locator.screenshot(path=str(Path(chosen) / f"{kept}{suffix}.png"))


def _scrolls_to(page: Any, anchor: str) -> None:
    """Click the row's link to `anchor`: the section comes to the top, in place."""
    page.locator(f"#freelance-nav a[href='#{anchor}']").click()
    page.wait_for_function(
        """(id) => {
          const article = document.querySelector('article');
          const top = document.getElementById(id).getBoundingClientRect().top
            - article.getBoundingClientRect().top;
          const bottom = article.scrollTop + article.clientHeight
            >= article.scrollHeight - 2;
          return Math.abs(top) < 40 || (top > 0 && bottom);
        }""",
        arg=anchor,
    )
    # The same document: Fava's router left the hash link to the browser.
    assert page.evaluate("() => window.freelanceLoaded") is True
    assert page.evaluate("() => location.hash") == f"#{anchor}"


def _reads_well(page: Any) -> None:
    """No leftover of formatting, no table too wide, no sideways scrolling."""
    text = page.locator("#freelance-clients").inner_text()
    for leftover in ("%%", "%(", "%s"):
        assert leftover not in text
    too_wide = [
        (name, width, box)
        for name, width, box in page.evaluate(TABLE_WIDTHS)
        if width > box + 1
    ]
    assert too_wide == []
    assert page.evaluate(SIDEWAYS) == [0, 0]


def _differ(colours: list[str]) -> bool:
    """Neighbouring series have different colours, and there are some."""
    return bool(colours) and all(a != b for a, b in pairwise(colours))


def _charts_tell_series_apart(page: Any) -> None:
    streams = page.locator("#freelance-streams .chart-wrapper svg").first
    streams.locator("g.stacks rect").first.wait_for(state="attached")
    fills = streams.evaluate(STACK_FILLS)
    # The top clients and the others: few enough series to tell apart.
    assert _differ(fills) and len(set(fills)) == len(fills) <= 9
    key = page.locator("#freelance-colour-key .swatch").evaluate_all(
        "spans => spans.map(s => s.dataset.colour)"
    )
    assert set(fills) <= set(key) and len(key) <= 9
    for chart in page.locator("svg.freelance-line-chart").all():
        strokes = chart.locator("polyline").evaluate_all(
            "lines => lines.map(l => getComputedStyle(l).stroke)"
        )
        assert len(strokes) == 2 and _differ(strokes)
    movements = page.locator("#freelance-movements rect[data-kind]").evaluate_all(
        "rects => rects.map(r => [r.dataset.kind, getComputedStyle(r).fill])"
    )
    by_kind = dict(map(tuple, movements))
    assert len(set(by_kind.values())) == len(by_kind) > 1
    forecast = page.locator("#freelance-forecast-chart .chart-wrapper svg").first
    forecast.locator("g.stacks rect").first.wait_for(state="attached")
    assert _differ(forecast.evaluate(STACK_FILLS))
    if page.locator("#freelance-time").count():
        bars = page.locator("#freelance-time tbody tr").first.evaluate(
            "row => ['.freelance-rate-bar', '.freelance-hours-bar.worked',"
            " '.freelance-hours-bar.billed'].map(s =>"
            " getComputedStyle(row.querySelector(s)).backgroundColor)"
        )
        assert len(set(bars)) == 3


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 1400])
def test_the_page_reads_at_a_glance(
    reader: Reader, example: Fava, width: int, scheme: str
) -> None:
    page = _open(reader, example.page_url(), width, scheme)
    anchors = page.locator("#freelance-nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').slice(1))"
    )
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('#freelance-clients > section[id]')]"
        ".map(s => s.id)"
    )
    # Every section the page draws, in its order; Time: the example has hours.
    assert anchors == drawn and "freelance-time" in anchors
    # Far down the page and back up: each a click on the row, in place.
    every = width == 1280 and scheme == "light"
    for anchor in anchors if every else anchors[-3:]:
        _scrolls_to(page, anchor)
    page.evaluate("() => document.querySelector('article').scrollTo(0, 0)")
    _charts_tell_series_apart(page)
    _reads_well(page)
    page.evaluate(
        "() => document.querySelectorAll('#freelance-older-replacements')"
        ".forEach(d => d.open = true)"
    )
    _whole_page_in_view(page)
    for section in ["freelance-nav", *anchors]:
        _save(page, section, reader.language, scheme, width)
    assert reader.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("client", ["Bianchi", "Lefevre"])
def test_a_client_view_reads_at_a_glance(
    reader: Reader, example: Fava, client: str, scheme: str
) -> None:
    page = _open(reader, example.page_url(f"?client={client}"), 1280, scheme)
    page.wait_for_selector("#freelance-client-view")
    anchors = page.locator("#freelance-nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').slice(1))"
    )
    drawn = [
        anchor
        for anchor, _name in CLIENT_SECTIONS
        if page.locator(f"#{anchor}").count()
    ]
    assert anchors == drawn
    # The revenue, the events, the transactions and the invoices always are.
    assert {
        "freelance-client-revenue",
        "freelance-client-events",
        "freelance-client-invoices",
        "freelance-client-receivables",
    } <= set(anchors)
    for anchor in reversed(anchors):
        _scrolls_to(page, anchor)
    _reads_well(page)
    _whole_page_in_view(page)
    for section in ["freelance-nav", *anchors]:
        _save(page, section, reader.language, scheme, 1280, f"{client}-")
    assert reader.errors == []


@pytest.fixture(scope="module")
def held_out() -> Iterator[Fava]:
    """Three clients, no hours: another ledger than the one the page was made on."""
    with Fava(CLIENTS) as fava:
        yield fava


@pytest.mark.parametrize("width", [1280, 800])
def test_another_ledger_reads_at_a_glance(
    reader: Reader, held_out: Fava, width: int
) -> None:
    page = _open(reader, held_out.page_url(), width, "light")
    anchors = page.locator("#freelance-nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').slice(1))"
    )
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('#freelance-clients > section[id]')]"
        ".map(s => s.id)"
    )
    assert anchors == drawn and "freelance-time" not in anchors  # no hours
    _scrolls_to(page, anchors[-1])
    # Three clients: each stacked on its own, nobody grouped.
    assert page.locator("#freelance-streams-others").count() == 0
    if width == 1280:
        _reads_well(page)
    else:
        # Narrow: the page still never scrolls sideways; a wide table scrolls
        # inside its own box, and no box is wider than the page.
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('#freelance-clients table')]"
            ".map(t => t.parentElement.getBoundingClientRect().right"
            " - document.querySelector('article').getBoundingClientRect().right)"
        )
        assert max(boxes) <= 1
        assert page.evaluate(SIDEWAYS) == [0, 0]
    assert reader.errors == []
