"""Replacement numbers (DESIGN §3): hand-checked on small ledgers and on the story.

Month arithmetic is written out in the comments: "2015-01..2015-12" is the twelve
calendar months January to December 2015.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.portfolio import Portfolio
from beancount_freelance.core.revenue.replacement import (
    ClientHistory,
    Replacement,
    Starts,
    month_index,
    month_label,
)
from beancount_freelance.core.revenue.streams import analyse, what_if

D = datetime.date
EXAMPLE = Path(__file__).parent.parent / "example_ledger" / "main.beancount"


def payments(client: str, amount: str, *days: str) -> str:
    return "".join(
        f'{day} * "{client}"\n  Assets:Bank  {amount} EUR\n  Income:Clients:{client}\n'
        for day in days
    )


def run(text: str, **kwargs: Any) -> Portfolio:
    entries, errors, options_map = loader.load_string(textwrap.dedent(text))
    assert errors == []
    return analyse(ask(entries, options_map, **kwargs))


def only(portfolio: Portfolio) -> Replacement:
    (replacement,) = portfolio.replacements
    return replacement


# Law: 300 a month through 2015, lost on 2015-12-20. Shop: 150 a month from
# 2015-06 to 2016-03. Cafe: a one-off 600 in 2014-03. New1: 200 in 2016-02 and
# 2016-03, after the loss.
LAW = (
    """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Law
2014-01-01 open Income:Clients:Shop
2014-01-01 open Income:Clients:Cafe
2014-01-01 open Income:Clients:New1
2015-12-20 custom "client-lost" "Law" "Moved to an agency"
"""
    + payments("Law", "300", *(f"2015-{m:02d}-05" for m in range(1, 13)))
    + payments("Shop", "150", *(f"2015-{m:02d}-10" for m in range(6, 13)))
    + payments("Shop", "150", "2016-01-10", "2016-02-10", "2016-03-10")
    + payments("Cafe", "600", "2014-03-10")
    + payments("New1", "200", "2016-02-15", "2016-03-15")
)


def test_replacement_of_a_lost_client() -> None:
    law = only(run(LAW, as_of=D(2016, 3, 31)))
    assert (law.client, law.ended, law.reason) == ("Law", D(2015, 12, 20), "lost")
    assert law.note == "Moved to an agency"
    # Window: the 12 months to its last revenue (2015-12-05): 2015-01..2015-12,
    # which is also its first month. 12 x 300 / 12 = 300.
    assert (law.window_start, law.window_end, law.window_months) == (
        "2015-01",
        "2015-12",
        12,
    )
    assert law.monthly_lost == Decimal(300)
    # Everyone in 2015-01..2015-12: Law 3600 + Shop 7 x 150 = 1050 -> 4650.
    assert law.share_at_end == pytest.approx(3600 / 4650)
    # Reference: first revenue in (2013-12-20, 2015-12-20]: Cafe and Shop.
    # Cafe: 2014-03..2015-02 brings 600 -> 600 / 12 = 50.
    # Shop: 2015-06..2016-05 clipped at as_of's month 2016-03, 10 months:
    # 1500 / 10 = 150. Mean: (50 + 150) / 2 = 100.
    assert law.reference_clients == ("Cafe", "Shop")
    assert law.reference_fallback is False
    assert law.new_client_monthly == Decimal(100)
    assert law.clients_needed == 3  # ceil(300 / 100)
    # Acquired in (2013-12-20, 2015-12-20]: Cafe, Law, Shop = 3, over
    # min(24, 2014-03..2015-12 = 22 months) = 22.
    assert (law.clients_acquired, law.acquisition_months) == (3, 22)
    assert law.acquisition_per_month == pytest.approx(3 / 22)
    assert law.months_to_replace == pytest.approx(22.0)  # 3 / (3 / 22)
    # Since: New1 (first 2016-02-15), k = min(3, 2016-02..2016-03 = 2) = 2:
    # (200 + 200) / 2 = 200 a month, 200 / 300 of Law.
    assert law.new_clients == ("New1",)
    assert law.replaced_monthly == Decimal(200)
    assert law.replaced_share == pytest.approx(2 / 3)


def test_what_if_an_active_client_were_lost_at_as_of() -> None:
    shop = what_if(run(LAW, as_of=D(2016, 3, 31)), "Shop")
    assert (shop.ended, shop.reason, shop.note) == (D(2016, 3, 31), "what-if", "")
    # Window: 2015-04..2016-03 clipped at its first month 2015-06: 10 months,
    # 10 x 150 = 1500 -> 150 a month.
    assert (shop.window_start, shop.window_months) == ("2015-06", 10)
    assert shop.monthly_lost == Decimal(150)
    # Everyone in 2015-06..2016-03: Law 7 x 300 + Shop 1500 + New1 400 = 4000.
    assert shop.share_at_end == pytest.approx(1500 / 4000)
    # Reference: first revenue in (2014-03-31, 2016-03-31]: Law and New1 (Cafe,
    # 2014-03-10, is older). Law: 3600 / 12 = 300; New1: 2016-02..2016-03,
    # 400 / 2 = 200. Mean 250.
    assert shop.reference_clients == ("Law", "New1")
    assert shop.new_client_monthly == Decimal(250)
    assert shop.clients_needed == 1  # ceil(150 / 250)
    # Acquired: Law, New1, Shop = 3 over min(24, 2014-03..2016-03 = 25) = 24.
    assert shop.acquisition_per_month == pytest.approx(3 / 24)
    assert shop.months_to_replace == pytest.approx(8.0)
    assert (shop.replaced_monthly, shop.replaced_share) == (Decimal(0), 0.0)


def test_the_window_is_clipped_at_the_client_s_start() -> None:
    text = (
        """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Brief
2014-01-01 open Income:Clients:Shop
2015-12-28 custom "client-lost" "Brief"
"""
        + payments("Brief", "200", "2015-09-05", "2015-10-05", "2015-11-05")
        + payments("Brief", "200", "2015-12-05")
        + payments("Shop", "100", "2015-01-10", "2015-07-10")
    )
    brief = only(run(text, as_of=D(2015, 12, 31)))
    # 12 months to 2015-12 would start in 2015-01; Brief started in 2015-09.
    assert (brief.window_start, brief.window_end, brief.window_months) == (
        "2015-09",
        "2015-12",
        4,
    )
    assert brief.monthly_lost == Decimal(200)  # 800 / 4
    # Everyone in 2015-09..2015-12: Brief's 800 only (Shop paid in 01 and 07).
    assert brief.share_at_end == 1.0


# Law and Shop both started in 2014, more than 24 months before Law's loss on
# 2017-06-30: no recent client to measure a new client's size, no acquisition.
OLD_CLIENTS = (
    """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Law
2014-01-01 open Income:Clients:Shop
2017-06-30 custom "client-lost" "Law"
"""
    + payments("Law", "100", "2014-01-10")
    + payments("Law", "100", *(f"2017-{m:02d}-10" for m in range(1, 7)))
    + payments("Shop", "240", "2014-05-05")
    + payments("Shop", "100", "2017-05-05")
)


def test_reference_clients_fall_back_to_every_older_client() -> None:
    law = only(run(OLD_CLIENTS, as_of=D(2017, 6, 30)))
    # Window 2016-07..2017-06: Law 600 -> 50 a month; everyone 600 + Shop 100.
    assert law.monthly_lost == Decimal(50)
    assert law.share_at_end == pytest.approx(600 / 700)
    # Nobody started in (2015-06-30, 2017-06-30]; fallback: Shop, started before.
    # Shop's first 12 months 2014-05..2015-04: 240 / 12 = 20.
    assert (law.reference_clients, law.reference_fallback) == (("Shop",), True)
    assert law.new_client_monthly == Decimal(20)
    assert law.clients_needed == 3  # ceil(50 / 20) = ceil(2.5)


def test_a_zero_acquisition_rate_gives_no_months_to_replace() -> None:
    law = only(run(OLD_CLIENTS, as_of=D(2017, 6, 30)))
    # No client's first revenue in (2015-06-30, 2017-06-30]; 2014-01..2017-06 is
    # 42 months, so the rate is 0 / min(24, 42).
    assert (law.clients_acquired, law.acquisition_months) == (0, 24)
    assert law.acquisition_per_month == 0.0
    assert law.months_to_replace is None
    assert (law.replaced_monthly, law.replaced_share) == (Decimal(0), 0.0)


def test_no_other_client_at_all_leaves_the_size_unknown() -> None:
    text = """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Law
2017-03-31 custom "client-lost" "Law"
""" + payments("Law", "100", "2017-01-10", "2017-02-10", "2017-03-10")
    law = only(run(text))
    assert law.reference_clients == ()
    assert (law.new_client_monthly, law.clients_needed) == (None, None)
    assert law.months_to_replace is None
    # Law itself started within the 24 months: 1 over 2017-01..2017-03 = 3 months.
    assert law.acquisition_per_month == pytest.approx(1 / 3)


DORMANT = (
    """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Regular
2014-01-01 open Income:Clients:Project
"""
    + payments("Regular", "100", "2017-01-10", "2017-02-10", "2017-03-10")
    + payments("Project", "900", "2016-05-02")
)


def test_dormant_recurring_clients_are_replaced_one_off_projects_are_not() -> None:
    # As of 2017-12-31: Regular (cadence 29.5, limit 60 days) is dormant since
    # 2017-03-10; Project (one date, limit 180 days) is dormant since 2016-05-02.
    portfolio = run(DORMANT, as_of=D(2017, 12, 31))
    assert {c.id: c.status for c in portfolio.clients} == {
        "Regular": "dormant",
        "Project": "dormant",
    }
    regular = only(portfolio)
    assert (regular.client, regular.ended, regular.reason) == (
        "Regular",
        D(2017, 3, 10),
        "dormant",
    )
    assert regular.monthly_lost == Decimal(100)  # 2017-01..2017-03: 300 / 3


def test_replacements_follow_the_report_period() -> None:
    assert only(run(LAW, start=D(2015, 12, 1), end=D(2015, 12, 31))).client == "Law"
    assert run(LAW, start=D(2016, 1, 1), end=D(2016, 3, 31)).replacements == ()
    # No period: the 24 months before as_of; 2015-12-20 is exactly 24 months
    # before 2017-12-20 (excluded), one day inside for 2017-12-19. (By then Shop
    # is dormant since 2016-03-10, and replaced too.)
    late = run(LAW, as_of=D(2017, 12, 20)).replacements
    assert [r.client for r in late] == ["Shop"]
    inside = run(LAW, as_of=D(2017, 12, 19)).replacements
    assert [r.client for r in inside] == ["Law", "Shop"]  # by end date


def test_month_indexes_count_calendar_months() -> None:
    assert month_index(D(2016, 1, 31)) - month_index(D(2015, 12, 1)) == 1
    assert month_label(month_index(D(2015, 12, 1))) == "2015-12"


# --- The story: Cabinet Lefèvre Avocats, in the example ledger ------------------


@pytest.fixture(scope="module")
def example() -> tuple[list[Any], dict[str, Any]]:
    entries, errors, options_map = loader.load_file(str(EXAMPLE))
    assert errors == []
    return entries, options_map


def test_lefevre_six_months_after_the_loss(example: Any) -> None:
    """As of 2016-06-30 (no period: the 24 months before), from the ledger's text.

    Lefèvre paid 300 on the 5th of every month, 2014-10 to 2015-12; lost 2015-12-29.
    - window 2015-01..2015-12 (its last payment 2015-12-05): 3600 / 12 = 300.
    - everyone in 2015: Lefevre 3600, AtelierDupont 750, Roux 600, Benali 2400,
      LibrairieVent 600, MJCBelleville 1200, Mercier 10 x 260 = 2600,
      Olivier 4 x 300 = 1200: 12950 (the README's 2015 revenue);
      share 3600 / 12950 = 0.278.
    - reference, first revenue in (2013-12-29, 2015-12-29]: Roux 1200 / 12 = 100,
      AtelierDupont 1000 / 12, MJCBelleville 1620 / 12 = 135, Mercier
      (10 x 260 + 2 x 280) / 12 = 3160 / 12, LibrairieVent 900 / 12 = 75,
      Benali 2400 / 12 = 200, Olivier 2015-09..2016-06 (clipped at as_of):
      2700 / 10 = 270. Mean (780 + 4160 / 12) / 7 = 160.95.
    - clients needed: ceil(300 / 160.95) = 2.
    - acquired: those 7 and Lefevre = 8, over 2014-10..2015-12 = 15 months:
      0.5333 a month; 2 / 0.5333 = 3.75 months.
    - since: Dubois (2016-04..06: 1200 / 3 = 400), Kinetica (first 2016-04,
      1500 USD @ 0.8813 = 1321.95, / 3 = 440.65), Verdier (2016-05..06: 1600 / 2)
      and Rivages (700 / 2): 400 + 440.65 + 800 + 350 = 1990.65 -> 100 %.
    """
    entries, options_map = example
    portfolio = analyse(ask(entries, options_map, as_of=D(2016, 6, 30)))
    lefevre = next(r for r in portfolio.replacements if r.client == "Lefevre")
    assert lefevre.ended == D(2015, 12, 29)
    assert lefevre.note == "Restructuring; moving to an agency"
    assert lefevre.monthly_lost == Decimal(300)
    assert lefevre.share_at_end == pytest.approx(3600 / 12950)
    assert lefevre.reference_clients == (
        "AtelierDupont",
        "Benali",
        "LibrairieVent",
        "MJCBelleville",
        "Mercier",
        "Olivier",
        "Roux",
    )
    expected = (Decimal(780) + Decimal(4160) / 12) / 7
    assert lefevre.new_client_monthly == pytest.approx(expected)
    assert lefevre.clients_needed == 2
    assert lefevre.acquisition_per_month == pytest.approx(8 / 15)
    assert lefevre.months_to_replace == pytest.approx(3.75)
    assert lefevre.new_clients == ("Dubois", "Kinetica", "Rivages", "Verdier")
    assert lefevre.replaced_monthly == Decimal("1990.65")
    assert lefevre.replaced_share == 1.0


def test_olivier_s_loss_has_a_window_clipped_at_its_start(example: Any) -> None:
    # Olivier: 300 a month 2015-09..2016-05, lost 2016-06-15 (back in 2017).
    entries, options_map = example
    portfolio = analyse(ask(entries, options_map, as_of=D(2016, 6, 30)))
    olivier = next(r for r in portfolio.replacements if r.client == "Olivier")
    assert (olivier.window_start, olivier.window_end) == ("2015-09", "2016-05")
    assert olivier.monthly_lost == Decimal(300)  # 9 x 300 / 9
    assert olivier.new_clients == ()  # nobody new between 06-15 and 06-30


def test_at_the_end_of_the_story_lefevre_is_long_replaced(example: Any) -> None:
    entries, options_map = example
    portfolio = analyse(
        ask(entries, options_map, start=D(2015, 1, 1), end=D(2017, 12, 31))
    )
    lefevre = next(r for r in portfolio.replacements if r.client == "Lefevre")
    # Same loss, same window and acquisition pace as above.
    assert (lefevre.monthly_lost, lefevre.clients_needed) == (Decimal(300), 2)
    assert lefevre.acquisition_per_month == pytest.approx(8 / 15)
    # Eight clients signed since the loss, among them Bianchi (500 a month) alone
    # is worth more than Lefevre.
    assert len(lefevre.new_clients) == 8
    assert lefevre.replaced_share == 1.0


_DAYS = st.dates(datetime.date(2020, 1, 1), datetime.date(2021, 12, 31))


@settings(max_examples=200, deadline=None)
@given(
    firsts=st.lists(st.one_of(st.none(), _DAYS), max_size=12),
    after=_DAYS,
    until=_DAYS,
    but=st.integers(0, 12),
)
def test_the_clients_by_first_revenue_are_the_plain_filters(
    firsts: list[datetime.date | None],
    after: datetime.date,
    until: datetime.date,
    but: int,
) -> None:
    """A replacement reads its spans of clients as slices of `History.starts`:
    they are the clients a plain filter over every client finds."""
    clients = [
        ClientHistory(f"c{i}", (), {}, first, Decimal(0), Decimal(0))
        for i, first in enumerate(firsts)
    ]
    starts = Starts(clients)
    skip = f"c{but}"
    started = [c for c in clients if c.first_revenue is not None]

    def ids(found: list[ClientHistory]) -> set[str]:
        return {c.client for c in found}

    assert ids(starts.between(after, until, skip)) == {
        c.client
        for c in started
        if c.client != skip and after < c.first_revenue <= until
    }
    assert ids(starts.before(until, skip)) == {
        c.client for c in started if c.client != skip and c.first_revenue < until
    }
    assert starts.count_between(after, until) == sum(
        1 for c in started if after < c.first_revenue <= until
    )
