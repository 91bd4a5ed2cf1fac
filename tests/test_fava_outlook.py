"""The page's look ahead and the JSON endpoint, through Fava's test client.

tests/data/fava/outlook.beancount's numbers are worked by hand in
tests/test_cli_forecast.py; here: the page shows them, the endpoint equals
`bean-clients report --json`, and a filter narrows nothing of the forecast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from click.testing import CliRunner
from fava.application import create_app
from fava.util import slugify

from beancount_freelance import cli

OUTLOOK = Path(__file__).parent / "data" / "fava" / "outlook.beancount"


def _client(path: Path) -> Any:
    app = create_app([str(path)], load=True)
    app.testing = True
    return app.test_client()


def _url(path: Path, suffix: str = "") -> str:
    _, _, options = loader.load_file(str(path))
    return f"/{slugify(options['title'])}/extension/FreelanceClients/{suffix}"


@pytest.fixture(scope="module")
def client() -> Any:
    return _client(OUTLOOK)


def page(client: Any, path: Path = OUTLOOK, **args: str) -> str:
    response = client.get(_url(path), query_string=args)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def cli_document(*args: str) -> Any:
    result = CliRunner().invoke(cli.main, ["report", str(OUTLOOK), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("time", "cli_args"),
    [("", []), ("2021-01 - 2021-06", ["--from", "2021-01-01", "--to", "2021-06-30"])],
)
def test_the_endpoint_has_the_cli_s_outlook(
    client: Any, time: str, cli_args: list[str]
) -> None:
    document = client.get(_url(OUTLOOK, "report"), query_string={"time": time}).json
    expected = cli_document(*cli_args)
    for key in ("at_risk_clients", "survival", "forecast"):
        assert document[key] == expected[key], key
    assert [(c["id"], c["days_since_revenue"], c["at_risk"]) for c in document[
        "clients"
    ]] == [(c["id"], c["days_since_revenue"], c["at_risk"]) for c in expected[
        "clients"
    ]]  # fmt: skip
    assert document == expected


def test_a_filter_narrows_amounts_never_the_forecast(client: Any) -> None:
    everything = client.get(_url(OUTLOOK, "report")).json
    only_roux = client.get(
        _url(OUTLOOK, "report"), query_string={"account": "Income:Clients:Roux"}
    ).json
    assert only_roux["totals"]["revenue_total"] == "1800.00"  # 12 x 150
    assert only_roux["forecast"] == everything["forecast"]
    assert only_roux["survival"] == everything["survival"]
    assert only_roux["at_risk_clients"] == ["Dubois"]


def test_the_page_says_who_is_at_risk_and_what_lies_ahead(client: Any) -> None:
    html = page(client)
    assert (
        "Dubois Immobilier usually brings revenue every 30 days; nothing for 52 days."
        in html
    )
    assert html.index('id="freelance-at-risk"') < html.index('id="freelance-table"')
    assert (
        "Half of your regular relationships had ended by 14 months "
        "(5 relationships, 2 ended)." in html
    )
    assert 'id="freelance-survival"' in html
    assert 'data-n="5" data-events="2"' in html
    assert "If things go on, the next 12 months bring 11095.94 EUR." in html
    assert "Forecast by month" in html
    assert html.count('<tr data-month="') == 12


def test_the_page_s_what_if_leaves_out_one_client(client: Any) -> None:
    html = page(client, forecast_without="Bianchi")
    assert "The next twelve months without Bianchi Cycles" in html
    # (300 + 150) x 26/27 = 433.33 recurring.
    assert "433.33 EUR" in html
    assert '<option value="Bianchi" selected>' in html
    wrong = page(client, forecast_without="Verdier")
    assert "is not an active recurring client" in wrong
    assert "If things go on, the next 12 months bring 11095.94 EUR." in wrong


def test_a_hostile_name_is_escaped_in_the_at_risk_sentence(tmp_path: Path) -> None:
    ledger = tmp_path / "hostile.beancount"
    text = OUTLOOK.read_text(encoding="utf-8").replace(
        '"Dubois Immobilier"', '"<script>alert(1)</script>"', 1
    )
    ledger.write_text(text, encoding="utf-8")
    html = page(_client(ledger), ledger)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; usually brings revenue" in html
    assert "<script>alert(1)</script>" not in html


def test_the_endpoint_s_forecast_without_a_client(client: Any) -> None:
    url = _url(OUTLOOK, "report")
    found = client.get(url, query_string={"forecast_without": "Bianchi"}).json
    without = found["forecast_without"]
    assert without["without"] == "Bianchi"
    assert without["months"][0]["recurring"] == "433.33"  # (300 + 150) x 26/27
    assert found["forecast"]["without"] is None  # the document's own, unchanged
    wrong = client.get(url, query_string={"forecast_without": "Verdier"})
    assert wrong.status_code == 404
    assert "not an active recurring client" in wrong.json["error"]
