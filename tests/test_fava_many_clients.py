"""The Clients page scales with the number of clients.

With 5,000 declared clients the page was 8 MB and took half a minute: a chart
of 5,000 stacks, a colour for each, a timeline and tables of 5,000 rows, and
one question asked of every row for every row. Now the charts show the
largest clients and one stack for the others, and each long list its first
rows, largest first, with the count and a link to them all (`rows=all`), as the
invoice lists do. The first view stays under 300 kB, Fava's own data of the
ledger (its accounts and 5,000 payees, some 160 kB) included.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

from beancount_freelance.fava_extension.paging import (
    CLIENT_ROWS,
    without_indentation,
)
from beancount_freelance.fava_extension.streams_chart import TOP_CLIENTS

CLIENTS = 5000
PAGE = "/many-clients/extension/FreelanceClients/"


def _ledger(path: Path) -> Path:
    """5,000 clients, each invoiced once in 2015-2016; every third pays."""
    lines = [
        'option "title" "Many clients"',
        'option "operating_currency" "EUR"',
        'plugin "beancount_freelance.plugin"',
        '2015-01-01 custom "fava-extension" "beancount_freelance.fava_extension"',
        "2015-01-01 open Assets:Bank",
        "2015-01-01 open Assets:AccountsReceivable",
        "2015-01-01 open Income:Clients",
    ]
    lines += [
        f'2015-01-01 custom "client" "C{n:04d}" "Client number {n}"'
        for n in range(CLIENTS)
    ]
    for n in range(CLIENTS):
        day = datetime.date(2015, 1, 1) + datetime.timedelta(days=n % 700)
        amount = 100 + (n * 37) % 900
        lines += [
            f'{day} * "Client number {n}" "Work" ^inv-{n}',
            f"  Assets:AccountsReceivable  {amount}.00 EUR",
            "  Income:Clients",
            f'    client: "C{n:04d}"',
        ]
        if n % 3 == 0:
            lines += [
                f'{day + datetime.timedelta(days=20)} * "Client {n}" "Paid" ^inv-{n}',
                f"  Assets:Bank  {amount}.00 EUR",
                "  Assets:AccountsReceivable",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    ledger = _ledger(tmp_path_factory.mktemp("many") / "main.beancount")
    app = create_app([str(ledger)], load=True, poll_watcher=True)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture(scope="module")
def first_view(client: Any) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def _rows(html: str, table: str) -> int:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return len(re.findall(r"<tr data-client=", body))


def _streams(html: str) -> list[Any]:
    section = html.split('id="freelance-streams"', 1)[1]
    found = re.search(r'<script type="application/json">(.*?)</script>', section)
    assert found is not None
    return list(json.loads(found.group(1)))


def test_the_first_view_stays_small(first_view: str) -> None:
    assert len(first_view.encode()) < 300_000
    fava_data = first_view.split('id="ledger-data"', 1)[1].split("</script>", 1)[0]
    assert len(first_view) - len(fava_data) < 150_000  # the page's own part


def test_the_long_lists_show_their_first_rows_and_say_how_many(
    first_view: str,
) -> None:
    assert _rows(first_view, "freelance-table") == CLIENT_ROWS
    assert _rows(first_view, "freelance-receivables-table") == CLIENT_ROWS
    timeline = first_view.split('id="freelance-timeline"', 1)[1].split("</svg>")[0]
    assert timeline.count('class="timeline-row') == CLIENT_ROWS
    said = f"The first {CLIENT_ROWS} of {CLIENTS} clients, largest first, are shown."
    assert first_view.count(said) == 3  # the timeline, the table, who pays late
    what_if = first_view.split('id="freelance-what-if"', 1)[1].split("</select>")[0]
    assert what_if.count("<option value=") <= CLIENT_ROWS + 1


def test_the_chart_shows_the_top_clients_and_the_others(first_view: str) -> None:
    by_client = _streams(first_view)[0]["data"]
    stacks = {name for bar in by_client for name in bar["account_balances"]}
    assert len(stacks) == TOP_CLIENTS + 1
    assert any(name.endswith("other clients") for name in stacks)
    for bar in by_client:  # nothing lost: the stacks add up to the bar
        total = sum(
            Decimal(str(value["EUR"])) for value in bar["account_balances"].values()
        )
        assert total == Decimal(str(bar["balance"]["EUR"]))
    key = first_view.split('id="freelance-colour-key"', 1)[1].split("</ul>")[0]
    assert key.count("<li") == TOP_CLIENTS + 1
    assert "other clients</span></li>" in key  # a name, not a link to a client


def test_every_row_on_ask(client: Any) -> None:
    html = client.get(PAGE, query_string={"rows": "all"}).get_data(as_text=True)
    assert _rows(html, "freelance-table") == CLIENTS
    assert "freelance-more" not in html


def test_a_client_view_among_thousands(client: Any) -> None:
    response = client.get(PAGE, query_string={"client": "C4999"})
    assert response.status_code == 200
    assert len(response.get_data()) < 300_000


# --- The helpers, by hand ---------------------------------------------------------


def test_the_indentation_goes_the_words_stay() -> None:
    html = "<tr>\n      <td>A  B</td>\n\t<td>C</td>\n</tr>"
    assert without_indentation(html) == "<tr>\n<td>A  B</td>\n<td>C</td>\n</tr>"
