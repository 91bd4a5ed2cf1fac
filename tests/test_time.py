"""Hours read from the books in each of their forms, and what an hour earns.

Every number below is worked out by hand in the test's docstring or comment,
from the small ledger beside it (docs/time.md has the formulas).
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from typing import Any

from beancount import loader

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import Report, analyse_report
from beancount_freelance.core.time.replacing import replacement_hours
from beancount_freelance.text.hours_sentences import (
    money_word,
    replacement_hours_sentence,
)

D = datetime.date
HEAD = """\
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2015-01-01 open Assets:Bank
2015-01-01 open Assets:Receivable:Acme
2015-01-01 open Assets:Receivable:Lefevre
2015-01-01 open Income:Clients:Acme
2015-01-01 open Income:Clients:Beta
2015-01-01 open Income:Clients:Lefevre
2015-01-01 open Income:Other
2015-01-01 open Assets:Time:Lefevre
2015-01-01 open Assets:Time:Acme
2015-01-01 open Assets:Time:Lefevre:Probono
  billable: FALSE
2015-01-01 open Expenses:Time
2015-01-01 open Expenses:Time:Lefevre
2015-01-01 open Equity:Time
"""


def report(body: str, **asked: Any) -> Report:
    entries, errors, options = loader.load_string(HEAD + textwrap.dedent(body))
    assert not errors, errors
    return analyse_report(entries, options, **asked)


def test_priced_hours_on_the_income_posting_are_worked_and_billed() -> None:
    """10 H @ 50 EUR to Acme: 10 hours worked and billed, 500 EUR, 50 EUR an hour;
    no stock of hours, so nothing unbilled."""
    found = report(
        """
        2016-01-31 * "Acme" "January"
          Assets:Receivable:Acme        500 EUR
          Income:Clients:Acme           -10 H @ 50 EUR
        """
    )
    assert found.hours is not None
    acme = found.hours.of("Acme")
    assert acme is not None
    assert (acme.worked_t12m, acme.billed_t12m) == (Decimal(10), Decimal(10))
    assert acme.effective_rate_t12m == acme.billed_rate_t12m == Decimal(50)
    assert acme.unbilled_hours is None and acme.unbilled_value is None


def test_priced_hours_on_the_receivable_debit_count_once_and_a_payment_is_no_work() -> (
    None
):
    """7 H @ 90 EUR on Acme's receivable, the income auto-balanced: 7 hours,
    630 EUR, 90 EUR an hour. The payment of 7 H out of the receivable is no work."""
    found = report(
        """
        2016-02-10 * "Acme" "Invoice"
          Assets:Receivable:Acme        7 H @ 90 EUR
          Income:Clients:Acme
        2016-02-28 * "Acme" "Paid"
          Assets:Bank                 630 EUR
          Assets:Receivable:Acme       -7 H @ 90 EUR
        """
    )
    assert found.hours is not None
    acme = found.hours.of("Acme")
    assert acme is not None
    assert acme.worked_t12m == acme.billed_t12m == Decimal(7)
    assert acme.effective_rate_t12m == Decimal(90)


STOCK = """
2016-01-10 * "Lefevre" "Work"
  Assets:Time:Lefevre           10 H
  Equity:Time
2016-01-20 * "Lefevre" "Not billable"
  Expenses:Time:Lefevre          2 H
  Equity:Time
2016-01-31 * "Cabinet Lefevre" "Invoice"
  Assets:Receivable:Lefevre    400 EUR
  Income:Clients:Lefevre      -400 EUR
  Assets:Time:Lefevre           -8 H
  Equity:Time                    8 H
2016-02-01 * "Lefevre" "Written off"
  Assets:Time:Lefevre           -1 H
  Expenses:Time:Lefevre          1 H
"""


def test_a_stock_of_hours_worked_billed_written_off_and_unbilled() -> None:
    """In: 10 H, plus 2 H not billable: 12 worked. Out: 8 H billed with the
    400 EUR invoice, 1 H written off to an expense. Unbilled: 10 - 8 - 1 = 1 H,
    valued at the latest billed rate, 400 / 8 = 50 EUR. Effective rate:
    400 / 12 = 33.33; billed rate 400 / 8 = 50."""
    found = report(STOCK)
    assert found.hours is not None
    lefevre = found.hours.of("Lefevre")
    assert lefevre is not None
    assert lefevre.worked_t12m == Decimal(12)
    assert lefevre.billed_t12m == Decimal(8)
    assert lefevre.unbilled_hours == Decimal(1)
    assert lefevre.unbilled_value == Decimal(50)
    assert lefevre.effective_rate_t12m == Decimal(400) / Decimal(12)
    assert lefevre.billed_rate_t12m == Decimal(50)


def test_the_custom_rate_in_force_at_as_of_values_the_unbilled_hours() -> None:
    """The rate of 2016-01-15 is in force on 2016-02-01 (as_of), not that of
    2016-03-01: 1 unbilled hour at 60 EUR."""
    found = report(
        STOCK
        + textwrap.dedent(
            """
            2016-01-15 custom "rate" "Lefevre" 60.00 EUR
            2016-03-01 custom "rate" "Lefevre" 70.00 EUR
            """
        ),
        as_of=D(2016, 2, 1),
    )
    assert found.hours is not None
    lefevre = found.hours.of("Lefevre")
    assert lefevre is not None and lefevre.unbilled_value == Decimal(60)


def test_a_stock_s_client_priced_hours_are_not_added_again() -> None:
    """Lefevre keeps a stock: the 3 H of an invoice priced in hours are the
    stock's hours, not more work (worked stays 12)."""
    found = report(
        STOCK
        + textwrap.dedent(
            """
            2016-02-05 * "Cabinet Lefevre" "Invoice in hours"
              Assets:Receivable:Lefevre    150 EUR
              Income:Clients:Lefevre        -3 H @ 50 EUR
            """
        )
    )
    assert found.hours is not None
    lefevre = found.hours.of("Lefevre")
    assert lefevre is not None
    assert (lefevre.worked_t12m, lefevre.billed_t12m) == (Decimal(12), Decimal(8))


def test_hours_metadata_on_a_transaction_counts_once() -> None:
    """`hours: 6` on a transaction with two income postings of Beta: 6 hours
    (not 12), 300 EUR, 50 EUR an hour; `hours: 2` on Acme's posting: 2 hours."""
    found = report(
        """
        2016-03-01 * "Beta" "Two lines, six hours"
          hours: 6
          Assets:Bank                  300 EUR
          Income:Clients:Beta         -200 EUR
          Income:Clients:Beta         -100 EUR
        2016-03-02 * "Acme" "Posting hours"
          Assets:Bank                  160 EUR
          Income:Clients:Acme         -160 EUR
            hours: 2
        """
    )
    assert found.hours is not None
    beta, acme = found.hours.of("Beta"), found.hours.of("Acme")
    assert beta is not None and acme is not None
    assert beta.worked_t12m == Decimal(6) and beta.effective_rate_t12m == 50
    assert acme.worked_t12m == Decimal(2) and acme.effective_rate_t12m == 80


def test_hours_in_the_period_and_in_the_trailing_twelve_months() -> None:
    """As of 2016-06-30: the hours of 2015-05 are out of the trailing 12 months
    (after 2015-06-30) and of the period 2016; those of 2016-03 are in both."""
    found = report(
        """
        2015-05-10 * "Acme" "Old"
          Assets:Bank                  400 EUR
          Income:Clients:Acme          -10 H @ 40 EUR
        2015-09-10 * "Acme" "Last year"
          Assets:Bank                  200 EUR
          Income:Clients:Acme           -5 H @ 40 EUR
        2016-03-10 * "Acme" "This year"
          Assets:Bank                  150 EUR
          Income:Clients:Acme           -3 H @ 50 EUR
        """,
        start=D(2016, 1, 1),
        end=D(2016, 6, 30),
    )
    assert found.hours is not None
    acme = found.hours.of("Acme")
    assert acme is not None
    assert (acme.worked_period, acme.worked_t12m) == (Decimal(3), Decimal(8))
    # 350 EUR / 8 hours over the trailing 12 months.
    assert acme.effective_rate_t12m == Decimal("43.75")


def test_hours_without_a_client_and_not_billable_time() -> None:
    """4 H to Expenses:Time name no client: worked, not billed. 3 H into
    Assets:Time:Lefevre:Probono (opened `billable: FALSE`): Lefevre's, worked
    and not billable, so no stock. Totals: 4 + 3 + Acme's 10 = 17 worked,
    10 billed."""
    found = report(
        """
        2016-01-10 * "Admin"
          Expenses:Time                  4 H
          Equity:Time
        2016-01-12 * "Lefevre" "A favour"
          Assets:Time:Lefevre:Probono    3 H
          Equity:Time
        2016-01-31 * "Acme" "January"
          Assets:Receivable:Acme       500 EUR
          Income:Clients:Acme          -10 H @ 50 EUR
        """
    )
    assert found.hours is not None and found.hours.no_client is not None
    assert found.hours.no_client.worked_t12m == Decimal(4)
    assert found.hours.no_client.billed_t12m == 0
    lefevre = found.hours.of("Lefevre")
    assert lefevre is not None
    assert (lefevre.worked_t12m, lefevre.billed_t12m) == (Decimal(3), 0)
    assert lefevre.unbilled_hours is None
    assert found.hours.totals.worked_t12m == Decimal(17)
    assert found.hours.totals.billed_t12m == Decimal(10)
    document = report_document(found)
    assert document["hours"]["no_client"]["worked_t12m"] == "4.00"
    assert document["hours"]["worked_t12m"] == "17.00"


LOST = """
2015-01-01 custom "client" "Lefevre" "Lefèvre"
2015-12-29 custom "client-lost" "Lefevre" "Moving to an agency"
"""


def _monthly(client: str, months: list[tuple[int, int]], hours: int, rate: int) -> str:
    """One payment of `hours` @ `rate` EUR on the 5th of each month."""
    return "".join(
        f'{year}-{month:02d}-05 * "{client}" "Month"\n'
        f"  Assets:Bank  {hours * rate} EUR\n"
        f"  Income:Clients:{client}  -{hours} H @ {rate} EUR\n"
        for year, month in months
    )


def test_a_lost_client_replaced_in_hours_of_new_work() -> None:
    """Lefèvre: 6 H @ 50 EUR each month of 2015 (300 EUR a month), lost on
    2015-12-29. Acme, since 2016: 10 H @ 42 EUR a month. The median rate
    without Lefèvre is Acme's 42: 300 / 42 = 7.142… hours a month."""
    body = LOST + _monthly("Lefevre", [(2015, m) for m in range(1, 13)], 6, 50)
    body += _monthly("Acme", [(2016, m) for m in range(1, 7)], 10, 42)
    found = report(body, as_of=D(2016, 6, 30))
    (item,) = found.replacement_hours
    assert item.client == "Lefevre"
    assert item.hours_monthly == Decimal(6) and item.rate == Decimal(50)
    assert item.median_rate == Decimal(42)
    assert item.hours_to_replace_at_median == Decimal(300) / Decimal(42)
    said = replacement_hours_sentence("Lefèvre", item, money_word("EUR"))
    assert said == (
        "Lefèvre paid 50 EUR an hour for 6 hours a month; at your usual 42 EUR an "
        "hour, 7.1 hours of new work a month replace it."
    )
    # Each replacement alone (the client's view) reads as in the whole list.
    (replacement_of,) = found.portfolio.replacements
    assert found.hours is not None
    assert replacement_hours(found.hours, replacement_of, found.portfolio.lines) == item
    (replacement,) = report_document(found)["replacements"]
    assert replacement["hours_to_replace_at_median"] == "7.14"
    assert replacement["rate"] == "50.00"
    assert replacement["hours_monthly"] == "6.00"


def test_the_median_is_over_the_clients_with_hours_in_the_last_year() -> None:
    """Acme 40, Beta 50, Lefevre 90 EUR an hour: median 50."""
    body = _monthly("Acme", [(2016, 1)], 10, 40)
    body += _monthly("Beta", [(2016, 2)], 10, 50)
    body += _monthly("Lefevre", [(2016, 3)], 10, 90)
    found = report(body)
    assert found.hours is not None
    assert found.hours.median_effective_rate_t12m == Decimal(50)
    assert report_document(found)["hours"]["median_effective_rate_t12m"] == "50.00"


def test_a_ledger_without_hours_shows_nothing_new() -> None:
    found = report(
        """
        2016-01-31 * "Acme" "January"
          Assets:Receivable:Acme        500 EUR
          Income:Clients:Acme          -500 EUR
        """
    )
    assert found.hours is None and found.replacement_hours == ()
    document = report_document(found)
    assert "hours" not in document
    assert all("hours" not in client for client in document["clients"])


def test_hours_do_not_vote_for_the_currency_nor_warn_as_no_money() -> None:
    """No operating currency; income in hours without a price and in USD: the
    reporting currency is USD, and H raises no "is not money" warning."""
    entries, errors, options = loader.load_string(
        textwrap.dedent(
            """\
            2016-01-01 open Assets:Bank
            2016-01-01 open Assets:Receivable:Acme
            2016-01-01 open Income:Clients:Acme
            2016-01-10 * "Acme" "Hours, unpriced"
              Assets:Receivable:Acme      3 H
              Income:Clients:Acme        -3 H
            2016-01-11 * "Acme" "Hours, unpriced"
              Assets:Receivable:Acme      2 H
              Income:Clients:Acme        -2 H
            2016-01-20 * "Acme" "Money"
              Assets:Bank               100 USD
              Income:Clients:Acme      -100 USD
            """
        )
    )
    assert not errors
    found = analyse_report(entries, options)
    assert found.question.currency == "USD"
    assert not any("not money" in str(w.message) for w in found.portfolio.warnings)


def test_the_plugin_checks_rate_directives() -> None:
    _entries, errors, _ = loader.load_string(
        HEAD
        + textwrap.dedent(
            """\
            2016-01-01 custom "rate" "Acme" 95
            2016-01-01 custom "rate" "Acme" -5.00 EUR
            2016-01-01 custom "rate" "Nobody" 95.00 EUR
            2016-01-01 custom "rate" "Acme" 95.00 EUR
            """
        )
    )
    said = [str(error.message) for error in errors]
    assert len(said) == 3
    assert said[0].startswith("Malformed rate directive") and '"Acme" 95' in said[0]
    assert said[1].startswith("Malformed rate directive")
    assert "Unknown client 'Nobody'" in said[2]
    lines = [error.source["lineno"] for error in errors]
    first = HEAD.count("\n") + 1  # the rate directives follow HEAD's lines
    assert lines == [first, first + 1, first + 2]


def test_the_rule_order_decides_a_stock_posting_s_client() -> None:
    """A `client:` on the posting (rule 1) wins over the sub-account that
    names Lefevre (the receivable-like rule, last): 5 hours of Acme's."""
    found = report(
        """
        2016-01-10 * "Work"
          Assets:Time:Lefevre            5 H
            client: "Acme"
          Equity:Time
        """
    )
    assert found.hours is not None
    acme = found.hours.of("Acme")
    assert acme is not None and acme.worked_t12m == Decimal(5)
    assert acme.unbilled_hours == Decimal(5)
    assert found.hours.of("Lefevre") is None


def test_the_same_accounts_and_payee_each_keep_their_own_client() -> None:
    """Stock postings with the same accounts and payee are answered once, but
    a `client:` on one posting, or a tag, still decides that one: 5 hours of
    Lefevre's by the sub-account, 2 of Acme's by `client:`, 3 of Beta's by the
    transaction's `client:`."""
    found = report(
        """
        2015-01-01 custom "client" "Beta"
        2016-01-10 * "Studio" "Work"
          Assets:Time:Lefevre            5 H
          Equity:Time
        2016-01-11 * "Studio" "Work"
          Assets:Time:Lefevre            2 H
            client: "Acme"
          Equity:Time
        2016-01-12 * "Studio" "Work"
          client: "Beta"
          Assets:Time:Lefevre            3 H
          Equity:Time
        """
    )
    assert found.hours is not None
    worked = {
        client: found.hours.of(client).worked_t12m  # type: ignore[union-attr]
        for client in ("Lefevre", "Acme", "Beta")
    }
    assert worked == {"Lefevre": 5, "Acme": 2, "Beta": 3}


def test_hours_commodities_by_config_and_by_their_name() -> None:
    """`HEURE` counts once the config names it; `XYZ.WORK_HOUR` by its name."""
    text = textwrap.dedent(
        """\
        option "operating_currency" "USD"
        plugin "beancount_freelance.plugin" "{'hours_commodities': ['HEURE']}"
        2016-01-01 open Assets:Bank
        2016-01-01 open Assets:Receivable:Acme
        2016-01-01 open Income:Clients:Acme
        2016-01-01 open Income:Clients:Beta
        2016-02-10 * "Acme" "Invoice"
          Assets:Receivable:Acme        7 XYZ.WORK_HOUR @ 300 USD
          Income:Clients:Acme
        2016-02-11 * "Beta" "Invoice"
          Assets:Bank                 400 USD
          Income:Clients:Beta          -4 HEURE @ 100 USD
        """
    )
    entries, errors, options = loader.load_string(text)
    assert not errors
    hours = analyse_report(entries, options).hours
    assert hours is not None
    acme, beta = hours.of("Acme"), hours.of("Beta")
    assert acme is not None and beta is not None
    assert acme.worked_t12m == 7 and acme.effective_rate_t12m == 300
    assert beta.worked_t12m == 4 and beta.effective_rate_t12m == 100


def test_the_latest_billed_rate_of_a_stock_from_an_invoice_priced_in_hours() -> None:
    """Lefevre's stock: 10 H in, nothing out yet; its invoice is priced in
    hours elsewhere (6 H @ 55 EUR), which is not more work but is its latest
    billed rate: the 10 unbilled hours are worth 550 EUR."""
    found = report(
        """
        2016-01-10 * "Lefevre" "Work"
          Assets:Time:Lefevre           10 H
          Equity:Time
        2016-01-31 * "Cabinet Lefevre" "Invoice in hours"
          Assets:Receivable:Lefevre    330 EUR
          Income:Clients:Lefevre        -6 H @ 55 EUR
        """
    )
    assert found.hours is not None
    lefevre = found.hours.of("Lefevre")
    assert lefevre is not None
    assert (lefevre.worked_t12m, lefevre.billed_t12m) == (Decimal(10), 0)
    assert lefevre.unbilled_value == Decimal(550)
