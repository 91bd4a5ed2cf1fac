"""The movements section in a real Chromium: the bars, their colours, the legend.

Served by a real Fava from tests/test_movements.py's ledger (its numbers are
worked by hand there); the browser set-up is tests/test_browser.py's. Each
movement keeps its colour, every colour stands out from Fava's background in
its light and its dark theme, and every series drawn is keyed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import Fava, Watched, _open, _screenshot, browser, watched
from test_fava_movements import FAVA_LINES
from test_movements import LEDGER

pytestmark = pytest.mark.browser

__all__ = ["browser", "watched"]  # the fixtures, used by name

KINDS = ["new", "returned", "expansion", "contraction", "lost", "adjustment"]
# Which colours the rectangles and the page's background have, as the browser
# computed them.
COLOURS = """() => {
  const fills = {};
  for (const rect of document.querySelectorAll('#freelance-movements rect')) {
    const kind = rect.dataset.kind;
    const fill = getComputedStyle(rect).fill;
    (fills[kind] = fills[kind] || new Set()).add(fill);
  }
  const keys = {};
  for (const item of document.querySelectorAll('#freelance-movements-key li')) {
    keys[item.dataset.kind] = getComputedStyle(item.querySelector('.swatch'))
      .backgroundColor;
  }
  const background = getComputedStyle(document.body)
    .getPropertyValue('--background').trim();
  return {
    fills: Object.fromEntries(
      Object.entries(fills).map(([kind, set]) => [kind, [...set]])),
    keys, background,
  };
}"""


@pytest.fixture(scope="module")
def fava(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fava]:
    path = Path(tmp_path_factory.mktemp("movements")) / "ledger.beancount"
    path.write_text(FAVA_LINES + LEDGER, encoding="utf-8")
    with Fava(path) as served:
        yield served


def _rgb(text: str) -> tuple[int, int, int]:
    if text.startswith("#"):
        digits = text.lstrip("#")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    red, green, blue = (int(n) for n in re.findall(r"\d+", text)[:3])
    return red, green, blue


def _luminance(colour: tuple[int, int, int]) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_movement_has_one_colour_that_stands_out(
    watched: Watched, fava: Fava, scheme: str
) -> None:
    watched.page.emulate_media(color_scheme=scheme)
    page = _open(watched, fava.page_url("?time=2016-01-01+-+2016-10-15"))
    section = page.locator("#freelance-movements-section")
    section.scroll_into_view_if_needed()
    assert section.locator("#freelance-movements").is_visible()
    found = page.evaluate(COLOURS)
    fills = found["fills"]
    assert sorted(fills) == sorted(KINDS)  # every movement of the ledger drawn
    assert all(len(colours) == 1 for colours in fills.values())  # one each
    assert found["keys"].keys() == set(KINDS)
    keyed = {kind: _rgb(colour) for kind, colour in found["keys"].items()}
    assert {kind: _rgb(colours[0]) for kind, colours in fills.items()} == keyed
    assert len(set(keyed.values())) == len(KINDS)
    background = _rgb(found["background"])
    assert (scheme == "dark") == (_luminance(background) < 0.1)
    for kind, colour in keyed.items():
        assert _contrast(colour, background) >= 3, (kind, scheme)
    assert section.locator("svg a").count() == 0
    lost = section.locator("rect[data-kind=lost]").last
    assert lost.locator("title").text_content() == (
        "2016-Q3 · Lost: -2400 EUR (Acme, Dune)"
    )
    _screenshot(page, f"movements-{scheme}.png")
    assert watched.errors == []
