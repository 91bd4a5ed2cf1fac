"""Long lists on the Clients page: the most important rows, the count, and all on ask.

A ledger with thousands of open invoices must not make a page of megabytes:
the page shows the first rows of each long list (most overdue first, newest
invoice first) with the count and a link that shows them all (`rows=all`).
"""

from __future__ import annotations

import datetime
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

from beancount_freelance.fava_extension import ROW_LIMIT

OPEN_INVOICES = 400
# One invoice a day from 2015-01-01 to 2016-02-04 (as_of), due after 30 days:
# the last 31 are not yet past due on as_of.
OVERDUE = OPEN_INVOICES - 31


def _ledger(path: Path) -> Path:
    lines = [
        'option "title" "Many invoices"',
        'option "operating_currency" "EUR"',
        'plugin "beancount_freelance.plugin"',
        '2015-01-01 custom "fava-extension" "beancount_freelance.fava_extension"',
        "2015-01-01 open Assets:AccountsReceivable",
        "2015-01-01 open Income:Clients:Acme",
        "2015-01-01 open Income:Clients:Brio",
    ]
    day = datetime.date(2015, 1, 1)
    for number in range(OPEN_INVOICES):
        client = "Acme" if number % 2 else "Brio"
        date = day + datetime.timedelta(days=number)
        lines += [
            f'{date} * "{client}" "Invoice {number}" ^inv-{number}',
            "  Assets:AccountsReceivable  100.00 EUR",
            f"  Income:Clients:{client}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    ledger = _ledger(tmp_path_factory.mktemp("long") / "main.beancount")
    app = create_app([str(ledger)], load=True, poll_watcher=True)
    app.config["TESTING"] = True
    return app.test_client()


PAGE = "/many-invoices/extension/FreelanceClients/"


def _overdue_rows(html: str) -> int:
    table = html.split('id="freelance-overdue"', 1)[1].split("</table>", 1)[0]
    return len(re.findall(r"<tr data-client=", table))


def test_the_page_shows_the_most_overdue_first_and_says_how_many(client: Any) -> None:
    html = client.get(PAGE).get_data(as_text=True)
    assert _overdue_rows(html) == ROW_LIMIT
    assert f"The first {ROW_LIMIT} of {OVERDUE} overdue invoices" in html
    # The oldest invoice is the most overdue: it comes first.
    table = html.split('id="freelance-overdue"', 1)[1]
    assert table.index("^inv-0<") < table.index(f"^inv-{ROW_LIMIT - 1}<")
    assert "^inv-399<" not in table.split("</table>", 1)[0]
    assert len(html) < 400_000


def test_rows_all_shows_every_overdue_invoice(client: Any) -> None:
    html = client.get(PAGE + "?rows=all").get_data(as_text=True)
    assert _overdue_rows(html) == OVERDUE
    assert "freelance-more" not in html


def test_the_more_link_keeps_the_other_arguments(client: Any) -> None:
    html = client.get(PAGE + "?client=Acme&time=2015").get_data(as_text=True)
    link = re.search(r'<p class="freelance-more">.*?href="([^"]+)"', html, re.S)
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    assert "rows=all" in href and "client=Acme" in href and "time=2015" in href
    every = client.get(href).get_data(as_text=True)
    assert "freelance-more" not in every


def test_the_client_view_shows_its_first_invoices(client: Any) -> None:
    html = client.get(PAGE + "?client=Acme").get_data(as_text=True)
    listing = html.split('id="freelance-invoice-list"', 1)[1].split("</table>", 1)[0]
    assert len(re.findall(r"<tr data-link=", listing)) == ROW_LIMIT
    assert f"of {OPEN_INVOICES // 2} invoices, newest first" in html


def test_the_more_rows_sentence_is_french_too(client: Any) -> None:
    html = client.get(PAGE, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    more = re.search(r'<p class="freelance-more"><small>(.*?)</small></p>', html, re.S)
    assert more is not None
    said = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", more.group(1))))
    said = said.strip()
    assert said == (
        f"Les {ROW_LIMIT} premières des {OVERDUE} factures en retard, les plus en "
        f"retard d'abord, sont affichées. Afficher les {OVERDUE} lignes."
    )
    acme = client.get(PAGE + "?client=Acme", headers={"Accept-Language": "fr"})
    assert (
        f"Les {ROW_LIMIT} premières des {OPEN_INVOICES // 2} factures, les plus "
        "récentes d&#39;abord, sont affichées." in acme.get_data(as_text=True)
    )
