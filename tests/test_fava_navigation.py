"""The page at a glance, without a browser: the row of links to the sections,
and the streams chart's top clients with the others grouped.

(test_browser_page_glance.py clicks the links and looks at the colours in
Chromium.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from test_fava_extension import CLIENTS, INVOICES, Page, _app, _url, get_page

from beancount_freelance.fava_extension.navigation import (
    CLIENT_SECTIONS,
    PAGE_SECTIONS,
)
from beancount_freelance.fava_extension.streams_chart import NO_CLIENT, top_streams
from beancount_freelance.i18n import translations, using


def _links(page: Page) -> list[str]:
    return [a["href"] for a in page.find("a") if "data-section" in a]


def _drawn(page: Page, sections: tuple[tuple[str, str], ...]) -> list[str]:
    return [f"#{anchor}" for anchor, _ in sections if page.by_id(anchor)]


@pytest.fixture(scope="module")
def client() -> Any:
    return _app(CLIENTS).test_client()


def test_the_row_links_every_section_drawn_in_the_page_s_order(client: Any) -> None:
    html, page = get_page(client)
    links = _links(page)
    # No hours in these books: no Time section, and no link to it.
    assert page.by_id("freelance-time") is None
    assert "#freelance-time" not in links
    assert links == _drawn(page, PAGE_SECTIONS)
    assert links[:3] == [
        "#freelance-headline",
        "#freelance-at-risk",
        "#freelance-streams",
    ]
    # Each link's target comes after the row, in the row's order.
    places = [html.index(f'id="{link[1:]}"') for link in links]
    assert places == sorted(places) and html.index('id="freelance-nav"') < places[0]
    assert ">Who pays late</a>" in html


def test_the_row_is_french_on_a_french_page(client: Any) -> None:
    response = client.get(_url(CLIENTS), headers={"Accept-Language": "fr"})
    html = response.get_data(as_text=True)
    assert ">En bref</a>" in html and ">Qui paie en retard</a>" in html
    assert 'aria-label="Sections de la page"' in html


def test_a_client_view_links_its_own_sections() -> None:
    with_invoices = _app(INVOICES).test_client()
    _, first = get_page(with_invoices, INVOICES)
    some = next(a["data-client"] for a in first.find("tr") if a.get("data-client"))
    _, page = get_page(with_invoices, INVOICES, client=some)
    links = _links(page)
    assert links == _drawn(page, CLIENT_SECTIONS)
    assert {"#freelance-client-revenue", "#freelance-client-events"} <= set(links)
    assert "#freelance-client-time" not in links  # no hours in these books


def test_eight_clients_are_stacked_and_the_rest_grouped() -> None:
    # Ten clients and some revenue of no client, over two months: A..H bring
    # the most (100 each month and down), I and J the least.
    amounts = dict(zip("ABCDEFGHIJ", range(100, 0, -10), strict=True))
    by_client: dict[str | None, list[Decimal]] = {
        client: [Decimal(amount), Decimal(amount)] for client, amount in amounts.items()
    }
    by_client[None] = [Decimal(5), Decimal(0)]
    accounts: dict[str | None, str] = {c: f"Income:Clients:{c}" for c in amounts}
    with using(translations(["en"])):
        chosen = top_streams(by_client, accounts)
    assert list(chosen.series) == [*"ABCDEFGH", None]
    # I (20 + 20), J (10 + 10) and no client (5): 35, then 30 a month.
    assert chosen.series[None] == [Decimal(35), Decimal(30)]
    assert chosen.others == ("I", "J")
    assert chosen.accounts[None] == "2 other clients"
    assert chosen.accounts["A"] == "Income:Clients:A"


def test_nine_series_or_fewer_are_stacked_as_they_are() -> None:
    by_client: dict[str | None, list[Decimal]] = {c: [Decimal(1)] for c in "ABCDEFGH"}
    by_client[None] = [Decimal(2)]
    chosen = top_streams(by_client, {"A": "Income:Clients:A"})
    assert chosen.others == ()
    assert chosen.series == by_client
    assert chosen.accounts["A"] == "Income:Clients:A"
    assert chosen.accounts["B"] == "B"  # no account known: its id
    assert chosen.accounts[None] == NO_CLIENT
