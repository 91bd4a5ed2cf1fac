"""The Clients page and its JSON endpoints under malformed query parameters.

Whatever a URL carries (time, account, filter, conversion, interval, client,
what_if), the page answers 200 with a message, and the JSON endpoints answer
JSON: 200, 400 for filters Fava cannot read, 404 for a client that is not there.
Never a 500, and every string from the URL is escaped. Flask's test client on
tests/data/fava/clients.beancount (Alpha lost, Beta dormant, Gamma one project).
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app
from fava.util.date import INTERVALS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance.fava_extension.view import MAX_BARS, last_ranges

LEDGER = Path(__file__).parent / "data" / "fava" / "clients.beancount"
PAGE = "/freelance-test/extension/FreelanceClients/"
ENDPOINTS = ("", "report", "what_if")

HOSTILE = {
    "time": [
        "garbage",
        "2016-13",
        "2021-02-30",
        "2021-Q5",
        "2020 - 2019",
        "0001-01-01",
        "0001-01-01 - 2021",
        "day-800000",
        "year+99999",
        "10000",
        "9999",
        "0001-01-02 - 9999",
        "-",
        "%00",
        "\x00",
    ],
    "account": ["[(", "(", "Income:Clients:Alpha", "*", "\x00", "a" * 5000],
    "filter": [
        'client:"("',
        "(",
        '"',
        "#",
        "^",
        'payee:"["',
        'any(account:"(")',
        "narration:'",
        "\x00",
    ],
    "conversion": ["XYZ", "at_value", "", "at_cost", "units", "usd", "USD,EUR", ","],
    "client": [
        "unknown",
        "<script>alert(1)</script>",
        "x" * 100_000,
        "\x00",
        "%00",
        " ",
        "Alpha",
        "Gamma",
    ],
    "interval": ["bogus", "day", "week", "", "\x00"],
    "what_if": ["Alpha", "Beta", "Gamma", "nope", "<script>", "\x00"],
}
CASES = [(name, value) for name, values in HOSTILE.items() for value in values]


@pytest.fixture(scope="module")
def app() -> Any:
    fava = create_app([str(LEDGER)], load=True, poll_watcher=True)
    fava.testing = True  # an exception in a view raises here instead of a 500
    return fava


@pytest.fixture(scope="module")
def client(app: Any) -> Any:
    return app.test_client()


def check_response(response: Any, endpoint: str) -> None:
    """A page is 200 with escaped text; JSON is JSON, 200/400/404, never 500."""
    if endpoint == "":
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert 'id="freelance-clients"' in html
        return
    assert response.status_code in (200, 400, 404)
    assert response.mimetype == "application/json"
    document = response.get_json()
    if response.status_code != 200:
        assert isinstance(document["error"], str) and document["error"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=["page", "report", "what_if"])
@pytest.mark.parametrize(
    ("name", "value"), CASES, ids=[f"{n}={v[:12]!r}" for n, v in CASES]
)
def test_one_hostile_parameter(
    client: Any, endpoint: str, name: str, value: str
) -> None:
    check_response(client.get(PAGE + endpoint, query_string={name: value}), endpoint)


def _parameters() -> st.SearchStrategy[dict[str, str]]:
    value = {
        name: st.sampled_from(values) | st.text(max_size=20)
        for name, values in HOSTILE.items()
    }
    return st.fixed_dictionaries({}, optional=value)


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(_parameters(), st.sampled_from(ENDPOINTS))
def test_any_mix_of_parameters(
    client: Any, args: dict[str, str], endpoint: str
) -> None:
    check_response(client.get(PAGE + endpoint, query_string=args), endpoint)


# --- What each bad filter says -------------------------------------------------------


def _text(client: Any, /, **args: str) -> str:
    response = client.get(PAGE, query_string=args)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


@pytest.mark.parametrize("time", ["garbage", "2016-13", "day-800000", "0001-01-01"])
def test_a_bad_time_filter_is_a_message_and_400(client: Any, time: str) -> None:
    assert 'id="freelance-error"' in _text(client, time=time)
    response = client.get(PAGE + "report", query_string={"time": time})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith(f"The time filter {time!r}")


def test_the_first_day_there_is_cannot_start_a_period(client: Any) -> None:
    # Fava sums up what comes before a period on the day before it: none here.
    response = client.get(PAGE + "report", query_string={"time": "0001-01-01"})
    assert "start it on 0001-01-02 or later" in response.get_json()["error"]
    document = client.get(PAGE + "report", query_string={"time": "0001-01-02 - 2021"})
    assert document.status_code == 200
    assert document.get_json()["period"]["start"] == "0001-01-02"


def test_a_filter_that_is_no_regex_matches_as_text(client: Any) -> None:
    """Fava compares `client:"("` as plain text: nothing matches, and it says so."""
    html = _text(client, filter='client:"("')
    assert "No revenue from clients matches the filter" in html
    response = client.get(PAGE + "report", query_string={"filter": 'client:"("'})
    assert response.status_code == 200
    assert not [c for c in response.get_json()["clients"] if c["selected"]]


@pytest.mark.parametrize(
    ("name", "value"), [("account", "[("), ("filter", "("), ("filter", "narration:'")]
)
def test_a_bad_filter_is_a_message_and_400(client: Any, name: str, value: str) -> None:
    assert "The filter is not valid" in _text(client, **{name: value})
    response = client.get(PAGE + "report", query_string={name: value})
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("The filter is not valid")


def test_an_unknown_client_is_a_message_and_404(client: Any) -> None:
    html = _text(client, client="<script>alert(1)</script>")
    assert 'id="freelance-unknown-client"' in html
    assert "&lt;script&gt;" in html
    response = client.get(PAGE + "what_if", query_string={"client": "nope"})
    assert (response.status_code, response.get_json()) == (
        404,
        {"error": "Unknown client 'nope'"},
    )
    response = client.get(PAGE + "report", query_string={"what_if": "Alpha"})
    assert response.status_code == 404
    assert "is lost, not active" in response.get_json()["error"]


def test_a_conversion_that_is_no_currency_reports_in_the_operating_one(
    client: Any,
) -> None:
    for conversion in ("at_value", "units", "usd", ","):
        response = client.get(PAGE + "report", query_string={"conversion": conversion})
        assert response.get_json()["currency"] == "EUR"
    # A currency nothing converts to: every amount is a warning, none dropped.
    document = client.get(PAGE + "report", query_string={"conversion": "XYZ"})
    body = document.get_json()
    assert body["currency"] == "XYZ"
    assert body["totals"]["revenue_total"] == "0.00"
    assert body["warnings"]
    assert "could not be counted in XYZ" in _text(client, conversion="XYZ")


# --- The calendar's edges ---------------------------------------------------------


def test_a_client_view_up_to_december_9999(client: Any) -> None:
    html = _text(client, time="9999", client="Alpha")
    assert 'id="freelance-client-view"' in html


def test_a_long_period_by_day_draws_the_last_bars_only(client: Any) -> None:
    html = _text(client, time="0001-01-02 - 9999", interval="day")
    found = re.search(r'<script type="application/json">(\[\{"data".*?)</script>', html)
    assert found, "no chart on the page"
    chart, _split = json.loads(found.group(1))  # by client; recurring and one-off
    days = [bar["date"] for bar in chart["data"]]
    assert len(days) == MAX_BARS
    assert days[-1] == "9999-12-30"  # the bar of the last whole day before the end


@pytest.mark.parametrize(
    "time",
    ["", "2020", "2020-03 - 2021-06", "2020-01-15 - 2020-02-03", "0001-01-02 - 9999"],
)
@pytest.mark.parametrize("interval", ["year", "quarter", "month", "week", "day"])
def test_last_ranges_are_favas_last_ranges(app: Any, time: str, interval: str) -> None:
    """The chart's intervals, found from the end, are the tail of Fava's own."""
    ledger = app.config["LEDGERS"]["freelance-test"]
    filtered = ledger.get_filtered(time=time or None)
    chosen = INTERVALS[interval]
    ranges = last_ranges(filtered, chosen)
    assert len(ranges) <= MAX_BARS
    if time != "0001-01-02 - 9999":  # Fava's own list has millions of days there
        assert ranges == list(filtered.interval_ranges(chosen))[-MAX_BARS:]
    else:
        assert ranges[-1].end == datetime.date(9999, 12, 31)
        assert all(a.end == b.begin for a, b in itertools.pairwise(ranges))
