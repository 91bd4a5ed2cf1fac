"""The analysis core: each client's lifecycle and revenue, totals, concentration.

Every ledger is small enough to check by hand; the computation is written next to
each assertion.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.lines import RevenueLine
from beancount_freelance.core.revenue.portfolio import ClientStream, Portfolio
from beancount_freelance.core.revenue.streams import (
    NotActive,
    UnknownClient,
    analyse,
    revenue_by_interval,
    what_if,
)

D = datetime.date
HEADER = """\
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Alpha
2014-01-01 open Income:Clients:Beta
2014-01-01 open Income:Clients:Gamma
2014-01-01 open Income:Clients:Delta
2014-01-01 open Income:Other
"""


def ledger(*payments: tuple[str, str, str], extra: str = "") -> str:
    """A ledger: the header, `extra` directives, and one transaction per payment.

    A payment is (date, client, amount); a negative amount is a refund.
    """
    text = [HEADER, textwrap.dedent(extra)]
    for day, client, amount in payments:
        account = "Income:Other" if client == "-" else f"Income:Clients:{client}"
        text.append(f'{day} * "{client}"\n  Assets:Bank  {amount} EUR\n  {account}\n')
    return "\n".join(text)


def load(text: str) -> tuple[list[data.Directive], dict[str, Any]]:
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    return entries, options_map


def run(text: str, **kwargs: Any) -> Portfolio:
    entries, options_map = load(text)
    return analyse(ask(entries, options_map, **kwargs))


def client(portfolio: Portfolio, client_id: str) -> ClientStream:
    return next(stream for stream in portfolio.clients if stream.id == client_id)


MONTHLY_ALPHA = [(f"2017-{m:02d}-10", "Alpha", "100") for m in range(1, 7)]


def test_lifecycle_and_revenue_of_a_monthly_retainer() -> None:
    alpha = client(run(ledger(*MONTHLY_ALPHA), as_of=D(2017, 6, 30)), "Alpha")
    assert alpha.start == D(2017, 1, 10)
    assert alpha.last_revenue == D(2017, 6, 10)
    # Gaps 31, 28, 31, 30, 31 days; sorted 28 30 31 31 31: the median is 31.
    assert alpha.cadence_days == 31
    assert alpha.recurring  # 6 distinct dates, 31 <= 100
    assert (alpha.status, alpha.end) == ("active", None)
    # 2017-01-10 -> 2017-06-30: 5 months and 20 days.
    assert alpha.tenure_months == 5
    assert alpha.revenue_total == alpha.revenue_t12m == Decimal(600)
    assert alpha.revenue_period == Decimal(600)
    assert alpha.share_t12m == 1.0
    assert alpha.monthly == {f"2017-{m:02d}": Decimal(100) for m in range(1, 7)}
    assert (alpha.name, alpha.kind, alpha.events) == ("Alpha", None, ())


def test_cadence_counts_distinct_dates_and_takes_the_median() -> None:
    portfolio = run(
        ledger(
            ("2017-01-01", "Alpha", "50"),
            ("2017-01-01", "Alpha", "50"),  # same day: one date
            ("2017-01-11", "Alpha", "100"),
            ("2017-01-31", "Alpha", "100"),
        )
    )
    # Distinct dates 01-01, 01-11, 01-31: gaps 10 and 20, median 15.
    assert client(portfolio, "Alpha").cadence_days == 15.0


def test_recurring_needs_three_dates_and_a_cadence_of_at_most_100_days() -> None:
    portfolio = run(
        ledger(
            # Alpha: every 100 days exactly.
            ("2017-01-01", "Alpha", "100"),
            ("2017-04-11", "Alpha", "100"),
            ("2017-07-20", "Alpha", "100"),
            # Beta: every 101 days.
            ("2017-01-01", "Beta", "100"),
            ("2017-04-12", "Beta", "100"),
            ("2017-07-22", "Beta", "100"),
            # Gamma: two dates only.
            ("2017-07-01", "Gamma", "100"),
            ("2017-07-22", "Gamma", "100"),
        )
    )
    assert (
        client(portfolio, "Alpha").cadence_days,
        client(portfolio, "Alpha").recurring,
    ) == (
        100,
        True,
    )
    assert (
        client(portfolio, "Beta").cadence_days,
        client(portfolio, "Beta").recurring,
    ) == (
        101,
        False,
    )
    assert client(portfolio, "Gamma").recurring is False


def test_trailing_12_months_exclude_the_day_exactly_12_months_before() -> None:
    text = ledger(
        ("2016-12-31", "Alpha", "100"),  # as_of - 12 months: excluded
        ("2017-01-01", "Alpha", "200"),
        ("2017-12-31", "Alpha", "400"),
        ("2018-01-01", "Alpha", "800"),  # after as_of: ignored everywhere
    )
    alpha = client(run(text, as_of=D(2017, 12, 31)), "Alpha")
    assert alpha.revenue_t12m == Decimal(600)  # 200 + 400
    assert alpha.revenue_total == Decimal(700)  # 100 + 200 + 400
    assert alpha.last_revenue == D(2017, 12, 31)
    assert "2018-01" not in alpha.monthly


def test_as_of_defaults_to_the_period_end_else_the_last_entry() -> None:
    text = ledger(*MONTHLY_ALPHA)
    assert run(text).as_of == D(2017, 6, 10)
    assert run(text, end=D(2017, 3, 31)).as_of == D(2017, 3, 31)
    assert run(text, end=D(2017, 3, 31), as_of=D(2017, 5, 1)).as_of == D(2017, 5, 1)


LOST_AND_BACK = ledger(
    *[(f"2016-{m:02d}-05", "Alpha", "100") for m in range(1, 7)],
    ("2017-02-05", "Alpha", "100"),
    ("2017-03-05", "Alpha", "100"),
    extra="""
    2016-07-01 custom "client-lost" "Alpha" "Budget cut"
    2017-01-15 custom "client-back" "Alpha"
    """,
)


def test_a_lost_client_ends_at_its_loss() -> None:
    portfolio = run(LOST_AND_BACK, as_of=D(2016, 12, 31))
    alpha = client(portfolio, "Alpha")
    assert (alpha.status, alpha.end) == ("lost", D(2016, 7, 1))
    # 2016-01-05 -> 2016-07-01: 5 months and 26 days.
    assert alpha.tenure_months == 5
    assert [(e.date, e.kind, e.note) for e in alpha.events] == [
        (D(2016, 7, 1), "lost", "Budget cut")
    ]
    assert [r.client for r in portfolio.replacements] == ["Alpha"]


def test_client_back_reopens_the_relationship() -> None:
    # Five days after the return, before any new payment: the return restarts the
    # dormancy clock (otherwise 2016-06-05 -> 2017-01-20 = 229 days > 180).
    early = client(run(LOST_AND_BACK, as_of=D(2017, 1, 20)), "Alpha")
    assert (early.status, early.end) == ("active", None)
    portfolio = run(LOST_AND_BACK, as_of=D(2017, 3, 31))
    alpha = client(portfolio, "Alpha")
    assert (alpha.status, alpha.end) == ("active", None)
    assert alpha.start == D(2016, 1, 5)
    # 2016-01-05 -> 2017-03-31: 14 months and 26 days.
    assert alpha.tenure_months == 14
    assert [e.kind for e in alpha.events] == ["lost", "back"]
    # Gaps 31 29 31 30 31 245 28; sorted, the 4th of 7 is 31.
    assert alpha.cadence_days == 31
    assert portfolio.replacements == ()


def test_a_one_off_client_turns_dormant_the_day_after_180_days() -> None:
    text = ledger(("2017-01-01", "Beta", "500"))
    # 2017-01-01 + 180 days = 2017-06-30: not yet "exceeds".
    beta = client(run(text, as_of=D(2017, 6, 30)), "Beta")
    assert (beta.status, beta.cadence_days, beta.recurring) == ("active", None, False)
    beta = client(run(text, as_of=D(2017, 7, 1)), "Beta")
    assert (beta.status, beta.end) == ("dormant", D(2017, 1, 1))
    assert beta.tenure_months == 0  # start to end: the same day


def test_a_recurring_client_turns_dormant_after_twice_its_cadence() -> None:
    # Every 40 days: the threshold is max(60, 2 x 40) = 80 days after 2017-03-22,
    # that is 2017-06-10.
    text = ledger(
        ("2017-01-01", "Alpha", "100"),
        ("2017-02-10", "Alpha", "100"),
        ("2017-03-22", "Alpha", "100"),
    )
    assert client(run(text, as_of=D(2017, 6, 10)), "Alpha").status == "active"
    alpha = client(run(text, as_of=D(2017, 6, 11)), "Alpha")
    assert (alpha.status, alpha.end) == ("dormant", D(2017, 3, 22))


def test_dormant_after_days_comes_from_the_plugin_config() -> None:
    text = ledger(
        ("2017-01-01", "Beta", "500"),
        extra="""
        plugin "beancount_freelance.plugin" "{'dormant_after_days': 90}"
        """,
    )
    # 2017-01-01 + 90 days = 2017-04-01.
    assert client(run(text, as_of=D(2017, 4, 1)), "Beta").status == "active"
    assert client(run(text, as_of=D(2017, 4, 2)), "Beta").status == "dormant"


def test_a_refund_makes_a_month_negative_but_is_no_sign_of_life() -> None:
    portfolio = run(
        ledger(("2017-03-05", "Gamma", "300"), ("2017-04-10", "Gamma", "-400")),
        as_of=D(2017, 4, 30),
    )
    gamma = client(portfolio, "Gamma")
    assert gamma.monthly == {"2017-03": Decimal(300), "2017-04": Decimal(-400)}
    assert gamma.revenue_total == Decimal(-100)
    assert gamma.last_revenue == D(2017, 3, 5)
    # The clients' trailing-12-month sum is -100 <= 0: no share, no concentration.
    assert gamma.share_t12m is None
    assert portfolio.concentration.hhi == 0.0
    assert portfolio.concentration.effective_clients is None


def test_a_month_netting_to_zero_is_left_out_of_the_series() -> None:
    gamma = client(
        run(ledger(("2017-03-05", "Gamma", "300"), ("2017-03-20", "Gamma", "-300"))),
        "Gamma",
    )
    assert gamma.monthly == {}


FOUR_CLIENTS = ledger(
    ("2017-02-01", "Alpha", "500"),
    ("2017-03-01", "Beta", "300"),
    ("2017-04-01", "Gamma", "150"),
    ("2017-05-01", "Delta", "50"),
)


def test_shares_and_concentration() -> None:
    portfolio = run(FOUR_CLIENTS, as_of=D(2017, 12, 31))
    # Shares 500/1000, 300/1000, 150/1000, 50/1000.
    assert [(c.id, c.share_t12m) for c in portfolio.clients] == [
        ("Alpha", 0.5),
        ("Beta", 0.3),
        ("Gamma", 0.15),
        ("Delta", 0.05),
    ]
    concentration = portfolio.concentration
    # HHI = 50² + 30² + 15² + 5² = 2500 + 900 + 225 + 25 = 3650.
    assert concentration.hhi == pytest.approx(3650)
    assert concentration.effective_clients == pytest.approx(10_000 / 3650)
    assert concentration.top1_share == pytest.approx(0.5)
    assert concentration.top3_share == pytest.approx(0.95)
    assert [(f.client, f.threshold, f.label) for f in concentration.flags] == [
        ("Alpha", 0.1, "major client"),
        ("Alpha", 0.25, "high dependency"),
        ("Beta", 0.1, "major client"),
        ("Beta", 0.25, "high dependency"),
        ("Gamma", 0.1, "major client"),
    ]
    assert portfolio.totals.revenue_t12m == Decimal(1000)


def test_five_sixths_is_reached_exactly() -> None:
    portfolio = run(
        ledger(("2017-02-01", "Alpha", "500"), ("2017-03-01", "Beta", "100"))
    )
    flags = [(f.client, f.label) for f in portfolio.concentration.flags]
    # Alpha: 500/600 = 5/6 exactly, at or above every threshold.
    assert flags == [
        ("Alpha", "major client"),
        ("Alpha", "high dependency"),
        ("Alpha", "economic dependency"),
        ("Alpha", "one main client"),
        ("Beta", "major client"),  # 1/6
    ]


def test_clients_are_sorted_by_trailing_revenue_then_id() -> None:
    portfolio = run(
        ledger(
            ("2017-02-01", "Gamma", "100"),
            ("2017-02-01", "Beta", "100"),
            ("2017-02-01", "Alpha", "50"),
            ("2015-02-01", "Delta", "900"),  # nothing in the last 12 months
        )
    )
    assert [c.id for c in portfolio.clients] == ["Beta", "Gamma", "Alpha", "Delta"]


def test_the_period_restricts_the_shown_figures_not_the_lifecycle() -> None:
    portfolio = run(
        ledger(*MONTHLY_ALPHA),
        start=D(2017, 3, 1),
        end=D(2017, 4, 30),
        as_of=D(2017, 6, 30),
    )
    alpha = client(portfolio, "Alpha")
    assert alpha.revenue_period == Decimal(200)  # March and April
    assert alpha.monthly == {"2017-03": Decimal(100), "2017-04": Decimal(100)}
    assert alpha.revenue_total == alpha.revenue_t12m == Decimal(600)
    assert (alpha.start, alpha.last_revenue) == (D(2017, 1, 10), D(2017, 6, 10))
    assert portfolio.totals.revenue_period == Decimal(200)


def test_select_filters_the_figures_and_keeps_every_client_s_lifecycle() -> None:
    text = ledger(*MONTHLY_ALPHA, ("2017-05-01", "Beta", "300"))

    def only_alpha(line: RevenueLine) -> bool:
        return line.account == "Income:Clients:Alpha"

    portfolio = run(text, select=only_alpha, as_of=D(2017, 6, 30))
    alpha, beta = client(portfolio, "Alpha"), client(portfolio, "Beta")
    assert (alpha.revenue_total, alpha.share_t12m, alpha.selected) == (
        Decimal(600),
        1.0,
        True,
    )
    assert (beta.revenue_total, beta.revenue_t12m, beta.monthly) == (0, 0, {})
    assert beta.selected is False
    assert (beta.status, beta.start) == ("active", D(2017, 5, 1))
    assert [f.client for f in portfolio.concentration.flags] == ["Alpha"] * 4
    assert {line.client for line in portfolio.lines} == {"Alpha"}


def test_unattributed_revenue_is_reported_apart_never_dropped() -> None:
    portfolio = run(ledger(("2017-02-01", "Alpha", "100"), ("2017-03-01", "-", "50")))
    # Beta, Gamma and Delta: prospects known from their open accounts.
    assert [c.id for c in portfolio.clients] == ["Alpha", "Beta", "Delta", "Gamma"]
    assert portfolio.totals.revenue_total == Decimal(100)
    assert portfolio.totals.unattributed_total == Decimal(50)
    assert portfolio.totals.unattributed_t12m == Decimal(50)
    assert client(portfolio, "Alpha").share_t12m == 1.0
    (warning,) = portfolio.warnings
    assert "50.00 EUR of income has no client" in warning.message
    assert warning.source["lineno"] > 0


def test_a_declared_client_without_revenue_is_a_prospect() -> None:
    portfolio = run(
        ledger(
            ("2017-02-01", "Alpha", "100"),
            extra="""
            2017-01-15 custom "client" "Zeta" "Zeta Studio"
              kind: "project"
            """,
        )
    )
    zeta = client(portfolio, "Zeta")
    assert (zeta.status, zeta.name, zeta.kind) == ("prospect", "Zeta Studio", "project")
    assert (zeta.start, zeta.end, zeta.tenure_months) == (None, None, None)
    assert zeta.revenue_total == 0
    assert zeta.source is not None and zeta.source["lineno"] > 0
    assert portfolio.totals.active_clients == 1


CURRENCIES = """\
option "operating_currency" "EUR"
2017-01-01 open Assets:Bank
2017-01-01 open Income:Clients:Acme
2017-01-01 price USD 0.80 EUR

2017-02-01 * "Acme" "converted at the @ price: 100 x 0.90"
  Assets:Bank  90 EUR
  Income:Clients:Acme  -100 USD @ 0.90 EUR

2017-03-01 * "Acme" "converted by the price of 2017-01-01: 100 x 0.80"
  Assets:Bank  100 USD
  Income:Clients:Acme  -100 USD

2017-04-01 * "Acme" "no GBP price at all"
  Assets:Bank  100 GBP
  Income:Clients:Acme  -100 GBP
"""


def test_conversion_by_price_and_price_database_and_warning() -> None:
    portfolio = run(CURRENCIES)
    acme = client(portfolio, "Acme")
    assert acme.monthly == {"2017-02": Decimal("90.00"), "2017-03": Decimal("80.00")}
    assert acme.revenue_total == Decimal(170)
    (warning,) = portfolio.warnings
    assert "Cannot convert -100 GBP to EUR" in warning.message
    gbp_line = CURRENCIES.splitlines().index("  Income:Clients:Acme  -100 GBP") + 1
    assert warning.source["lineno"] == gbp_line


def test_revenue_by_interval_keeps_empty_intervals() -> None:
    portfolio = run(ledger(*MONTHLY_ALPHA, ("2017-05-01", "Beta", "300")))
    quarters = [
        (D(2017, 1, 1), D(2017, 4, 1)),
        (D(2017, 4, 1), D(2017, 7, 1)),
        (D(2017, 7, 1), D(2017, 10, 1)),
    ]
    assert revenue_by_interval(portfolio, quarters) == {
        "Alpha": [Decimal(300), Decimal(300), Decimal(0)],
        "Beta": [Decimal(0), Decimal(300), Decimal(0)],
        "Gamma": [Decimal(0)] * 3,
        "Delta": [Decimal(0)] * 3,
    }


def test_what_if_needs_a_known_active_client() -> None:
    portfolio = run(
        ledger(*MONTHLY_ALPHA, ("2016-01-01", "Beta", "300")), as_of=D(2017, 6, 30)
    )
    replacement = what_if(portfolio, "Alpha")
    assert (replacement.client, replacement.ended) == ("Alpha", D(2017, 6, 30))
    assert replacement.reason == "what-if"
    with pytest.raises(UnknownClient):
        what_if(portfolio, "Nobody")
    with pytest.raises(NotActive, match="dormant"):
        what_if(portfolio, "Beta")
    with pytest.raises(NotActive, match="prospect"):
        what_if(portfolio, "Gamma")


def test_an_empty_ledger_gives_an_empty_portfolio() -> None:
    portfolio = analyse(ask([], {}, as_of=D(2017, 1, 1)))
    assert portfolio.clients == ()
    assert portfolio.currency == "EUR"
    assert portfolio.totals.revenue_total == 0


def test_a_client_known_only_after_as_of_is_left_out() -> None:
    text = ledger(
        ("2017-02-01", "Alpha", "100"),
        ("2017-09-01", "Beta", "100"),
        extra="""
        2017-08-15 custom "client" "Zeta" "Declared in August"
        """,
    )
    # As of 2017-06-30: Alpha has paid; Beta, Gamma and Delta have accounts opened
    # in 2014 (prospects); Zeta is declared only on 2017-08-15.
    portfolio = run(text, as_of=D(2017, 6, 30))
    assert [c.id for c in portfolio.clients] == ["Alpha", "Beta", "Delta", "Gamma"]
    assert client(portfolio, "Beta").status == "prospect"
    later = run(text, as_of=D(2017, 8, 15))
    assert client(later, "Zeta").status == "prospect"
