"""The page's reminders and statement in a real Chromium.

Served by a real Fava from tests/data/fava/invoices.beancount (its figures are
in tests/test_fava_reminders.py); the browser set-up is tests/test_browser.py's.
"""

from __future__ import annotations

import email
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest
from test_browser import Fava, Watched, _open, browser, watched

pytestmark = pytest.mark.browser

INVOICES = Path(__file__).parent / "data" / "fava" / "invoices.beancount"

__all__ = ["browser", "watched"]  # the fixtures, used by name


@pytest.fixture(scope="module")
def invoices() -> Iterator[Fava]:
    with Fava(INVOICES) as fava:
        yield fava


def test_a_reminder_opens_with_its_words_and_downloads(
    watched: Watched, invoices: Fava
) -> None:
    page = _open(watched, invoices.page_url())
    reminder = page.locator('details.freelance-reminder[data-client="Bianchi"]')
    assert reminder.count() == 1
    text = reminder.locator(".freelance-reminder-text")
    assert text.inner_text() == ""  # fetched when opened, not before
    reminder.locator("summary").click()
    page.wait_for_function(
        "el => el.textContent.includes('Second reminder')", arg=text.element_handle()
    )
    words = text.inner_text()
    assert words.startswith("Second reminder: 1 overdue invoice")
    assert "invoice inv-b1 of 2021-02-15, due 2021-03-17: 500.00 EUR" in words
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = reminder.locator(".freelance-reminder-copy")
    copy.click()
    page.wait_for_function(
        "el => el.textContent === 'Copied.'", arg=copy.element_handle()
    )
    assert page.evaluate("navigator.clipboard.readText()") == words
    with page.expect_download() as download:
        reminder.locator("a.freelance-reminder-eml").click()
    assert download.value.suggested_filename == "Bianchi.eml"
    draft = email.message_from_bytes(
        Path(download.value.path()).read_bytes(), policy=policy.default
    )
    assert draft["Subject"] == "Second reminder: 1 overdue invoice"
    assert watched.errors == []


def test_a_clients_view_shows_its_statement(watched: Watched, invoices: Fava) -> None:
    page = _open(watched, invoices.page_url("?client=Dubois"))
    statement = page.locator("#freelance-statement")
    assert statement.is_visible()
    rows = statement.locator("tbody tr")
    assert rows.count() == 7  # opening, 3 invoices, 2 payments, closing
    assert "400.00" in rows.last.inner_text()
    assert watched.errors == []
