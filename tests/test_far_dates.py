"""Every date Beancount accepts works everywhere, up to 9999-12-31.

The year after 9999, the month after December 9999 and a due date thirty days
after 9999-12-30 do not exist. The ledger of the error catalogue
(tests/data/errors/dated-9999-12-31.beancount) has a yearly budget, a client
paying every month of the year 9999, a proposal, a loss and two invoices dated
9999-12-30 (due after the payment terms) and 9999-12-31 (`due:` that day). Every
face reads it, and the example ledger as of 9999-12-31, without a traceback:
the targets end the year 9999 on its last day (as Fava's budgets do), the
forecast stops with December 9999 and says so, the invoice of 9999-12-30 is due
on 9999-12-31 with a warning at its line.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from click.testing import CliRunner, Result
from fava.application import create_app

from beancount_freelance.cli import main
from beancount_freelance.core.dates import (
    LAST_DAY,
    days_after,
    next_year_start,
)
from beancount_freelance.fava_extension.timeline import _year_step

REPO = Path(__file__).resolve().parent.parent
FAR = REPO / "tests" / "data" / "errors" / "dated-9999-12-31.beancount"
EXAMPLE = REPO / "example_ledger" / "main.beancount"
PAGE = "/far/extension/FreelanceClients/"
DUE_WARNING = (
    "The payment terms put this invoice's due date after 9999-12-31, the last day "
    "of the calendar; it is due on 9999-12-31: check the invoice's year"
)
STOPS = "The calendar ends with December 9999: the forecast stops there."


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- The steps themselves ------------------------------------------------------


def test_each_step_stops_at_the_last_day() -> None:
    assert datetime.date(9999, 12, 31) == LAST_DAY
    assert days_after(datetime.date(9999, 12, 30), 30) == LAST_DAY
    assert days_after(datetime.date(9999, 12, 1), 30) == LAST_DAY
    assert days_after(datetime.date(2020, 1, 31), 30) == datetime.date(2020, 3, 1)
    assert days_after(datetime.date(1, 1, 2), -5) == datetime.date.min
    assert next_year_start(datetime.date(9998, 5, 5)) == datetime.date(9999, 1, 1)
    assert next_year_start(datetime.date(9999, 5, 5)) == LAST_DAY


# --- bean-clients --------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "forecast", "pipeline", "invoices"])
def test_every_command_reads_the_last_days(command: str) -> None:
    result = run(command, str(FAR))
    assert result.exit_code == 0, result.output
    # The invoice of 9999-12-30, line 55, without `due:`: one warning, at its line.
    assert f"dated-9999-12-31.beancount:55: {DUE_WARNING}" in result.output
    assert "Traceback" not in result.output


def test_the_invoices_fall_due_on_the_last_day() -> None:
    document = json.loads(run("invoices", "--json", str(FAR)).stdout)
    dues = {invoice["link"]: invoice["due"] for invoice in document["invoices"]}
    assert dues == {"inv-b11": "9999-12-31", "inv-b12": "9999-12-31"}
    # inv-b12 says `due: 9999-12-31` itself: no warning for it.
    assert len([w for w in document["warnings"] if DUE_WARNING in w]) == 1


def test_the_targets_end_the_year_9999_on_its_last_day() -> None:
    document = json.loads(run("pipeline", "--json", str(FAR)).stdout)
    (target,) = document["targets"]["accounts"]
    # Fava spreads 12,000 over the days of 9999 it has (up to its last day);
    # Bolt's 6 × 500 + 200 + 500, and ACME's 100 of 9999-12-31.
    assert target["year_target"] == "12000.00"
    assert target["year_to_date"] == "4100.00"
    assert target["monthly_needed"] is None  # no month is left after December


def test_the_forecast_stops_with_december_9999_and_says_so() -> None:
    result = run("forecast", "--json", "--as-of", "9999-06-30", str(FAR))
    months = [month["month"] for month in json.loads(result.stdout)["months"]]
    assert months == [f"9999-{number:02d}" for number in range(7, 13)]
    text = run("forecast", "--as-of", "9999-06-30", str(FAR)).output
    assert STOPS in " ".join(text.split())
    assert "10000-" not in text
    last = run("forecast", "--json", str(FAR))
    assert json.loads(last.stdout)["months"] == []
    assert STOPS not in " ".join(run("forecast", str(EXAMPLE)).output.split())


def test_a_client_and_its_what_if_on_the_last_days() -> None:
    result = run("client", str(FAR), "Bolt")
    assert result.exit_code == 0, result.output
    months = re.findall(r"^  (\d{4,5}-\d\d) ", result.stdout, re.MULTILINE)
    assert months == [f"9999-{number:02d}" for number in range(1, 13)]
    acme = run("client", str(FAR), "Acme")
    # 2014-02 to 9999-12, and not one month after it.
    assert "10000-01" not in acme.stdout
    assert acme.stdout.count("\n  9999-12 ") == 1
    assert run("what-if", str(FAR), "Bolt").exit_code == 0


@pytest.mark.parametrize(
    "command", ["report", "forecast", "pipeline", "invoices", "client"]
)
def test_the_example_ledger_as_of_the_last_day(command: str) -> None:
    extra = ["Dubois"] if command == "client" else []
    for output in ("", "--json"):
        args = [command, *([output] if output else []), "--as-of", "9999-12-31"]
        result = run(*args, str(EXAMPLE), *extra)
        assert result.exit_code == 0, result.output


# --- The plugin ----------------------------------------------------------------


def test_the_plugin_loads_the_last_days() -> None:
    entries, errors, _ = loader.load_file(str(FAR))
    assert errors == []
    assert max(entry.date for entry in entries) == LAST_DAY


# --- The Clients page ----------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Any:
    app = create_app([str(FAR)], load=True)
    app.testing = True
    return app.test_client()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?time=9999",
        "?time=9999-12",
        "?time=9999-06 - 9999-12",
        "?interval=day",
        "?interval=week",
        "?interval=quarter",
        "?client=Bolt",
        "?what_if=Bolt",
        "?forecast_without=Bolt",
        "?rows=all",
    ],
)
def test_the_page_reads_the_last_days(client: Any, query: str) -> None:
    response = client.get(PAGE + query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Bolt Industries" in body
    assert "10000" not in body
    assert len(body) < 100_000  # a tick every 500 years on the timeline


def test_the_page_says_the_forecast_stops(client: Any) -> None:
    body = client.get(PAGE + "?time=9999-06").get_data(as_text=True)
    assert STOPS in " ".join(body.split())


def test_the_endpoints_read_the_last_days(client: Any) -> None:
    report = client.get(PAGE + "report")
    assert report.status_code == 200
    assert report.get_json()["forecast"]["months"] == []
    what_if = client.get(PAGE + "what_if", query_string={"client": "Bolt"})
    assert what_if.status_code == 200


def test_the_timeline_keeps_its_ticks_few() -> None:
    # From 2014 to 9999: a tick every 500 years, not 7,985 ticks.
    assert _year_step(9999 - 2014) == 500
    assert _year_step(12) == 1
    assert _year_step(20) == 1
    assert (9999 - 2014) // _year_step(9999 - 2014) <= 20


def test_a_ceiling_far_above_the_pace_of_the_last_year(tmp_path: Path) -> None:
    # At 100 a year the ceiling of a million is crossed some 10,000 years later:
    # after the calendar's end, so not this year (it ended in an OverflowError).
    ledger = tmp_path / "ceilings.beancount"
    ledger.write_text(
        'option "operating_currency" "EUR"\n'
        "plugin \"beancount_freelance.plugin\" \"{'ceilings': [('Micro', 1000000)]}\"\n"
        "9999-01-01 open Assets:Bank\n"
        "9999-01-01 open Income:Clients:Acme\n"
        '9999-06-30 * "Acme" "Fee"\n'
        "  Assets:Bank  100.00 EUR\n"
        "  Income:Clients:Acme\n",
        encoding="utf-8",
    )
    _, errors, _ = loader.load_file(str(ledger))
    assert errors == []
    result = run("pipeline", "--json", str(ledger))
    assert result.exit_code == 0, result.output
    (ceiling,) = json.loads(result.stdout)["ceilings"]
    assert ceiling["projected_crossing"] is None
    assert ceiling["revenue"] == "100.00"


def test_a_loss_of_the_year_1_in_a_ledger_that_runs_to_9999(tmp_path: Path) -> None:
    # The replacement chart drew every month since the loss: 120,000 of them,
    # a page of 12 MB. It shows the ten years after the loss.
    lines = [
        'option "title" "Span"',
        'option "operating_currency" "EUR"',
        'plugin "beancount_freelance.plugin"',
        '0001-01-01 custom "fava-extension" "beancount_freelance.fava_extension"',
        "0001-01-01 open Assets:Bank EUR",
        "0001-01-01 open Income:Clients:Acme EUR",
        "0001-01-01 open Income:Clients:Bolt EUR",
    ]
    for month in (1, 2, 3):
        lines += [f'0001-0{month}-01 * "Acme" "Fee"', "  Assets:Bank  100.00 EUR"]
        lines.append("  Income:Clients:Acme")
    lines.append('0001-04-01 custom "client-lost" "Acme"')
    lines += ['9999-12-31 * "Bolt" "Fee"', "  Assets:Bank  100.00 EUR"]
    lines.append("  Income:Clients:Bolt")
    ledger = tmp_path / "span.beancount"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = create_app([str(ledger)], load=True, poll_watcher=True)
    app.testing = True
    response = app.test_client().get("/span/extension/FreelanceClients/")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Acme" in body and len(body) < 100_000
