"""The Time section of the Clients page and the hours of a client's view.

The ledger: Lefevre keeps a stock of hours (12 worked, 8 billed with a 400 EUR
invoice, 4 unbilled at its custom rate of 60 EUR: 240 EUR); Acme is paid
10 H @ 90 EUR. Effective rates: Lefevre 400 / 12 = 33.33, Acme 90; the median
of the two is 61.67.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

LEDGER = """\
option "title" "Hours"
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2016-01-01 custom "fava-extension" "beancount_freelance.fava_extension"
2016-01-01 open Assets:Bank
2016-01-01 open Assets:Receivable:Lefevre
2016-01-01 open Income:Clients:Lefevre
2016-01-01 open Income:Clients:Acme
2016-01-01 open Assets:Time:Lefevre
2016-01-01 open Equity:Time
2016-01-01 custom "client" "Lefevre" "Cabinet Lefèvre"
2016-01-01 custom "rate" "Lefevre" 60.00 EUR
2016-01-10 * "Lefevre" "Work"
  Assets:Time:Lefevre           12 H
  Equity:Time
2016-01-31 * "Cabinet Lefevre" "Invoice"
  Assets:Receivable:Lefevre    400 EUR
  Income:Clients:Lefevre      -400 EUR
  Assets:Time:Lefevre           -8 H
  Equity:Time                    8 H
2016-02-10 * "Acme" "Paid by the hour"
  Assets:Bank                  900 EUR
  Income:Clients:Acme          -10 H @ 90 EUR
"""


def _page(path: Path, language: str = "en", **args: str) -> str:
    app = create_app([str(path)], load=True)
    app.testing = True
    response = app.test_client().get(
        "/hours/extension/FreelanceClients/",
        query_string=args,
        headers={"Accept-Language": language},
    )
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: Any) -> Path:
    path = Path(tmp_path_factory.mktemp("hours")) / "hours.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def _rows(html: str) -> dict[str, list[str]]:
    section = html.split('id="freelance-time"')[1].split("</section>")[0]
    body = section.split("<tbody>")[1].split("</tbody>")[0]
    rows = {}
    for row in re.findall(r'<tr data-client="([^"]+)">(.*?)</tr>', body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
        rows[row[0]] = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    return rows


def test_the_time_section_shows_each_client_s_rate_and_hours(ledger: Path) -> None:
    html = _page(ledger)
    rows = _rows(html)
    # Largest first, as the Clients table: Acme's 900 EUR, then Lefevre's 400.
    assert list(rows) == ["Acme", "Lefevre"]
    # Name, bar, rate, bars, worked, billed, unbilled hours, unbilled value.
    assert rows["Lefevre"][2].startswith("33.33")
    assert rows["Lefevre"][4:8] == ["12.0", "8.0", "4.0", "240.00 EUR"]
    assert rows["Acme"][2].startswith("90.00")
    assert rows["Acme"][6:8] == ["–", "–"]
    # The longest rate fills its row; the median is a line at 61.67 / 90.
    assert 'class="freelance-rate-bar" style="width: 100.0%"' in html
    assert 'class="freelance-median" style="left: 68.52%"' in html
    assert "61.67" in html.split('id="freelance-time-median"')[1].split("</p>")[0]


def test_a_client_view_shows_its_hours(ledger: Path) -> None:
    html = _page(ledger, client="Lefevre")
    section = html.split('id="freelance-client-time"')[1].split("</section>")[0]
    values = re.findall(r'<span class="freelance-value">([^<]*)<', section)
    assert values[0].startswith("33.33") and values[1].startswith("50.00")
    assert values[2:] == ["12.0", "8.0", "4.0"]


def test_the_page_in_french(ledger: Path) -> None:
    section = _page(ledger, "fr").split('id="freelance-time"')[1]
    assert "<h3>Temps</h3>" in section
    assert "Votre taux effectif médian des 12 derniers mois : 61.67 EUR" in section


def test_a_ledger_without_hours_shows_no_time(tmp_path: Path) -> None:
    path = tmp_path / "no-hours.beancount"
    text = LEDGER.split("2016-01-10 *")[0] + textwrap.dedent(
        """\
        2016-02-10 * "Acme" "Paid"
          Assets:Bank                  900 EUR
          Income:Clients:Acme         -900 EUR
        """
    )
    path.write_text(text, encoding="utf-8")
    html = _page(path)
    assert 'id="freelance-time"' not in html
    assert 'id="freelance-client-time"' not in _page(path, client="Acme")


def test_a_filter_on_one_client_keeps_that_client_s_hours(ledger: Path) -> None:
    rows = _rows(_page(ledger, account="Income:Clients:Acme"))
    assert set(rows) == {"Acme"}
