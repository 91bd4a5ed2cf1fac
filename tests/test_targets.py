"""Income targets from Fava's budgets: progress for the period and the pace needed."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap
from typing import Any

from beancount import loader

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report
from beancount_freelance.text.plan_sentences import target_sentences

D = datetime.date
AS_OF = D(2016, 6, 30)

# 2016 has 366 days. Income:Clients: 12000 a year; Lefevre, below it: 300 a month.
# Revenue: Lefevre 300 a month January to June, Acme 500 on 2016-03-10, and 10 of
# interest (no budget: not in any target).
LEDGER = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2016-01-01 open Assets:Bank
2016-01-01 open Income:Clients:Lefevre
2016-01-01 open Income:Clients:Acme
2016-01-01 open Income:Interest
2016-01-01 open Expenses:Software
2016-01-01 custom "budget" Income:Clients "yearly" 12000.00 EUR
2016-01-01 custom "budget" Income:Clients:Lefevre "monthly" 300.00 EUR
2016-01-01 custom "budget" Expenses:Software "monthly" 50.00 EUR
2016-03-10 * "Acme"
  Assets:Bank  500.00 EUR
  Income:Clients:Acme
2016-03-31 * "Bank" "Interest"
  Assets:Bank  10.00 EUR
  Income:Interest
{lefevre}
"""
LEFEVRE = "\n".join(
    f'2016-{month:02d}-05 * "Lefevre"\n  Assets:Bank  300.00 EUR\n'
    "  Income:Clients:Lefevre"
    for month in range(1, 7)
)
TEXT = LEDGER.format(lefevre=LEFEVRE)


def targets(
    text: str = TEXT,
    as_of: datetime.date = AS_OF,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, Any]:
    entries, errors, options = loader.load_string(text)
    assert [e.message for e in errors] == []
    report = analyse_report(entries, options, as_of=as_of, start=start, end=end)
    return report_document(report)


def said(text: str = TEXT) -> list[str]:
    """The targets' sentences, as every face says them."""
    entries, _, options = loader.load_string(text)
    report = analyse_report(entries, options, as_of=AS_OF)
    return target_sentences(report.plan, report.currency)


def test_each_budgeted_income_account_and_the_total() -> None:
    found = targets()["targets"]
    clients, lefevre = found["accounts"]
    # Year to date = 1 January to 30 June: 182 days of 366.
    assert clients == {
        "account": "Income:Clients",
        "period_target": "5967.21",  # 12000 x 182 / 366 = 5967.213
        "period_revenue": "2300.00",  # 6 x 300 + 500
        "year_target": "12000.00",
        "year_to_date": "2300.00",
        "monthly_needed": "1616.67",  # (12000 - 2300) / 6 months left
    }
    assert lefevre == {
        "account": "Income:Clients:Lefevre",
        "period_target": "1800.00",
        "period_revenue": "1800.00",
        "year_target": "3600.00",
        "year_to_date": "1800.00",
        "monthly_needed": "300.00",
    }
    # The total counts the top-most budgeted account only: Lefevre is inside it.
    assert found["total"] == {
        **clients,
        "account": None,
        "accounts": ["Income:Clients"],
    }


def test_the_period_narrows_the_period_figures_only() -> None:
    found = targets(start=D(2016, 4, 1), end=D(2016, 6, 30))["targets"]
    clients = found["accounts"][0]
    assert clients["period_target"] == "2983.61"  # 12000 x 91 / 366
    assert clients["period_revenue"] == "900.00"  # Lefevre April to June
    assert (clients["year_target"], clients["year_to_date"]) == ("12000.00", "2300.00")


def test_december_has_no_month_left() -> None:
    found = targets(as_of=D(2016, 12, 31))["targets"]
    assert [t["monthly_needed"] for t in found["accounts"]] == [None, None]
    assert found["total"]["monthly_needed"] is None


def test_a_reached_target_needs_nothing_more() -> None:
    text = TEXT.replace('"yearly" 12000.00 EUR', '"yearly" 1000.00 EUR')
    clients = targets(text)["targets"]["accounts"][0]
    assert clients["monthly_needed"] == "0.00"
    assert said(text)[0] == (
        "Income:Clients: 2300.00 EUR of the year's target of 1000.00 EUR (230 %); "
        "reached."
    )


def test_two_top_most_accounts_add_up() -> None:
    text = TEXT.replace(
        '2016-01-01 custom "budget" Expenses',
        '2016-01-01 custom "budget" Income:Interest "yearly" 24.00 EUR\n'
        '2016-01-01 custom "budget" Expenses',
    )
    found = targets(text)["targets"]
    assert [t["account"] for t in found["accounts"]] == [
        "Income:Clients",
        "Income:Clients:Lefevre",
        "Income:Interest",
    ]
    assert found["total"]["year_target"] == "12024.00"
    assert found["total"]["year_to_date"] == "2310.00"
    assert found["total"]["monthly_needed"] == "1619.00"  # 9714 / 6
    assert found["total"]["accounts"] == ["Income:Clients", "Income:Interest"]
    assert said(text)[-1] == (
        "All targets: 2310.00 EUR of the year's target of 12024.00 EUR (19 %); "
        "1619.00 EUR a month to go for the rest of the year."
    )


def test_a_budget_in_another_currency_is_left_out_with_a_warning() -> None:
    text = TEXT.replace('"Income:Clients:Lefevre "monthly" 300.00 EUR', "").replace(
        '"yearly" 12000.00 EUR', '"yearly" 12000.00 USD'
    )
    found = targets(text)
    assert [t["account"] for t in found["targets"]["accounts"]] == [
        "Income:Clients:Lefevre"
    ]
    (warning,) = [w for w in found["warnings"] if "budget" in w]
    assert warning.startswith("<string>:9: The budget of Income:Clients is in USD")


def test_a_budget_fava_cannot_read_is_a_warning_never_a_crash() -> None:
    text = TEXT.replace('"monthly" 300.00 EUR', '"monthly" "lots"').replace(
        '"yearly" 12000.00 EUR', '"fortnightly" 12000.00 EUR'
    )
    found = targets(text)
    assert found["targets"] == {"accounts": [], "total": None}
    unread = [w for w in found["warnings"] if "Fava cannot read this budget" in w]
    assert [w.split(":")[1] for w in unread] == ["9", "10"]


def test_no_budget_no_targets() -> None:
    text = "\n".join(
        line for line in TEXT.splitlines() if 'custom "budget"' not in line
    )
    assert targets(text)["targets"] == {"accounts": [], "total": None}


def test_the_sentences() -> None:
    assert said() == [
        "Income:Clients: 2300.00 EUR of the year's target of 12000.00 EUR (19 %); "
        "1616.67 EUR a month to go for the rest of the year.",
        "Income:Clients:Lefevre: 1800.00 EUR of the year's target of 3600.00 EUR "
        "(50 %); 300.00 EUR a month to go for the rest of the year.",
    ]


def test_a_period_from_long_ago_counts_from_the_first_budget() -> None:
    found = targets(start=D(1, 1, 1), end=D(2016, 6, 30))["targets"]
    clients = found["accounts"][0]
    assert clients["period_target"] == "5967.21"  # as from 2016-01-01
    assert clients["period_revenue"] == "2300.00"


def _imported_after_analysing(text: str) -> list[str]:
    """Whether fava.core.budgets and flask are loaded once the report is made."""
    script = textwrap.dedent(
        f"""
        import sys
        from beancount import loader
        from beancount_freelance.core.document.report import report_document
        from beancount_freelance.core.report import analyse_report
        entries, _, options = loader.load_string({text!r})
        report_document(analyse_report(entries, options))
        print("fava.core.budgets" in sys.modules, "flask" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_fava_budgets_are_imported_only_for_a_ledger_with_budgets() -> None:
    without = "\n".join(
        line for line in TEXT.splitlines() if 'custom "budget"' not in line
    )
    assert _imported_after_analysing(without) == ["False", "False"]
    assert _imported_after_analysing(TEXT) == ["True", "True"]


def test_a_fava_users_negative_income_budget_in_dollars() -> None:
    """As Fava's own docs write budgets, on a contractor's shared income account."""
    text = """
option "operating_currency" "USD"
2016-01-01 open Assets:Checking
2016-01-01 open Income:Consulting
2016-01-01 custom "budget" Income:Consulting "monthly" -5000.00 USD
2016-01-15 * "ACME Corp" "January"
  Assets:Checking  4000.00 USD
  Income:Consulting
2016-02-15 * "Globex" "February"
  Assets:Checking  7000.00 USD
  Income:Consulting
"""
    found = targets(text, as_of=D(2016, 2, 29))["targets"]
    (consulting,) = found["accounts"]
    # 5000 a month, January and February: 10000; the year 60000; 11000 earned.
    assert consulting == {
        "account": "Income:Consulting",
        "period_target": "10000.00",
        "period_revenue": "11000.00",
        "year_target": "60000.00",
        "year_to_date": "11000.00",
        "monthly_needed": "4900.00",  # (60000 - 11000) / 10 months
    }
