"""Hostile query strings never give a server error.

A `filter=` of thousands of `not` or quotes, an `account=` of thousands of `(`,
a `time=` of thousands of `day`: Fava's parsers (and Python's regex parser
behind the account filter) recurse once per character and raise
`RecursionError`, which the page did not catch: a 500. Now whatever Fava's
parsers raise is the page's message (200) and the JSON endpoints' 400, with
Fava's own reason when it has one; and no Python warning is printed (an
account filter `[[` made Python's regex parser warn of a "nested set").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

LEDGER = Path(__file__).parent / "data" / "fava" / "outlook.beancount"
PAGE = "/freelance-outlook/extension/FreelanceClients/"

pytestmark = pytest.mark.filterwarnings("error")

HOSTILE = [
    ("filter", "-" * 5000, "Failed to parse filter"),
    ("filter", "not " * 3000, "nested too deeply"),
    ("filter", '"' * 3000, "nested too deeply"),
    ("filter", "any(" * 2000, "The filter is not valid"),
    ("account", "(" * 5000, "nested too deeply"),
    ("account", "[[" * 2000, "unterminated character set"),
    ("account", "\\" * 3001, "The filter is not valid"),
    ("time", "day" * 3000, "nested too deeply"),
    ("time", "2020 - " * 2000, "is not a date range"),
    ("time", "year-" * 1000, "is not a date range"),
    ("time", "x" * 100_000, "is not a date range"),
    ("time", "\x00", "is not a date range"),
]
IDS = [f"{name}-{value[:6]!r}x{len(value)}" for name, value, _ in HOSTILE]


@pytest.fixture(scope="module")
def client() -> Any:
    app = create_app([str(LEDGER)], load=True, poll_watcher=True)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.mark.parametrize(("name", "value", "said"), HOSTILE, ids=IDS)
def test_the_page_says_what_fava_could_not_read(
    client: Any, name: str, value: str, said: str
) -> None:
    response = client.get(PAGE, query_string={name: value})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="freelance-error"' in body
    assert said in body.replace("&#39;", "'")
    assert len(body) < 200_000  # the value is quoted short


@pytest.mark.parametrize(("name", "value", "said"), HOSTILE, ids=IDS)
@pytest.mark.parametrize("endpoint", ["report", "what_if"])
def test_the_endpoints_answer_400_with_the_reason(
    client: Any, endpoint: str, name: str, value: str, said: str
) -> None:
    response = client.get(PAGE + endpoint, query_string={name: value, "client": "x"})
    assert response.status_code == 400
    assert said in response.get_json()["error"]


@pytest.mark.parametrize(("name", "value", "said"), HOSTILE[:3], ids=IDS[:3])
def test_the_client_view_says_it_too(
    client: Any, name: str, value: str, said: str
) -> None:
    query = {name: value, "client": "Dubois", "what_if": "Dubois"}
    response = client.get(PAGE, query_string=query)
    assert response.status_code == 200
    assert said in response.get_data(as_text=True)


def test_after_them_the_page_still_answers(client: Any) -> None:
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "freelance-error" not in response.get_data(as_text=True)
