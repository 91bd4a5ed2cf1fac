"""One conversion for revenue and receivables: Beancount's price map.

docs/metrics.md ("Currencies") states the rule; each number here is checked by
hand in the comments.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

from beancount import loader
from click.testing import CliRunner

from beancount_freelance.cli import main
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.ledger.rates import Rates, rates_of
from beancount_freelance.core.report import analyse_report

D = Decimal

JANUARY_JUNE = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    2016-01-01 open Assets:Bank
    2016-01-01 open Assets:AccountsReceivable
    2016-01-01 open Income:Clients:Globex
    2016-01-15 price USD 0.9 EUR
    2016-06-15 price EUR 1.25 USD

    2016-07-01 * "Globex" "Invoice in dollars" ^usd-7
      Assets:AccountsReceivable      100.00 USD
      Income:Clients:Globex         -100.00 USD
    """
)


def test_one_rate_for_revenue_and_receivables_of_the_same_report() -> None:
    entries, errors, options = loader.load_string(JANUARY_JUNE)
    assert errors == []
    report = analyse_report(entries, options, as_of=datetime.date(2016, 7, 31))
    # The latest price on or before 1 July is June's, 1 EUR = 1.25 USD, so one
    # USD is 1 / 1.25 = 0.8 EUR (January's direct 0.9 is older): 80.00 EUR.
    (line,) = report.portfolio.lines
    assert line.revenue == D("80.00")
    (invoice,) = report.receivables.invoices
    assert invoice.rate == D("0.8")
    assert invoice.open == D("80.00")
    document = report_document(report)
    (client,) = document["clients"]
    assert client["revenue_total"] == "80.00"
    assert client["receivables"]["open"] == "80.00"


def test_a_posting_price_comes_before_the_ledgers() -> None:
    entries, _, options = loader.load_string(JANUARY_JUNE)
    rates = rates_of(entries, options)
    posting = entries[-1].postings[0]._replace(price=None)
    priced = posting._replace(
        price=posting.units._replace(number=D("0.95"), currency="EUR")
    )
    july = datetime.date(2016, 7, 1)
    assert rates.posting_rate(posting, "EUR", july) == D("0.8")
    assert rates.posting_rate(priced, "EUR", july) == D("0.95")
    # Before any price: no rate. The same question is answered from the memo.
    assert rates.rate("USD", "EUR", datetime.date(2016, 1, 1)) is None
    assert rates.rate("USD", "EUR", july) is rates.rate("USD", "EUR", july)


def test_money_and_pseudo_commodities() -> None:
    entries, _, options = loader.load_string(
        JANUARY_JUNE
        + textwrap.dedent(
            """\
            2016-01-01 open Assets:Vacation
            2016-01-01 open Income:Vacation
            2016-08-01 * "Hours"
              Assets:Receivable:Acme    7 XYZ.WORK_HOUR @ 300 USD
              Income:Clients:Globex
            2016-08-01 * "Vacation"
              Assets:Vacation    5 VACHR
              Income:Vacation
            """
        )
    )
    rates = rates_of(entries, options)
    assert [rates.is_money(c) for c in ("EUR", "USD", "GBP")] == [True] * 3
    # Hours are priced (`@ 300 USD`) but are no money; VACHR is neither.
    assert (rates.is_money("XYZ.WORK_HOUR"), rates.is_priced("XYZ.WORK_HOUR")) == (
        False,
        True,
    )
    assert (rates.is_money("VACHR"), rates.is_priced("VACHR")) == (False, False)
    assert Rates([]).rate("EUR", "EUR", datetime.date(2016, 1, 1)) == 1


# Both amounts written out: Beancount's own interpolation cannot fill in a
# number this large.
HUGE = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    2016-01-01 open Assets:Bank
    2016-01-01 open Assets:AccountsReceivable
    2016-01-01 open Income:Clients:Acme

    2016-03-01 * "Acme" "Invoice of 10^26" ^huge
      Assets:AccountsReceivable   100000000000000000000000000.00 EUR
      Income:Clients:Acme        -100000000000000000000000000.00 EUR
    """
)


def test_a_huge_invoice_gives_a_clear_report_and_invoice_list(tmp_path: Path) -> None:
    path = tmp_path / "huge.beancount"
    path.write_text(HUGE, encoding="utf-8")
    runner = CliRunner()
    for command in ("report", "invoices"):
        result = runner.invoke(main, [command, str(path), "--as-of", "2016-06-30"])
        assert result.exit_code == 0, result.output
        assert result.exception is None
        assert "100000000000000000000000000.00" in result.stdout
        printed = runner.invoke(
            main, [command, str(path), "--as-of", "2016-06-30", "--json"]
        )
        assert printed.exit_code == 0, printed.output
        document = json.loads(printed.stdout)
        (overdue,) = document["overdue_invoices"]
        assert overdue["open"] == "100000000000000000000000000.00"


def test_a_huge_invoice_in_a_real_process(tmp_path: Path) -> None:
    """As a user runs it: no traceback on stderr."""
    path = tmp_path / "huge.beancount"
    path.write_text(HUGE, encoding="utf-8")
    command = Path(sys.executable).parent / "bean-clients"
    for name in ("report", "invoices"):
        done = subprocess.run(
            [str(command), name, str(path)],
            capture_output=True,
            text=True,
            check=False,
            env={"BEANCOUNT_DISABLE_LOAD_CACHE": "1", "PATH": "/usr/bin:/bin"},
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
