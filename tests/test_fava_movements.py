"""The Clients page's movements section, through Fava's test client.

The ledger is tests/test_movements.py's, whose numbers are worked there by hand:
here the page shows them for Fava's time filter, keys every movement in the
legend with its own colour, links no segment anywhere, says the year's
retention in words, and speaks French when asked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app
from test_movements import LEDGER

PAGE = "/movements/extension/FreelanceClients/"
FAVA_LINES = (
    'option "title" "Movements"\n'
    '2015-01-01 custom "fava-extension" "beancount_freelance.fava_extension"\n'
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = Path(tmp_path_factory.mktemp("movements")) / "ledger.beancount"
    path.write_text(FAVA_LINES + LEDGER, encoding="utf-8")
    app = create_app([str(path)], load=True)
    app.testing = True
    return app.test_client()


def page(client: Any, **args: str) -> str:
    response = client.get(PAGE, query_string=args)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def section(html: str) -> str:
    found = re.search(
        r'<section id="freelance-movements-section">.*?</section>', html, re.S
    )
    assert found is not None
    return found.group(0)


def test_the_time_filter_chooses_the_quarters(client: Any) -> None:
    shown = section(page(client, time="2016-01-01 - 2016-10-15"))
    rows = re.findall(r"<tr><td>(\d{4}-Q\d)</td>", shown)
    assert rows == ["2016-Q1", "2016-Q2", "2016-Q3"]
    # 2016-Q3: Acme and Dune leave (1,500 + 900), Beta comes back (600).
    assert re.search(r"2016-Q3 · Lost: -2400 EUR \(Acme, Dune\)", shown)
    assert "So far in 2016-Q4 (through 2016-10-15): 200 EUR" in shown
    whole_year = section(page(client, time="2015"))
    assert re.findall(r"<tr><td>(\d{4}-Q\d)</td>", whole_year) == [
        "2015-Q2",
        "2015-Q3",
        "2015-Q4",
    ]


def test_every_movement_has_its_colour_and_its_key(client: Any) -> None:
    html = page(client, time="2016-01-01 - 2016-10-15")
    shown = section(html)
    keyed = re.findall(r'<li data-kind="([a-z]+)"><span class="swatch m-\1">', shown)
    assert keyed == [
        "new",
        "returned",
        "expansion",
        "contraction",
        "lost",
        "adjustment",
    ]
    drawn = set(re.findall(r'<rect class="m-([a-z]+)" data-kind="\1"', shown))
    assert drawn == {
        "new",
        "returned",
        "expansion",
        "contraction",
        "lost",
        "adjustment",
    }
    colours = dict(re.findall(r"\.m-([a-z]+) \{ fill: (#[0-9a-f]{6});", html))
    assert len(set(colours.values())) == len(colours) == 6
    assert "<a " not in shown.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_the_retention_and_the_cohorts_in_words(client: Any) -> None:
    shown = section(page(client, time="2016-01-01 - 2016-10-15"))
    assert (
        "The clients you had a year ago brought 190 % of what they brought then "
        "(100 % leaving out what some of them added)."
    ) in shown
    assert "New clients brought 72 % of this year&#39;s revenue." in shown
    cohorts = re.search(r'<table class="freelance-cohorts".*?</table>', shown, re.S)
    assert cohorts is not None
    cells = re.findall(r'<td class="num"[^>]*>([^<]*)</td>', cohorts.group(0))
    assert cells == ["2", "2800 EUR", "3800 EUR", "2", "", "1100 EUR"]


def test_the_section_speaks_french(client: Any) -> None:
    shown = section(
        str(
            client.get(
                PAGE,
                query_string={"time": "2016-01-01 - 2016-10-15"},
                headers={"Accept-Language": "fr"},
            ).get_data(as_text=True)
        )
    )
    assert "Ce qui a fait bouger le chiffre d’affaires" in shown
    keyed = re.findall(r'<li data-kind="[a-z]+"><span [^>]*></span>([^<]+)</li>', shown)
    assert keyed == ["Nouveaux", "Retours", "Hausse", "Baisse", "Perdus", "Ajustement"]
    assert "2016-Q3 · Perdus : -2400 EUR (Acme, Dune)" in shown
    assert (
        "Les nouveaux clients ont apporté 72 % du chiffre d’affaires de cette année."
    ) in shown


LONG = FAVA_LINES + (
    'option "operating_currency" "EUR"\n'
    "1990-01-01 open Assets:Bank\n"
    "1990-01-01 open Income:Clients:Old\n"
    '1990-02-01 * "Old" "first job"\n'
    "  Income:Clients:Old  -100 EUR\n"
    "  Assets:Bank\n"
    '2016-11-01 * "Old" "last job"\n'
    "  Income:Clients:Old  -100 EUR\n"
    "  Assets:Bank\n"
)


def test_decades_show_the_last_quarters(tmp_path: Path) -> None:
    path = tmp_path / "long.beancount"
    path.write_text(LONG, encoding="utf-8")
    app = create_app([str(path)], load=True)
    app.testing = True
    shown = section(page(app.test_client(), time="1990 - 2016"))
    # 1990-Q1 to 2016-Q4: 108 quarters; the table shows the last 50, the
    # chart the last 40, and both say so.
    rows = re.findall(r"<tr><td>(\d{4}-Q\d)</td>", shown)
    assert (len(rows), rows[0], rows[-1]) == (50, "2004-Q3", "2016-Q4")
    assert "The last 50 of 108 quarters are shown." in shown
    assert "rows=all" in shown
    assert "The chart starts at 2007-Q1; the table has every quarter." in shown
