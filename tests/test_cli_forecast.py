"""`bean-clients forecast` and the at-risk clients that open `bean-clients report`.

tests/data/fava/outlook.beancount, as of 2021-06-30 (its last transaction):

- Run rates, the last 3 months (2021-04 .. 06): Bianchi 3 x 500 / 3 = 500.00;
  Roux 3 x 150 / 3 = 150.00; Dubois 450 (04-09) + 450 (05-09) + 0 = 900 / 3 =
  300.00. Σ = 950.
- Retention over (2019-06-30, 2021-06-30]: Lefevre (lost 2020-05-20) and Mercier
  (dormant since 2020-02-15) ended: L = 2. Months: Bianchi 2020-01-28 -> as_of 17,
  Roux 2020-07-10 -> 11, Dubois 2020-09-11 -> 9, Lefevre 2019-06-30 -> 2020-05-20
  10, Mercier 2019-06-30 -> 2020-02-15 7: M = 54. r = 1 - 2/54 = 26/27 = 0.9630.
- One-off: Verdier 1800 + Petit 300 in 2020-07 .. 2021-06: 2100 / 12 = 175.00.
- Month 2021-07: 950 x 26/27 = 914.81, + 175 = 1089.81.
- Dubois every 30 days, last on 2021-05-09: 52 days silent > 1.5 x 30: at risk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from beancount_freelance.cli import main

OUTLOOK = Path(__file__).parent / "data" / "fava" / "outlook.beancount"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def run_json(*args: str | Path) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_forecast_json_by_hand() -> None:
    found = run_json("forecast", OUTLOOK)
    assert found["monthly_retention"] == 0.963
    assert found["retention_sample"] == {"ended": 2, "months": 54, "clients": 5}
    assert found["run_rates"] == {
        "Bianchi": "500.00",
        "Dubois": "300.00",
        "Roux": "150.00",
    }
    assert found["one_off_monthly"] == "175.00"
    assert found["months"][0] == {
        "month": "2021-07",
        "recurring": "914.81",
        "one_off": "175.00",
        "total": "1089.81",
    }
    assert found == run_json("report", OUTLOOK)["forecast"]


def test_forecast_table_and_sentences() -> None:
    result = run("forecast", OUTLOOK)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].split() == ["Month", "Recurring", "One-off", "Total"]
    assert lines[3].split() == ["2021-07", "914.81", "175.00", "1089.81"]
    assert len([line for line in lines if line.startswith("2022-")]) == 6
    text = " ".join(result.stdout.split())
    assert (
        "Monthly retention 96.3 %: 2 relationships ended in 54 months with 5 "
        "regular clients over the 24 months to 2021-06-30." in text
    )
    assert "One-off work: 175.00 EUR a month" in text
    # Durations 8 (Mercier, ended), 9, 11, 14 (Lefevre, ended), 17: S(8) = 4/5,
    # S(14) = 4/5 x 1/2 = 2/5 <= 1/2.
    assert (
        "Half of your regular relationships had ended by 14 months "
        "(5 relationships, 2 ended)." in text
    )


def test_forecast_without_a_client() -> None:
    without = run_json("forecast", OUTLOOK, "--without", "Bianchi")
    assert without["without"] == "Bianchi"
    assert without["monthly_retention"] == 0.963  # unchanged
    # (300 + 150) x 26/27 = 433.33
    assert without["months"][0]["recurring"] == "433.33"
    text = run("forecast", OUTLOOK, "--without", "Bianchi").stdout
    assert "without Bianchi Cycles" in text.splitlines()[0]
    assert "Without Bianchi Cycles, and everything else going on" in text


def test_forecast_without_an_unknown_or_irregular_client_is_an_error() -> None:
    unknown = run("forecast", OUTLOOK, "--without", "Dubios")
    assert unknown.exit_code == 2
    assert "did you mean 'Dubois'?" in unknown.stderr
    one_off = run("forecast", OUTLOOK, "--without", "Verdier")
    assert one_off.exit_code == 2
    assert "not an active recurring client" in one_off.stderr
    assert "those with one: Bianchi, Dubois, Roux." in one_off.stderr
    assert "Traceback" not in one_off.stderr


def test_the_report_opens_with_the_clients_at_risk() -> None:
    result = run("report", OUTLOOK)
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()[:2]
    assert first == "On 2021-06-30, one regular client is later than usual."
    assert second == (
        "  Dubois Immobilier usually brings revenue every 30 days; nothing for 52 days."
    )
    document = run_json("report", OUTLOOK)
    assert document["at_risk_clients"] == ["Dubois"]
    dubois = next(c for c in document["clients"] if c["id"] == "Dubois")
    assert (dubois["days_since_revenue"], dubois["at_risk"]) == (52, True)


def test_a_report_with_no_client_at_risk_opens_with_its_heading() -> None:
    # On 2021-06-20 Dubois is 42 days silent (2021-05-09 -> 06-20): not late yet.
    result = run("report", OUTLOOK, "--as-of", "2021-06-20")
    assert result.stdout.splitlines()[0] == (
        "Clients as of 2021-06-20, period all dates, amounts in EUR"
    )
