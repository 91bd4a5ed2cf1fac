"""`bean-clients movements`: the bridge, so far, retention and cohorts as text
and as JSON, in English and French; a bad option is one message and exit code 2.

The ledger is tests/test_movements.py's, whose numbers are worked there by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_movements import LEDGER

from beancount_freelance.cli.commands import main


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = Path(tmp_path_factory.mktemp("movements")) / "ledger.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def run(*args: Any) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], env={"LANG": "C"})


def test_the_text_bridges_each_quarter(ledger: Path) -> None:
    result = run("movements", ledger, "--from", "2016-01-01", "--as-of", "2016-10-15")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Revenue movements by quarter as of 2016-10-15 (EUR)"
    q3 = next(line for line in lines if line.startswith("2016-Q3 "))
    # Start, new, returned, expansion, contraction, lost, adjustment, end, replaced.
    assert q3.split() == [
        "2016-Q3",
        "2300.00",
        "0.00",
        "600.00",
        "0.00",
        "0.00",
        "-2400.00",
        "100.00",
        "600.00",
        "25",
        "%",
    ]
    assert "2016-Q3  Returned: Beta; Lost: Acme, Dune; Adjustment: Cyan" in lines
    assert "So far in 2016-Q4 (through 2016-10-15): 200.00" in lines
    assert "New clients brought 72 % of this year's revenue." in lines
    cohort = next(line for line in lines if line.startswith("2015 "))
    assert cohort.split() == ["2015", "2", "2800.00", "3800.00"]


def test_the_text_in_french(ledger: Path) -> None:
    result = run(
        "--lang",
        "fr",
        "movements",
        ledger,
        "--from",
        "2016-01-01",
        "--as-of",
        "2016-10-15",
    )
    assert result.exit_code == 0, result.output
    assert "Mouvements du chiffre d’affaires par trimestre au 2016-10-15" in (
        result.stdout
    )
    assert "2016-Q3  Retours : Beta ; Perdus : Acme, Dune ; Ajustement : Cyan" in (
        result.stdout.splitlines()
    )
    assert "Les nouveaux clients ont apporté 72 %" in result.stdout


def test_json_by_quarter_and_by_month(ledger: Path) -> None:
    result = run("movements", ledger, "--as-of", "2016-10-15", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == [
        "as_of",
        "currency",
        "period",
        "movements",
        "cohorts",
        "warnings",
    ]
    report = json.loads(run("report", ledger, "--as-of", "2016-10-15", "--json").stdout)
    assert document["movements"] == report["movements"]
    assert document["cohorts"] == report["cohorts"]
    monthly = run(
        "movements",
        ledger,
        "--from",
        "2016-05-01",
        "--as-of",
        "2016-06-30",
        "--json",
        "--by",
        "month",
    )
    movements = json.loads(monthly.stdout)["movements"]
    assert movements["by"] == "month"
    assert [p["period"] for p in movements["periods"]] == ["2016-05", "2016-06"]
    assert movements["periods"][1]["lost"] == "1600.00"
    assert movements["so_far"] is None


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--by", "week"], "'week' is not one of 'quarter', 'month'"),
        (["--from", "2016-05-01", "--to", "2016-01-01"], "swap them"),
        (["--as-of", "2016-13-01"], "is not a date"),
        (["--currency", "XYZ"], "XYZ"),
    ],
)
def test_a_bad_option_is_one_message(ledger: Path, args: list[str], said: str) -> None:
    result = run("movements", ledger, *args)
    assert result.exit_code == 2
    assert said in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_ledger_is_one_message() -> None:
    result = run("movements", "/nowhere/ledger.beancount")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_ledger_without_revenue_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.beancount"
    path.write_text(
        'option "operating_currency" "EUR"\n2016-01-01 open Assets:Bank\n',
        encoding="utf-8",
    )
    result = run("movements", path, "--from", "2016-01-01", "--as-of", "2016-05-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "No complete period to bridge." in lines
    assert "So far in 2016-Q2 (through 2016-05-10): 0.00" in lines
    assert "No revenue in the last twelve months." in lines
    assert "No cohort: no client has brought revenue yet." in lines
