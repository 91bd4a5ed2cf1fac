"""`bean-clients hours`: the hours per client, as text and as JSON.

The example ledger keeps hours for three clients in 2017 (example_ledger/
time.beancount and Studio Huet's transfers): Dubois worked 130 hours (11 + 10 +
12 + 11 + 10 + 13 + 9 + 8 + 11 + 12 + 11 + 12) for 12 × 450 EUR, so
5400 / 130 = 41.54 EUR an hour; 2 of them written off in June and 2 of
December's not billed yet: 126 billed, 2 unbilled at its rate of 40 EUR.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from beancount_freelance.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "example_ledger" / "main.beancount"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--lang", "en", *args])
    return result.exit_code, result.stdout


def test_hours_as_json() -> None:
    code, out = run("hours", str(EXAMPLE), "--json")
    assert code == 0
    document = json.loads(out)
    dubois = next(c for c in document["clients"] if c["id"] == "Dubois")
    assert dubois["hours"]["worked_t12m"] == "130.00"
    assert dubois["hours"]["billed_t12m"] == "126.00"
    assert dubois["hours"]["unbilled_hours"] == "2.00"
    assert dubois["hours"]["unbilled_value"] == "80.00"
    assert dubois["hours"]["effective_rate_t12m"] == "41.54"
    assert document["hours"]["median_effective_rate_t12m"] is not None


def test_hours_as_text_follow_the_period_options() -> None:
    code, out = run("hours", str(EXAMPLE), "--from", "2017-07-01", "--to", "2017-12-31")
    assert code == 0
    assert out.startswith("Hours as of 2017-12-31, period from 2017-07-01 to 2017-12")
    dubois = next(line for line in out.splitlines() if line.startswith("Dubois"))
    # July to December: 9 + 8 + 11 + 12 + 11 + 12 = 63 worked, 61 billed.
    assert dubois.split()[2:4] == ["63.0", "61.0"]


def test_a_ledger_without_hours(tmp_path: Path) -> None:
    ledger = tmp_path / "plain.beancount"
    ledger.write_text(
        "2016-01-01 open Assets:Bank\n2016-01-01 open Income:Clients:Acme\n"
        '2016-01-10 * "Acme"\n  Assets:Bank  100 EUR\n  Income:Clients:Acme\n',
        encoding="utf-8",
    )
    code, out = run("hours", str(ledger))
    assert code == 0 and "The books record no hours" in out
    code, out = run("hours", str(ledger), "--json")
    assert json.loads(out)["hours"] is None


def test_a_bad_date_is_exit_code_2() -> None:
    result = CliRunner().invoke(main, ["hours", str(EXAMPLE), "--from", "2017-13-01"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_client_s_view_says_its_hours() -> None:
    code, out = run("client", str(EXAMPLE), "Dubois")
    said = (
        "Hours: 130.0 worked and 126.0 billed in the period, 2.0 unbilled; "
        "41.54 EUR an hour over the last 12 months (42.86 billed)."
    )
    assert code == 0 and said in " ".join(out.split())
    code, out = run("client", str(EXAMPLE), "Kinetica")
    assert code == 0 and "Hours:" not in out


def test_a_what_if_in_hours() -> None:
    """Were Dubois lost at the end of 2017: 130 hours in its 12-month window,
    10.83 a month, at 5400 / 130 = 41.54 EUR; the median of the others
    (Bianchi 35.95, Huet 35.00) is 35.475: 450 / 35.475 = 12.68… hours."""
    code, out = run("what-if", str(EXAMPLE), "Dubois", "--json")
    assert code == 0
    found = json.loads(out)
    assert found["hours_monthly"] == "10.83"
    assert found["rate"] == "41.54"
    assert found["hours_to_replace_at_median"] == "12.69"
    code, out = run("what-if", str(EXAMPLE), "Dubois")
    assert "12.7 hours of new work a month replace it." in " ".join(out.split())
