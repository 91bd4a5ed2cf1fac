"""`bean-clients` on real ledgers: text, JSON, options and every error case.

The ledger below is small enough to check by hand. As of 2016-06-30:

- Lefevre paid 300 EUR on the 5th of each month of 2015 (12 payments, 3600.00) and
  was lost on 2015-12-29; trailing 12 months (2015-07-01 to 2016-06-30): Jul-Dec,
  6 x 300 = 1800.00.
- Mercier pays 200 EUR on the 10th, 2015-07-10 to 2016-06-10 (12 payments,
  2400.00, all in the trailing 12 months).
- Roux pays 150 EUR on the 15th, 2016-03-15 to 2016-06-15 (4 payments, 600.00).
- Trailing 12 months: 1800 + 2400 + 600 = 4800; shares Mercier 0.5, Lefevre 0.375,
  Roux 0.125; HHI = 50² + 37.5² + 12.5² = 2500 + 1406.25 + 156.25 = 4062.5
  (4063 rounded half up), effective clients 10000 / 4062.5 = 2.46.
- Lefevre's replacement: window 2015-01..2015-12 (12 months): 3600 / 12 = 300.00 a
  month; all clients in the window 3600 + 6 x 200 = 4800, share 0.75. Reference
  clients (first revenue in the 24 months before 2015-12-29, Lefevre excepted):
  Mercier, first year 2015-07..2016-06 = 2400 / 12 = 200.00; needed ceil(300 / 200)
  = 2. Signed in those 24 months: Lefevre and Mercier = 2, over min(24, 2015-01..
  2015-12 = 12) months: 1 every 6 months, 2 / (2 / 12) = 12 months. Since then:
  Roux, its last 3 months (Apr-Jun 2016) 450 / 3 = 150.00, 150 / 300 = 50 %.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from click.testing import CliRunner, Result

from beancount_freelance.cli import main
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_ledger" / "main.beancount"


def payments(client: str, amount: str, day: int, months: list[str]) -> str:
    return "".join(
        f"""
{month}-{day:02d} * "Payment from {client}"
  Assets:Bank                 {amount} EUR
  Income:Clients:{client}    -{amount} EUR
"""
        for month in months
    )


LEDGER = (
    textwrap.dedent(
        """\
        option "operating_currency" "EUR"
        plugin "beancount_freelance.plugin"

        2015-01-01 open Assets:Bank
        2015-01-01 open Income:Clients:Lefevre
        2015-01-01 open Income:Clients:Mercier
        2015-01-01 open Income:Clients:Roux
        2015-01-01 price EUR 1.10 USD

        2015-01-01 custom "client" "Lefevre" "Cabinet Lefèvre Avocats"
        2015-12-29 custom "client-lost" "Lefevre" "Restructuring; moving to an agency"
        """
    )
    + payments("Lefevre", "300.00", 5, [f"2015-{m:02d}" for m in range(1, 13)])
    + payments(
        "Mercier",
        "200.00",
        10,
        [f"2015-{m:02d}" for m in range(7, 13)]
        + [f"2016-{m:02d}" for m in range(1, 7)],
    )
    + payments("Roux", "150.00", 15, ["2016-03", "2016-04", "2016-05", "2016-06"])
)


@pytest.fixture(autouse=True)
def _no_pickle_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    path = tmp_path / "books.beancount"
    path.write_text(LEDGER, encoding="utf-8")
    return path


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def run_json(*args: str | Path) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def clients_of(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {client["id"]: client for client in document["clients"]}


def error_of(result: Result) -> str:
    """The one message of a failed command: exit code 2, stderr only, no trace."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


# --- report ---------------------------------------------------------------------


def test_report_json_is_exactly_the_document(ledger: Path) -> None:
    printed = run_json("report", ledger, "--as-of", "2016-06-30")
    entries, _, options_map = loader.load_file(str(ledger))
    expected = report_document(
        analyse_report(entries, options_map, as_of=datetime.date(2016, 6, 30))
    )
    assert printed == expected
    assert list(printed) == list(expected)  # in the contract's key order
    assert printed["overdue_invoices"] == []  # no invoice in this ledger
    clients = clients_of(printed)
    assert clients["Roux"]["receivables"] == {
        "invoices": 0,
        "paid": 0,
        "paid_on_time_share": None,
        "days_to_pay_avg": None,
        "days_to_pay_median": None,
        "open": "0.00",
        "overdue": "0.00",
        "aging": dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), "0.00"),
        "last_paid": None,  # no receivable
    }
    assert [c["id"] for c in printed["clients"]] == ["Mercier", "Lefevre", "Roux"]
    assert clients["Lefevre"]["name"] == "Cabinet Lefèvre Avocats"
    assert clients["Lefevre"]["status"] == "lost"
    assert clients["Lefevre"]["revenue_total"] == "3600.00"
    assert clients["Lefevre"]["revenue_t12m"] == "1800.00"
    assert clients["Mercier"]["share_t12m"] == 0.5
    assert printed["concentration"]["hhi"] == 4063
    assert printed["concentration"]["effective_clients"] == 2.46
    [lefevre] = printed["replacements"]
    assert lefevre["monthly_lost"] == "300.00"
    assert lefevre["share_at_end"] == 0.75
    assert lefevre["new_client_monthly"] == "200.00"
    assert lefevre["clients_needed"] == 2
    assert lefevre["months_to_replace"] == 12.0
    assert lefevre["replaced_share"] == 0.5


def test_report_json_keeps_accents_and_indents(ledger: Path) -> None:
    result = run("report", ledger, "--json")
    assert '"name": "Cabinet Lefèvre Avocats"' in result.stdout
    assert result.stdout.startswith('{\n  "as_of": ')


def test_report_text(ledger: Path) -> None:
    result = run("report", ledger, "--as-of", "2016-06-30")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == ("Clients as of 2016-06-30, period all dates, amounts in EUR")
    header = lines[2]
    rows = {line.split()[0]: line for line in lines[3:7]}
    assert list(rows) == ["Mercier", "Lefevre", "Roux", "Total"]
    assert rows["Lefevre"].split()[1:8] == [
        "Cabinet",
        "Lefèvre",
        "Avocats",
        "lost",
        "2015-01-05",
        "2015-12-29",
        "11",
    ]
    # Amounts right-aligned under their headers.
    end = header.index("12 months") + len("12 months")
    assert [rows[c][end - 7 : end] for c in ("Mercier", "Lefevre", "Total")] == [
        "2400.00",
        "1800.00",
        "4800.00",
    ]
    end = header.index("Share") + len("Share")
    assert rows["Roux"][end - 6 : end] == "12.5 %"
    text = " ".join(line.strip() for line in lines)
    assert (
        "Concentration (trailing 12 months): HHI 4063, 2.46 effective clients, "
        "top client 50.0 %, top 3 100.0 %." in text
    )
    assert "Lefevre, lost on 2015-12-29 (Restructuring; moving to an agency):" in text
    assert (
        "Lefevre brought 300.00 EUR a month (75 % of your income). New clients of "
        "your usual size bring 200.00 EUR: you need 2. You signed about one every 6 "
        "months, so expect about 12 months. Since then you have replaced 50 %."
    ) in text


def test_from_and_to_choose_the_period_and_as_of(ledger: Path) -> None:
    printed = run_json("report", ledger, "--from", "2016-01-01", "--to", "2016-03-31")
    assert printed["as_of"] == "2016-03-31"  # --to, when --as-of is not given
    assert printed["period"] == {"start": "2016-01-01", "end": "2016-03-31"}
    clients = clients_of(printed)
    # Jan, Feb, Mar 2016 at 200; Roux once on 2016-03-15.
    assert clients["Mercier"]["revenue_period"] == "600.00"
    assert clients["Mercier"]["monthly"] == {
        "2016-01": "200.00",
        "2016-02": "200.00",
        "2016-03": "200.00",
    }
    assert clients["Roux"]["revenue_period"] == "150.00"
    assert clients["Lefevre"]["revenue_period"] == "0.00"
    # Trailing 12 months from 2016-03-31: Lefevre Apr-Dec 2015 = 9 x 300.
    assert clients["Lefevre"]["revenue_t12m"] == "2700.00"
    # Lefevre ended before the period: no replacement in it.
    assert printed["replacements"] == []
    widened = run_json("report", ledger, "--from", "2015-10-01", "--to", "2016-03-31")
    assert [r["client"] for r in widened["replacements"]] == ["Lefevre"]


def test_as_of_moves_the_lifecycle(ledger: Path) -> None:
    clients = clients_of(run_json("report", ledger, "--as-of", "2015-06-30"))
    assert clients["Lefevre"]["status"] == "active"  # lost on 2015-12-29
    assert clients["Mercier"]["status"] == "prospect"  # first paid 2015-07-10
    assert clients["Lefevre"]["revenue_total"] == "1800.00"  # Jan-Jun 2015


def test_default_as_of_is_the_last_entry(ledger: Path) -> None:
    assert run_json("report", ledger)["as_of"] == "2016-06-15"


def test_currency_converts_with_the_price(ledger: Path) -> None:
    printed = run_json("report", ledger, "--as-of", "2016-06-30", "--currency", "USD")
    assert printed["currency"] == "USD"
    assert clients_of(printed)["Mercier"]["revenue_total"] == "2640.00"  # 2400 x 1.1
    text = run("report", ledger, "--as-of", "2016-06-30", "--currency", "USD").stdout
    assert "amounts in USD" in text
    assert "Lefevre brought 330.00 USD a month" in " ".join(text.split())


def test_unconvertible_amounts_are_warned_on_stderr_with_file_and_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "gbp.beancount"
    path.write_text(
        textwrap.dedent(
            """\
            option "operating_currency" "EUR"
            2016-01-01 open Assets:Bank
            2016-01-01 open Income:Clients:Acme

            2016-02-01 * "Acme"
              Assets:Bank             100.00 EUR
              Income:Clients:Acme    -100.00 EUR

            2016-03-01 * "Acme, in pounds"
              Assets:Bank              80.00 GBP
              Income:Clients:Acme     -80.00 GBP
            """
        ),
        encoding="utf-8",
    )
    result = run("report", path)
    assert result.exit_code == 0, result.output
    assert "Acme" in result.stdout
    assert f"{path}:11: " in result.stderr  # the GBP posting's line
    assert "Cannot convert" in result.stderr
    printed = run_json("report", path)
    assert printed["warnings"] == [line for line in result.stderr.splitlines()]


def test_many_warnings_are_cut_short_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "pounds.beancount"
    path.write_text(
        'option "operating_currency" "EUR"\n'
        "2016-01-01 open Assets:Bank\n"
        "2016-01-01 open Income:Clients:Acme\n"
        + payments("Acme", "10.00", 1, [f"2016-{m:02d}" for m in range(1, 4)])
        # One warning per account left unconverted: 25 clients paid in pounds.
        + "".join(
            f"2016-01-01 open Income:Clients:Client{day}\n" for day in range(1, 26)
        )
        + "".join(
            f'2016-04-{day:02d} * "Client{day}, in pounds"\n'
            "  Assets:Bank  10.00 GBP\n"
            f"  Income:Clients:Client{day}  -10.00 GBP\n"
            for day in range(1, 26)
        ),
        encoding="utf-8",
    )
    result = run("report", path)
    assert result.exit_code == 0, result.output
    warned = result.stderr.splitlines()
    assert len(warned) == 21  # 20 of the 25, then how many more
    assert all("Cannot convert -10.00 GBP to EUR" in line for line in warned[:20])
    assert warned[20] == (
        '... and 5 more warnings (--json lists them all under "warnings").'
    )
    assert len(run_json("report", path)["warnings"]) == 25


def test_a_currency_nothing_converts_to(tmp_path: Path) -> None:
    path = tmp_path / "no-prices.beancount"
    path.write_text(
        'option "operating_currency" "EUR"\n'
        "2016-01-01 commodity GBP\n"
        "2016-01-01 open Assets:Bank\n"
        "2016-01-01 open Income:Clients:Acme\n"
        + payments("Acme", "10.00", 1, ["2016-01", "2016-02"]),
        encoding="utf-8",
    )
    message = error_of(run("report", path, "--currency", "GBP"))
    assert message == (
        "Error: No income amount converts to GBP: the ledger has no price between "
        "it and the currencies of your income up to 2016-02-01; add `price` "
        "directives or choose another currency.\n"
    )


def test_load_errors_print_as_bean_check_and_the_report_still_prints(
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.beancount"
    path.write_text(
        LEDGER
        + textwrap.dedent(
            """
            2016-06-20 * "Typo in the account"
              Assets:Bank              50.00 EUR
              Income:Clients:Mercer   -50.00 EUR
            """
        ),
        encoding="utf-8",
    )
    result = run("report", path, "--as-of", "2016-06-30")
    assert result.exit_code == 0, result.output
    assert f"{path}:" in result.stderr
    assert "Income:Clients:Mercer" in result.stderr
    assert "Concentration" in result.stdout


# --- client ---------------------------------------------------------------------


def test_client_text(ledger: Path) -> None:
    result = run("client", ledger, "Lefevre", "--as-of", "2016-06-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].split()[:3] == ["Id", "Name", "Status"]
    assert lines[3].split()[:5] == ["Lefevre", "Cabinet", "Lefèvre", "Avocats", "lost"]
    at = lines.index("Events:")
    assert lines[at + 1] == "  2015-12-29  lost  Restructuring; moving to an agency"
    at = lines.index("Monthly revenue (all dates):")
    months = [line.split()[:2] for line in lines[at + 1 : at + 13]]
    assert months == [[f"2015-{m:02d}", "300.00"] for m in range(1, 13)]
    assert "Replacement: Lefevre, lost on 2015-12-29" in result.stdout


def test_client_json(ledger: Path) -> None:
    printed = run_json("client", ledger, "Lefevre", "--as-of", "2016-06-30")
    whole = run_json("report", ledger, "--as-of", "2016-06-30")
    assert printed == {
        "as_of": "2016-06-30",
        "currency": "EUR",
        "period": {"start": None, "end": None},
        "client": clients_of(whole)["Lefevre"],
        "replacement": whole["replacements"][0],
        "overdue_invoices": [],
        "warnings": [],
    }
    active = run_json("client", ledger, "Mercier", "--as-of", "2016-06-30")
    assert active["replacement"] is None
    assert active["client"]["revenue_total"] == "2400.00"


def test_client_with_period_and_currency(ledger: Path) -> None:
    printed = run_json(
        "client", ledger, "Mercier", "--from", "2016-01-01", "--currency", "USD"
    )
    assert printed["client"]["revenue_period"] == "1320.00"  # 6 x 200 x 1.1
    assert printed["period"] == {"start": "2016-01-01", "end": None}


def test_unknown_client_suggests_the_closest(ledger: Path) -> None:
    message = error_of(run("client", ledger, "Mercer"))
    assert message == "Error: Unknown client 'Mercer'; did you mean 'Mercier'?\n"
    message = error_of(run("what-if", ledger, "lefevre"))
    assert "did you mean 'Lefevre'?" in message
    message = error_of(run("client", ledger, "Zzz"))
    assert "known clients: Lefevre, Mercier, Roux." in message


# --- what-if --------------------------------------------------------------------


def test_what_if_text(ledger: Path) -> None:
    # Mercier: 2015-07..2016-06 = 2400 / 12 = 200.00, of 4800 in that window (50 %).
    # Reference: Lefevre 3600 / 12 = 300 and Roux 600 / 4 = 150, mean 225.00, so
    # ceil(200 / 225) = 1. Signed: 3 in min(24, 2015-01..2016-06 = 18) months, one
    # every 6 months, 1 / (3 / 18) = 6 months.
    result = run("what-if", ledger, "Mercier", "--as-of", "2016-06-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "If Mercier left on 2016-06-30:"
    assert " ".join(line.strip() for line in lines[1:]) == (
        "Mercier brings 200.00 EUR a month (50 % of your income). New clients of your "
        "usual size bring 225.00 EUR: you would need 1. You signed about one every 6 "
        "months, so expect about 6 months."
    )


def test_what_if_json_is_one_replacement_object(ledger: Path) -> None:
    printed = run_json("what-if", ledger, "Mercier", "--as-of", "2016-06-30")
    assert printed["client"] == "Mercier"
    assert printed["ended"] == "2016-06-30"
    assert printed["reason"] == "what-if"
    assert printed["monthly_lost"] == "200.00"
    assert printed["new_client_monthly"] == "225.00"
    assert printed["clients_needed"] == 1
    assert printed["months_to_replace"] == 6.0
    contract = set(run_json("report", ledger)["replacements"][0])
    assert contract <= set(printed)


def test_what_if_needs_an_active_client(ledger: Path) -> None:
    message = error_of(run("what-if", ledger, "Lefevre", "--as-of", "2016-06-30"))
    assert message == (
        "Error: Client 'Lefevre' is lost as of 2016-06-30; what-if asks about an "
        "active client: Mercier, Roux.\n"
    )


# --- errors ---------------------------------------------------------------------


def test_missing_ledger(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.beancount"
    for args in (
        ["report", missing],
        ["client", missing, "X"],
        ["what-if", missing, "X"],
    ):
        message = error_of(run(*args))
        assert message == f"Error: Ledger '{missing}' does not exist.\n"
    assert "is a directory" in error_of(run("report", tmp_path))


def test_bad_dates(ledger: Path) -> None:
    for option in ("--as-of", "--from", "--to"):
        message = error_of(run("report", ledger, option, "2016-13-01"))
        assert f"Invalid value for '{option}'" in message
        assert "'2016-13-01' is not a date" in message
        assert "write YYYY-MM-DD" in message
    assert "is not a date" in error_of(run("what-if", ledger, "Roux", "--as-of", "x"))
    message = error_of(
        run("report", ledger, "--from", "2016-06-01", "--to", "2016-01-01")
    )
    assert message == "Error: --from 2016-06-01 is after --to 2016-01-01; swap them.\n"


def test_unknown_currency(ledger: Path) -> None:
    message = error_of(run("report", ledger, "--currency", "XYZ"))
    assert message == (
        "Error: Unknown currency 'XYZ': the ledger has no amount or price in it, so "
        "nothing can be converted to it; known: EUR, USD.\n"
    )
    assert "Unknown currency" in error_of(
        run("client", ledger, "Roux", "--currency", "eur")
    )


# --- the installed console script -------------------------------------------------


def _console_script() -> str | None:
    beside = Path(sys.executable).parent / "bean-clients"
    return str(beside) if beside.exists() else shutil.which("bean-clients")


@pytest.mark.skipif(not EXAMPLE.exists(), reason="example_ledger/main.beancount absent")
@pytest.mark.skipif(_console_script() is None, reason="bean-clients is not installed")
def test_console_script_on_the_example_ledger() -> None:
    script = _console_script()
    assert script is not None
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    done = subprocess.run(
        [script, "report", str(EXAMPLE), "--as-of", "2016-06-30", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    for key in (
        "as_of",
        "currency",
        "period",
        "clients",
        "totals",
        "concentration",
        "replacements",
        "warnings",
    ):
        assert key in printed
    assert "Lefevre" in [r["client"] for r in printed["replacements"]]
    text = subprocess.run(
        [script, "report", str(EXAMPLE), "--as-of", "2016-06-30"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert text.returncode == 0, text.stderr
    assert "Lefevre brought 300.00 EUR a month" in " ".join(text.stdout.split())
    bad = subprocess.run(
        [script, "client", str(EXAMPLE), "Lefvre"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr == "Error: Unknown client 'Lefvre'; did you mean 'Lefevre'?\n"


# --- invoices -------------------------------------------------------------------

# As of 2016-04-10: invoice-001 (2016-01-31, due +30 days = 2016-03-01) paid on
# 2016-02-20, 20 days, on time; invoice-002 due 2016-03-15 (its `due:`), open, 26
# days late (bucket 1-30); invoice-003 due 2016-04-30, open and current.
INVOICES = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    2016-01-01 open Assets:Bank
    2016-01-01 open Assets:AccountsReceivable
    2016-01-01 open Income:Clients:Dubois

    2016-01-31 * "Dubois Immobilier" "January" ^invoice-001
      Assets:AccountsReceivable   400.00 EUR
      Income:Clients:Dubois      -400.00 EUR

    2016-02-20 * "Dubois Immobilier" "Payment" ^invoice-001
      Assets:Bank                 400.00 EUR
      Assets:AccountsReceivable  -400.00 EUR

    2016-02-29 * "Dubois Immobilier" "February" ^invoice-002
      due: 2016-03-15
      Assets:AccountsReceivable   400.00 EUR
      Income:Clients:Dubois      -400.00 EUR

    2016-03-31 * "Dubois Immobilier" "March" ^invoice-003
      Assets:AccountsReceivable   400.00 EUR
      Income:Clients:Dubois      -400.00 EUR
    """
)


@pytest.fixture
def invoice_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "invoices.beancount"
    path.write_text(INVOICES, encoding="utf-8")
    return path


def test_invoices_json(invoice_ledger: Path) -> None:
    printed = run_json("invoices", invoice_ledger, "--as-of", "2016-04-10")
    assert list(printed) == [
        "as_of",
        "currency",
        "overdue_invoices",
        "clients",
        "invoices",
        "unapplied_credits",
        "warnings",
    ]
    assert printed["overdue_invoices"] == [
        {
            "client": "Dubois",
            "link": "invoice-002",
            "date": "2016-02-29",
            "due": "2016-03-15",
            "days_late": 26,
            "open": "400.00",
            "account": "Assets:AccountsReceivable",
            "narration": "February",
        }
    ]
    dubois = printed["clients"]["Dubois"]
    assert (dubois["invoices"], dubois["paid"]) == (3, 1)
    assert dubois["paid_on_time_share"] == 1.0
    assert dubois["days_to_pay_avg"] == 20
    assert (dubois["open"], dubois["overdue"]) == ("800.00", "400.00")
    assert dubois["aging"] == {
        "current": "400.00",
        "1-30": "400.00",
        "31-60": "0.00",
        "61-90": "0.00",
        "90+": "0.00",
    }
    assert [i["status"] for i in printed["invoices"]] == ["paid", "overdue", "open"]
    only = run_json("invoices", invoice_ledger, "--as-of", "2016-04-10", "--overdue")
    assert only == {
        "as_of": "2016-04-10",
        "currency": "EUR",
        "overdue_invoices": printed["overdue_invoices"],
        "warnings": [],
    }


def test_invoices_text(invoice_ledger: Path) -> None:
    result = run("invoices", invoice_ledger, "--as-of", "2016-04-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Invoices as of 2016-04-10, open amounts in EUR"
    at = lines.index("Overdue invoices, most days late first:")
    assert lines[at + 2].split() == [
        "Dubois",
        "invoice-002",
        "2016-02-29",
        "2016-03-15",
        "26",
        "400.00",
    ]
    at = next(i for i, line in enumerate(lines) if line.startswith("Per client"))
    # Client, invoices, paid, on time, avg and median days, open, overdue, aging.
    assert lines[at + 2].split() == [
        *["Dubois", "3", "1", "100.0", "%", "20", "20", "800.00", "400.00"],
        *["400.00", "400.00", "0.00", "0.00", "0.00"],
    ]  # fmt: skip
    assert len([line for line in lines if "invoice-00" in line]) == 4  # 1 + 3
    overdue = run("invoices", invoice_ledger, "--as-of", "2016-04-10", "--overdue")
    assert "Per client" not in overdue.stdout
    assert "invoice-002" in overdue.stdout
    early = run("invoices", invoice_ledger, "--as-of", "2016-03-10", "--overdue")
    assert "No overdue invoice." in early.stdout


def test_invoices_errors(invoice_ledger: Path, tmp_path: Path) -> None:
    assert "is not a date" in error_of(
        run("invoices", invoice_ledger, "--as-of", "2016-02-30")
    )
    assert "Unknown currency 'GBP'" in error_of(
        run("invoices", invoice_ledger, "--currency", "GBP")
    )
    assert "does not exist" in error_of(run("invoices", tmp_path / "none"))


def test_report_json_has_the_receivables_of_invoices(invoice_ledger: Path) -> None:
    """`report` and `invoices` print the same receivables: one core computes them."""
    report = run_json("report", invoice_ledger, "--as-of", "2016-04-10")
    found = run_json("invoices", invoice_ledger, "--as-of", "2016-04-10")
    assert report["overdue_invoices"] == found["overdue_invoices"]
    assert [i["link"] for i in report["overdue_invoices"]] == ["invoice-002"]
    (dubois,) = report["clients"]
    assert dubois["receivables"] == found["clients"]["Dubois"]
    assert (dubois["receivables"]["open"], dubois["receivables"]["overdue"]) == (
        "800.00",
        "400.00",
    )
    assert list(report)[-3:] == ["overdue_invoices", "unapplied_credits", "warnings"]
    # The period does not narrow the receivables; its end is their as_of.
    early = run_json(
        "report", invoice_ledger, "--from", "2016-03-01", "--to", "2016-03-10"
    )
    assert early["overdue_invoices"] == []  # invoice-002 is due on 2016-03-15
    assert early["clients"][0]["receivables"]["invoices"] == 2  # 003 not issued yet


def test_report_text_lists_overdue_invoices_then_days_to_pay(
    invoice_ledger: Path,
) -> None:
    result = run("report", invoice_ledger, "--as-of", "2016-04-10")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("Overdue invoices, most days late first:")
    assert lines.index("Replacements: no client lost or gone quiet in the period.") < at
    assert lines[at + 2].split() == [
        *["Dubois", "invoice-002", "2016-02-29", "2016-03-15", "26", "400.00"],
    ]  # fmt: skip
    at = lines.index(
        "Per client (days to pay from invoice to payment; open and overdue amounts):"
    )
    # Client, invoices, paid, on time, avg and median days, open, overdue: no aging.
    assert lines[at + 1].split()[-2:] == ["Open", "Overdue"]
    assert lines[at + 2].split() == [
        *["Dubois", "3", "1", "100.0", "%", "20", "20", "800.00", "400.00"],
    ]  # fmt: skip


def test_report_text_without_invoices_says_so(ledger: Path) -> None:
    result = run("report", ledger, "--as-of", "2016-06-30")
    lines = result.stdout.splitlines()
    assert lines[-3:] == [
        "No overdue invoice.",
        "",
        "No invoice: no transaction books revenue against a receivable.",
    ]


def test_client_shows_its_invoices(invoice_ledger: Path) -> None:
    printed = run_json("client", invoice_ledger, "Dubois", "--as-of", "2016-04-10")
    assert printed["client"]["receivables"]["invoices"] == 3
    assert [i["link"] for i in printed["overdue_invoices"]] == ["invoice-002"]
    result = run("client", invoice_ledger, "Dubois", "--as-of", "2016-04-10")
    text = " ".join(result.stdout.split())
    assert (
        "Invoices: 3 issued, 1 paid in 20 days on average (20 median), 100.0 % on "
        "time; open 800.00 EUR, overdue 400.00 EUR."
    ) in text
    assert "invoice-002 2016-02-29 2016-03-15 26 400.00" in text
