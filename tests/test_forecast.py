"""The next twelve months: run rates, monthly retention, one-off work, what-if.

The ledger below is worked by hand: each client's run rate, the retention's
ended relationships L and months M, then months 1, 2 and 12.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.core.ahead.forecast import (
    NoRunRate,
    forecast,
    monthly_retention,
    run_rates,
)
from beancount_freelance.core.document.outlook import forecast_document
from beancount_freelance.core.document.streams import to_document
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.portfolio import Portfolio
from beancount_freelance.core.revenue.streams import analyse

D = datetime.date
AS_OF = D(2017, 12, 31)
PROFILE = settings(max_examples=30, derandomize=True, deadline=None)


def pay(day: datetime.date | str, client: str, amount: str = "100") -> str:
    account = "Income:Other" if client == "-" else f"Income:Clients:{client}"
    return f'{day} * "{client}"\n  Assets:Bank  {amount} EUR\n  {account}\n'


def monthly(client: str, first: datetime.date, count: int) -> list[str]:
    """`count` payments of 100 EUR on `first`'s day of the month."""
    days = []
    for step in range(count):
        year, month = divmod(first.month - 1 + step, 12)
        days.append(pay(D(first.year + year, month + 1, first.day), client))
    return days


def run(*parts: str, as_of: datetime.date = AS_OF, **kwargs: Any) -> Portfolio:
    body = "\n".join(textwrap.dedent(part) for part in parts)
    accounts = {line.split()[-1] for line in body.splitlines() if "Income:" in line}
    text = 'option "operating_currency" "EUR"\n2014-01-01 open Assets:Bank\n'
    text += "".join(f"2014-01-01 open {account}\n" for account in sorted(accounts))
    entries, errors, options_map = loader.load_string(text + body)
    assert errors == []
    return analyse(ask(entries, options_map, as_of=as_of, **kwargs))


# As of 2017-12-31; the retention looks at (2015-12-31, 2017-12-31].
#   Alpha: 100 on the 10th, 2016-01 .. 2017-12, and 50 more in 2017-10:
#     run rate (150 + 100 + 100) / 3 = 350/3; with her 2016-01-10 -> as_of:
#     23 months.
#   Beta: 100 on 2017-11-05, 11-20, 12-05, 12-20 (cadence 15): its first month
#     is 2017-11, so k = 2: run rate 400 / 2 = 200; 2017-11-05 -> as_of: 1 month.
#   Gamma: monthly 2015-01-15 .. 2016-06-15, lost 2016-06-20: ended in the
#     window (L = 1); from 2015-12-31 to 2016-06-20: 5 months.
#   Delta: monthly 2014-01 .. 06, lost 2014-07-01: before the window, 0 months.
#   Epsilon, one-off: 999 on 2016-11-01 (before the 12 months), 600 on
#     2017-03-01: one-off 600 / 12 = 50 a month.
#   Unattributed income (no client) counts for no one.
# r = 1 - 1 / (23 + 1 + 5 + 0) = 28/29; recurring Σ = 350/3 + 200 = 950/3.
LEDGER = (
    *monthly("Alpha", D(2016, 1, 10), 24),
    pay("2017-10-20", "Alpha", "50"),
    *(pay(day, "Beta") for day in ("2017-11-05", "2017-11-20", "2017-12-05")),
    pay("2017-12-20", "Beta"),
    *monthly("Gamma", D(2015, 1, 15), 18),
    '2016-06-20 custom "client-lost" "Gamma" "moved"\n',
    *monthly("Delta", D(2014, 1, 5), 6),
    '2014-07-01 custom "client-lost" "Delta" "closed"\n',
    pay("2016-11-01", "Epsilon", "999"),
    pay("2017-03-01", "Epsilon", "600"),
    pay("2017-06-01", "-", "1000"),
)


def test_run_rates_and_retention_by_hand() -> None:
    portfolio = run(*LEDGER)
    rates = run_rates(portfolio.clients, portfolio.history)
    assert rates == {"Alpha": Fraction(350, 3), "Beta": Fraction(200)}
    retention = monthly_retention(portfolio.clients, AS_OF)
    assert (retention.ended, retention.months) == (1, 29)
    assert retention.monthly == Fraction(28, 29)
    assert retention.clients == 3  # Alpha, Beta, Gamma; Delta is before it


def test_forecast_months_by_hand() -> None:
    document = forecast_document(forecast(*_question(run(*LEDGER))))
    assert document["monthly_retention"] == 0.9655  # 28/29 = 0.965517
    assert document["run_rates"] == {"Alpha": "116.67", "Beta": "200.00"}
    assert document["one_off_monthly"] == "50.00"
    months = document["months"]
    assert [month["month"] for month in months] == [
        f"2018-{m:02d}" for m in range(1, 13)
    ]
    # Month 1: 950/3 x 28/29 = 26600/87 = 305.747..., + 50.
    assert months[0] == {
        "month": "2018-01",
        "recurring": "305.75",
        "one_off": "50.00",
        "total": "355.75",
    }
    # Month 2: 950/3 x (28/29)^2 = 744800/2523 = 295.204...
    assert (months[1]["recurring"], months[1]["total"]) == ("295.20", "345.20")
    # Month 12: 950/3 x (28/29)^12 = 316.667 x 0.656327 = 207.837...
    assert (months[11]["recurring"], months[11]["total"]) == ("207.84", "257.84")
    # Σ r^j for j = 1..12 is r (1 - r^12) / (1 - r) = 28 x (1 - 0.656327):
    # 950/3 x 28 x 0.343673 = 3047.23, and 12 x 50 of one-off work.
    assert document["next_12_months"] == "3647.23"
    assert document["without"] is None


def test_what_if_leaves_out_one_run_rate_and_keeps_the_retention() -> None:
    portfolio = run(*LEDGER)
    without = forecast_document(forecast(*_question(portfolio), without="Beta"))
    assert without["without"] == "Beta"
    assert without["monthly_retention"] == 0.9655  # unchanged
    assert without["run_rates"] == {"Alpha": "116.67"}
    # 350/3 x 28/29 = 9800/87 = 112.643...
    assert without["months"][0]["recurring"] == "112.64"
    assert without["months"][0]["one_off"] == "50.00"


def test_what_if_of_a_client_without_run_rate_says_who_has_one() -> None:
    portfolio = run(*LEDGER)
    for client in ("Epsilon", "Gamma", "Nobody"):
        with pytest.raises(NoRunRate, match="those with one: Alpha, Beta"):
            forecast(*_question(portfolio), without=client)


def test_the_forecast_ignores_the_filters() -> None:
    everything = to_document(run(*LEDGER))["forecast"]
    only_alpha = run(
        *LEDGER,
        start=D(2017, 1, 1),
        end=AS_OF,
        select=lambda line: line.client == "Alpha",
    )
    assert to_document(only_alpha)["forecast"] == everything


def test_a_ledger_of_one_client() -> None:
    # Alpha, 100 a month for 12 months: run rate 100; 11 months, nothing ended.
    portfolio = run(*monthly("Alpha", D(2017, 1, 10), 12))
    document = to_document(portfolio)["forecast"]
    assert document["monthly_retention"] == 1.0  # 1 - 0 / 11
    assert document["retention_sample"] == {"ended": 0, "months": 11, "clients": 1}
    assert {month["total"] for month in document["months"]} == {"100.00"}
    assert document["next_12_months"] == "1200.00"


def test_a_ledger_with_no_regular_client() -> None:
    # Two one-off clients, 1200 and 600 in 2017: one-off (1200 + 600) / 12.
    portfolio = run(pay("2017-02-01", "A", "1200"), pay("2017-09-01", "B", "600"))
    document = to_document(portfolio)["forecast"]
    assert document["monthly_retention"] == 1.0  # M = 0
    assert document["retention_sample"] == {"ended": 0, "months": 0, "clients": 0}
    assert document["run_rates"] == {}
    assert {(m["recurring"], m["one_off"]) for m in document["months"]} == {
        ("0.00", "150.00")
    }
    assert document["next_12_months"] == "1800.00"


def test_a_ledger_where_every_client_was_lost() -> None:
    # A: 2017-01-05 .. 04-05, lost 2017-04-20 (3 months); B: 2016-12-10 ..
    # 2017-06-10, lost 06-15 (6 months): r = 1 - 2/9 = 7/9, nothing to carry on.
    portfolio = run(
        *monthly("A", D(2017, 1, 5), 4),
        '2017-04-20 custom "client-lost" "A" "gone"\n',
        *monthly("B", D(2016, 12, 10), 7),
        '2017-06-15 custom "client-lost" "B" "gone"\n',
    )
    document = to_document(portfolio)["forecast"]
    assert document["monthly_retention"] == 0.7778
    assert document["run_rates"] == {}
    assert {m["total"] for m in document["months"]} == {"0.00"}


def test_retention_never_goes_below_zero() -> None:
    # Two regular clients lost within their first month: L = 2, M = 0 + 0.
    # M = 0 gives r = 1; with one more month of a third client, 1 - 2/1 < 0 -> 0.
    short = [pay(f"2017-05-{day:02d}", "A") for day in (1, 8, 15)]
    short += [pay(f"2017-06-{day:02d}", "B") for day in (1, 8, 15)]
    events = '2017-05-20 custom "client-lost" "A" "x"\n'
    events += '2017-06-20 custom "client-lost" "B" "x"\n'
    third = [pay(f"2017-{m:02d}-28", "C") for m in (10, 11, 12)]
    portfolio = run(*short, events, *third)
    retention = monthly_retention(portfolio.clients, AS_OF)
    assert (retention.ended, retention.months) == (2, 2)  # C: 10-28 -> 12-31
    assert retention.monthly == 0  # max(0, 1 - 2/2)


def _question(portfolio: Portfolio) -> tuple[Any, ...]:
    return (portfolio.clients, portfolio.history, portfolio.as_of)


@st.composite
def regular_ledgers(draw: st.DrawFn) -> list[str]:
    """A few clients paying positive amounts on some months, some lost."""
    parts: list[str] = []
    for index in range(draw(st.integers(1, 5))):
        client = f"C{index}"
        first = draw(st.integers(0, 30))
        months = sorted(set(draw(st.lists(st.integers(0, 40), min_size=1))))
        for month in months:
            year, number = divmod(first + month, 12)
            amount = draw(st.decimals(Decimal("0.01"), Decimal(5000), places=2))
            parts.append(pay(D(2015 + year, number + 1, 10), client, str(amount)))
        if draw(st.booleans()):
            year, number = divmod(first + months[-1], 12)
            day = D(2015 + year, number + 1, 20)
            parts.append(f'{day} custom "client-lost" "{client}" "x"\n')
    return parts


@PROFILE
@given(regular_ledgers(), st.dates(D(2015, 6, 1), D(2019, 6, 1)))
def test_never_negative_when_every_run_rate_is_positive(
    parts: list[str], as_of: datetime.date
) -> None:
    portfolio = run(*parts, as_of=as_of)
    found = forecast(*_question(portfolio))
    # Positive payments only: a run rate is positive, or 0 for a client quiet
    # for its last three months (still active within twice its cadence).
    assert all(rate >= 0 for rate in found.run_rates.values())
    assert 0 <= found.retention.monthly <= 1
    levels = [month.recurring for month in found.months]
    assert all(month.recurring >= 0 and month.one_off >= 0 for month in found.months)
    assert levels == sorted(levels, reverse=True)  # r <= 1: never rises
    document = forecast_document(found)
    assert all(Decimal(month["total"]) >= 0 for month in document["months"])
