"""Movements (docs/metrics.md, "Movements"): the bridge, so far, retention, cohorts.

The ledger, in EUR (revenue per quarter; Interest is income without a client):

    client   2015-Q2  2015-Q4  2016-Q1  2016-Q2  2016-Q3  2016-Q4 (to 10-15)
    Acme        -     1000 (a)  1000     1500       -       200 (+999 on 11-01)
    Beta      1000     800       500       -       600        -
    Cyan        -       -        300    300-400     -         -
    Dune        -       -         -    1000 USD     -         -
                                       @ 0.90

(a) on Income:Clients:Acme:Workshops. Dune's 1000 USD are worth 900 EUR.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from beancount import loader

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report
from beancount_freelance.core.revenue.movements import (
    Bridge,
    Movements,
    last_complete,
    period_label,
)

D = datetime.date
AS_OF = D(2016, 10, 15)


def _income(day: str, client: str, number: str, account: str = "") -> str:
    account = account or f"Income:Clients:{client}"
    return textwrap.dedent(
        f"""\
        {day} * "{client}" "work"
          {account}  {-Decimal(number)} EUR
          Assets:Bank
        """
    )


LEDGER = "".join(
    [
        'option "operating_currency" "EUR"\n',
        'plugin "beancount_freelance.plugin"\n',
        "2014-01-01 open Assets:Bank\n",
        "2014-01-01 open Income:Interest\n",
        *(
            f"2014-01-01 open Income:Clients:{name}\n"
            for name in ("Acme", "Acme:Workshops", "Beta", "Cyan", "Dune", "Echo")
        ),
        _income("2015-06-10", "Beta", "1000"),
        _income("2015-11-10", "Acme", "1000", "Income:Clients:Acme:Workshops"),
        _income("2015-12-10", "Beta", "800"),
        _income("2016-01-10", "Acme", "1000"),
        _income("2016-02-10", "Beta", "500"),
        _income("2016-02-20", "Cyan", "300"),
        _income("2016-04-10", "Acme", "1500"),
        _income("2016-05-10", "Cyan", "300"),
        _income("2016-06-10", "Cyan", "-400"),
        textwrap.dedent(
            """\
            2016-05-20 * "Dune" "work"
              Income:Clients:Dune  -1000 USD @ 0.90 EUR
              Assets:Bank
            """
        ),
        _income("2016-08-10", "Beta", "600"),
        _income("2016-10-01", "Acme", "200"),
        _income("2016-11-01", "Acme", "999"),
        *(
            _income(day, "Bank", "50", "Income:Interest")
            for day in ("2015-11-30", "2016-03-31", "2016-06-30", "2016-09-30")
        ),
    ]
)


def _report(**asked: Any) -> Any:
    entries, errors, options_map = loader.load_string(LEDGER)
    assert errors == []
    return analyse_report(entries, options_map, **asked)


def _bridges(movements: Movements) -> dict[str, Bridge]:
    return {bridge.period: bridge for bridge in movements.periods}


def _money(bridge: Bridge) -> tuple[str, ...]:
    return tuple(
        str(value)
        for value in (
            bridge.start,
            bridge.new,
            bridge.returned,
            bridge.expansion,
            bridge.contraction,
            bridge.lost,
            bridge.adjustment,
            bridge.end,
        )
    )


def test_each_client_moves_once_per_quarter_and_the_bridge_adds_up() -> None:
    found = _report(start=D(2016, 1, 1), as_of=AS_OF).movements
    assert [bridge.period for bridge in found.periods] == [
        "2016-Q1",
        "2016-Q2",
        "2016-Q3",
    ]
    q1, q2, q3 = found.periods
    # Q1 from 2015-Q4 (Acme 1000 + Beta 800): Cyan is new (300), Beta gives
    # 300 less, Acme the same; the interest is in no movement.
    assert _money(q1) == ("1800", "300", "0", "0", "300", "0", "0", "1800")
    assert (q1.clients["new"], q1.clients["contraction"], q1.clients["steady"]) == (
        ("Cyan",),
        ("Beta",),
        ("Acme",),
    )
    assert q1.replacement_ratio == 1
    # Q2: Acme gives 500 more; Beta leaves (500) and Cyan's refund takes it
    # below zero (300 - 400 = -100), lost for 300 - (-100) = 400; Dune is new
    # for 1000 USD at 0.90.
    assert _money(q2) == ("1800", "900.00", "0", "500", "0", "900", "0", "2300.00")
    assert q2.clients["lost"] == ("Beta", "Cyan")
    assert q2.replacement_ratio == Fraction(1400, 900)
    # Q3: Acme and Dune leave (1500 + 900), Beta comes back (600), Cyan goes
    # from -100 to 0: an adjustment of +100.
    assert _money(q3) == ("2300.00", "0", "600", "0", "0", "2400.00", "100", "600")
    assert q3.clients["returned"] == ("Beta",)
    assert q3.clients["adjustment"] == ("Cyan",)
    assert q3.replacement_ratio == Fraction(600, 2400)
    for bridge in found.periods:
        assert (
            bridge.start
            + bridge.new
            + bridge.returned
            + bridge.expansion
            + bridge.adjustment
            - bridge.contraction
            - bridge.lost
            == bridge.end
        )


def test_the_running_quarter_is_so_far_never_movements() -> None:
    found = _report(start=D(2016, 1, 1), as_of=AS_OF).movements
    # Acme's 200 on 10-01 counts, its 999 on 11-01 is after as_of.
    assert found.so_far is not None
    assert (found.so_far.period, found.so_far.revenue, found.so_far.through) == (
        "2016-Q4",
        Decimal(200),
        AS_OF,
    )
    on_the_last_day = _report(start=D(2016, 1, 1), as_of=D(2016, 9, 30)).movements
    assert on_the_last_day.so_far is None
    assert on_the_last_day.periods[-1].period == "2016-Q3"


def test_without_a_period_the_eight_complete_quarters_ending_with_the_last() -> None:
    found = _report(as_of=AS_OF).movements
    labels = [bridge.period for bridge in found.periods]
    assert labels == [
        "2014-Q4",
        *(f"2015-Q{q}" for q in range(1, 5)),
        *(f"2016-Q{q}" for q in range(1, 4)),
    ]
    # 2015-Q3 from 2015-Q2: Beta's 1000 left; 2015-Q4: Acme new, Beta back.
    bridges = _bridges(found)
    assert bridges["2015-Q2"].new == 1000
    assert bridges["2015-Q3"].lost == 1000 and bridges["2015-Q3"].end == 0
    assert bridges["2015-Q4"].clients["new"] == ("Acme",)
    assert bridges["2015-Q4"].clients["returned"] == ("Beta",)
    assert bridges["2015-Q1"].replacement_ratio is None


def test_a_period_bridges_its_complete_quarters_from_the_one_before() -> None:
    found = _report(start=D(2016, 2, 15), end=D(2016, 5, 31)).movements
    # as_of is the period's end, 05-31: Q2 is not complete, it is so far.
    assert [bridge.period for bridge in found.periods] == ["2016-Q1"]
    assert found.periods[0].start == 1800
    assert found.so_far is not None and found.so_far.period == "2016-Q2"
    # Acme 1500 + Cyan 300 + Dune 900; Cyan's refund is on 06-10.
    assert found.so_far.revenue == Decimal("2700.00")


def test_by_month_the_same_rules_per_calendar_month() -> None:
    found = _report(start=D(2016, 5, 1), as_of=D(2016, 6, 30)).monthly_movements
    may, june = found.periods
    assert (may.period, june.period) == ("2016-05", "2016-06")
    # May from April (Acme 1500): Acme lost, Cyan returned (300, its first
    # revenue was in February), Dune new; June: Cyan from 300 to -400 (lost
    # for 700), Dune lost (900).
    assert may.clients["lost"] == ("Acme",) and may.lost == 1500
    assert may.clients["returned"] == ("Cyan",) and may.clients["new"] == ("Dune",)
    assert june.lost == 700 + 900 and june.clients["lost"] == ("Cyan", "Dune")
    assert june.end == -400
    assert found.so_far is None


def test_filters_choose_the_lines_but_not_the_first_revenue() -> None:
    def no_workshops(line: Any) -> bool:
        return not line.account.endswith("Workshops")

    found = _report(as_of=AS_OF, select=no_workshops).movements
    bridges = _bridges(found)
    # The workshop line is left out of 2015-Q4: Acme's first revenue is still
    # in 2015-Q4, so its first kept line, in 2016-Q1, is a return.
    assert bridges["2015-Q4"].clients["new"] == ()
    assert bridges["2015-Q4"].end == 800
    assert bridges["2016-Q1"].clients["returned"] == ("Acme",)


def test_retention_over_the_trailing_year_against_the_year_before() -> None:
    retention = _report(as_of=AS_OF).movements.retention
    # The year before, (2014-10-15, 2015-10-15]: Beta's 1000 only. This year:
    # Beta 800 + 500 + 600 = 1900, Acme 1000 + 1000 + 1500 + 200 = 3700,
    # Cyan 300 + 300 - 400 = 200, Dune 900; Acme, Cyan and Dune are new.
    assert retention.nrr == Fraction(1900, 1000)
    assert retention.grr == 1
    assert retention.new_share == Fraction(3700 + 200 + 900, 6700)


def test_cohorts_by_year_of_first_revenue() -> None:
    found = _report(start=D(2016, 1, 1), as_of=AS_OF).cohorts
    assert [(c.year, c.clients) for c in found] == [
        (2015, ("Acme", "Beta")),
        (2016, ("Cyan", "Dune")),
    ]
    assert found[0].revenue == {2015: 2800, 2016: 3800}
    assert found[1].revenue == {2016: Decimal("1100.00")}


def test_the_document_keys() -> None:
    document = report_document(_report(start=D(2016, 1, 1), as_of=AS_OF))
    movements = document["movements"]
    assert movements["by"] == "quarter"
    assert movements["periods"][1]["replacement_ratio"] == 1.5556
    assert movements["periods"][1]["lost"] == "900.00"
    assert movements["periods"][1]["clients"]["lost"] == ["Beta", "Cyan"]
    assert movements["so_far"] == {
        "period": "2016-Q4",
        "revenue": "200.00",
        "through": "2016-10-15",
    }
    assert (movements["nrr"], movements["grr"], movements["new_share"]) == (
        1.9,
        1.0,
        0.7164,
    )
    assert document["cohorts"][1] == {
        "year": 2016,
        "clients": ["Cyan", "Dune"],
        "revenue": {"2016": "1100.00"},
    }
    keys = list(document)
    assert keys[keys.index("replacement_history") + 1 :][:2] == ["movements", "cohorts"]


@pytest.mark.parametrize(
    ("as_of", "by", "label"),
    [
        (D(2016, 3, 31), "quarter", "2016-Q1"),
        (D(2016, 3, 30), "quarter", "2015-Q4"),
        (D(2016, 2, 29), "month", "2016-02"),
        (D(2016, 2, 28), "month", "2016-01"),
        (datetime.date.max, "quarter", "9999-Q4"),
        (datetime.date.min, "month", "0000-12"),
    ],
)
def test_the_last_complete_period(as_of: datetime.date, by: Any, label: str) -> None:
    assert period_label(last_complete(as_of, by), by) == label


def test_the_years_end_on_their_last_day() -> None:
    # As of 2016-06-30: this year is (2015-06-30, 2016-06-30], the year before
    # (2014-06-30, 2015-06-30]. Beta's 1000 on 2015-06-10 is in the year before;
    # a line on 2015-06-30 would be too, one on 2014-06-30 would not.
    text = LEDGER + "".join(
        [
            _income("2014-06-30", "Echo", "5000"),
            _income("2015-06-30", "Echo", "400"),
            _income("2016-06-30", "Echo", "100"),
        ]
    )
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    found = analyse_report(entries, options_map, as_of=D(2016, 6, 30))
    retention = found.movements.retention
    # The year before: Beta 1000, Echo 400. This year: Beta 800 + 500, Echo 100.
    assert retention.before == 1400
    assert retention.kept == 1400
    assert retention.kept_at_most == 1000 + 100
