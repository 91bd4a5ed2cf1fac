"""The Clients page in a real Chromium (Playwright), served by a real Fava.

Fava runs in a thread on 127.0.0.1 with a free port; Debian's Chromium runs
headless. Without Chromium these tests are skipped with the reason, except under
CI (`CI=true`), where a missing browser is a failure. The example ledger's page
is saved as clients-page.png, client-view.png and client-invoices.png in a
temporary folder, or in docs/img with `SCREENSHOTS=docs/img` (`make
screenshots`): a test run never changes the repository.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from fava.application import create_app
from fava.util import slugify
from werkzeug.serving import make_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "example_ledger" / "main.beancount"
CLIENTS = Path(__file__).parent / "data" / "fava" / "clients.beancount"
XSS = Path(__file__).parent / "data" / "fava" / "xss.beancount"
# Where the pictures go: a temporary folder unless `SCREENSHOTS` names one.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOTS") or tempfile.mkdtemp(prefix="freelance-pictures-")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 20_000


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        reason = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    return path


@dataclass
class Fava:
    """A Fava server in a thread, serving one ledger."""

    ledger: Path
    base: str = ""
    _server: Any = None
    _thread: threading.Thread | None = None

    def __enter__(self) -> Fava:
        app = create_app([str(self.ledger)], load=True)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        _, _, options = loader.load_file(str(self.ledger))
        slug = slugify(options["title"])
        self.base = f"http://127.0.0.1:{self._server.server_port}/{slug}"
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def page_url(self, query: str = "") -> str:
        return f"{self.base}/extension/FreelanceClients/{query}"


@dataclass
class Watched:
    """A browser page, with the console errors and dialogs it produced."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    found = Watched(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            found.errors.append(message.text)

    def on_dialog(dialog: Any) -> None:
        found.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.errors.append(str(error)))
    page.on("dialog", on_dialog)
    yield found
    context.close()


@pytest.fixture(scope="module")
def example() -> Iterator[Fava]:
    ledger = EXAMPLE if EXAMPLE.exists() else CLIENTS
    with Fava(ledger) as fava:
        yield fava


def _open(watched: Watched, url: str) -> Any:
    page = watched.page
    page.goto(url)
    page.wait_for_selector("#freelance-clients")
    return page


def _drawn_bars(page: Any, section: str) -> int:
    """The chart's bars with a height: the bars Fava drew for some revenue."""
    bars = f"{section} .chart-wrapper svg rect[fill]"
    page.wait_for_selector(bars, state="attached")
    return int(
        page.locator(bars).evaluate_all(
            "rects => rects.filter(r => Number(r.getAttribute('height')) > 0).length"
        )
    )


def _screenshot(page: Any, name: str) -> None:
    """Save the whole page: Fava scrolls its <article>, so grow the viewport."""
    page.mouse.move(0, 0)
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " document.querySelector('article')?.scrollHeight ?? 0)"
    )
    page.set_viewport_size({"width": 1280, "height": int(height) + 80})
    page.wait_for_timeout(300)  # let the charts redraw at the new size
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a drawn page, not a blank one


def _document(page: Any, fava: Fava) -> Any:
    return page.request.get(fava.page_url("report")).json()


def test_page_loads_and_draws_every_part(watched: Watched, example: Fava) -> None:
    page = _open(watched, example.page_url())
    assert _drawn_bars(page, "#freelance-streams") > 0
    document = _document(page, example)
    rows = page.locator("#freelance-timeline g.timeline-row")
    assert rows.count() == len(document["clients"])
    assert page.locator("#freelance-table tbody tr").count() == len(document["clients"])
    assert page.locator("#freelance-headline .freelance-figure").count() == 7
    receivables = page.locator("#freelance-receivables")
    assert receivables.is_visible()
    overdue = receivables.locator("#freelance-overdue tbody tr")
    assert overdue.count() == len(document["overdue_invoices"])
    invoiced = [c for c in document["clients"] if c["receivables"]["invoices"]]
    per_client = receivables.locator("#freelance-receivables-table tbody tr")
    assert per_client.count() == len(invoiced)
    _screenshot(page, "clients-page.png")
    assert watched.errors == []


def test_time_filter_and_interval_change_the_chart(
    watched: Watched, example: Fava
) -> None:
    document = _document(watched.page, example)
    year = document["as_of"][:4]
    page = _open(watched, example.page_url(f"?time={year}&interval=quarter"))
    _drawn_bars(page, "#freelance-streams")
    groups = page.locator("#freelance-streams .chart-wrapper svg g.group")
    assert groups.count() == 4
    assert page.locator("#freelance-timeline rect.period").count() == 1
    assert watched.errors == []


def test_fava_navigation_and_time_filter_reach_the_page(
    watched: Watched, example: Fava
) -> None:
    page = watched.page
    page.goto(f"{example.base}/income_statement/")
    page.locator("aside a", has_text="Clients").click()
    page.wait_for_selector("#freelance-clients")
    # The year before the last: its as-of date differs from the ledger's last entry.
    year = str(int(_document(page, example)["as_of"][:4]) - 1)
    time_input = page.locator("header input").first
    time_input.fill(year)
    time_input.press("Enter")
    page.wait_for_selector("#freelance-timeline rect.period")
    assert f"time={year}" in page.url
    select = page.locator("#freelance-what-if")
    values = select.locator("option").evaluate_all(
        "options => options.map(o => o.value).filter(v => v)"
    )
    select.select_option(values[0])
    page.locator("#freelance-what-if-result h4").wait_for()
    heading = page.locator("#freelance-what-if-result h4").inner_text()
    assert heading.endswith(f"left on {year}-12-31")
    assert watched.errors == []


def test_sorting_a_column_reorders_the_table(watched: Watched, example: Fava) -> None:
    page = _open(watched, example.page_url())
    table = page.locator("#freelance-table")

    # Tenure: the table's last column (its key columns come first).
    def tenure_order() -> list[int]:
        values = table.locator("tbody tr td:last-child").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-sort-value'))"
        )
        return [int(value) for value in values]

    before = tenure_order()
    header = table.locator("th", has_text="Tenure")
    header.click()
    ascending = tenure_order()
    assert ascending == sorted(before)
    header.click()
    assert tenure_order() == sorted(before, reverse=True)
    table.locator("th", has_text="Client").click()
    names = table.locator("tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.casefold) or len(set(names)) < len(names)
    assert watched.errors == []


def test_what_if_selector_updates_the_panel(watched: Watched, example: Fava) -> None:
    page = _open(watched, example.page_url())
    select = page.locator("#freelance-what-if")
    values = select.locator("option").evaluate_all(
        "options => options.map(o => o.value).filter(v => v)"
    )
    assert values, "the example ledger has active clients"
    result = page.locator("#freelance-what-if-result")
    select.select_option(values[0])
    result.locator("h4").wait_for()
    assert result.locator("h4").inner_text().startswith("If ")
    assert result.locator("p").count() >= 2
    first_heading = result.locator("h4").inner_text()
    if len(values) > 1:
        select.select_option(values[1])
        page.wait_for_function(
            "([el, old]) => el.querySelector('h4')?.textContent !== old",
            arg=[result.element_handle(), first_heading],
        )
    assert watched.errors == []


def test_client_view_opens_from_the_table(watched: Watched, example: Fava) -> None:
    page = _open(watched, example.page_url())
    # A lost client shows the most: its loss, and what it would take to replace.
    lost = page.locator("#freelance-table tbody tr:has(.status-lost)")
    rows = lost if lost.count() else page.locator("#freelance-table tbody tr")
    first = rows.first
    client_id = first.get_attribute("data-client")
    name = first.locator("td a").inner_text()
    first.locator("td a").click()
    page.wait_for_selector("#freelance-client-view")
    assert page.locator("#freelance-client-view").get_attribute("data-client") == (
        client_id
    )
    assert name in page.locator("#freelance-client-view h2").inner_text()
    assert _drawn_bars(page, "#freelance-client-view") > 0
    assert page.locator("#freelance-journal-link").count() == 1
    _screenshot(page, "client-view.png")
    assert watched.errors == []


def test_client_view_of_a_late_payer(watched: Watched, example: Fava) -> None:
    """From the overdue list to the client's invoices (docs/img/client-invoices.png)."""
    page = _open(watched, example.page_url())
    document = _document(page, example)
    if not document["overdue_invoices"]:
        pytest.skip("this ledger has no overdue invoice")
    late = document["overdue_invoices"][0]["client"]
    page.locator("#freelance-overdue tbody tr td a").first.click()
    page.wait_for_selector("#freelance-client-receivables")
    assert page.locator("#freelance-client-view").get_attribute("data-client") == late
    section = page.locator("#freelance-client-receivables")
    overdue = [i for i in document["overdue_invoices"] if i["client"] == late]
    assert section.locator("#freelance-overdue tbody tr").count() == len(overdue)
    (found,) = [c for c in document["clients"] if c["id"] == late]
    rows = section.locator("#freelance-invoice-list tbody tr")
    # Every invoice it was sent: the counted ones, and any cancelled by credit notes.
    assert rows.count() >= found["receivables"]["invoices"] > 0
    _screenshot(page, "client-invoices.png")
    assert watched.errors == []


def test_hostile_ledger_runs_no_script(watched: Watched) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    with Fava(XSS) as fava:
        page = _open(watched, fava.page_url())
        page.wait_for_selector("#freelance-streams svg")
        assert hostile in page.locator("#freelance-table").inner_text()
        assert hostile in page.locator("#freelance-overdue").inner_text()
        assert page.locator("#freelance-clients img").count() == 0
        page.select_option("#freelance-what-if", "Safe")
        page.locator("#freelance-what-if-result h4").wait_for()
        page.locator("#freelance-table tbody tr a", has_text=hostile).click()
        page.wait_for_selector("#freelance-client-view")
        assert hostile in page.locator("#freelance-client-view h2").inner_text()
        assert (
            "<script>alert(2)</script>"
            in page.locator("#freelance-client-invoices").inner_text()
        )
        _open(watched, fava.page_url("?client=%3Csvg%20onload%3Dalert(5)%3E"))
        assert (
            "<svg onload=alert(5)>"
            in page.locator("#freelance-unknown-client").inner_text()
        )
        page.wait_for_timeout(300)
    assert watched.dialogs == []
    assert not any("alert" in error for error in watched.errors)
