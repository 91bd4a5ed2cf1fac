"""How long regular relationships last: Kaplan–Meier steps and Greenwood's band.

The six-client ledger below is worked by hand in the test: durations, who ended,
each step S(t) = S(t⁻) × (1 − d/n), and the band S ± 1.96 × S × sqrt(Σ d/(n(n−d))).
"""

from __future__ import annotations

import datetime
import math
import textwrap
from fractions import Fraction
from typing import Any

from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.core.ahead.survival import Relationship, kaplan_meier, survival
from beancount_freelance.core.document.outlook import survival_document
from beancount_freelance.core.document.streams import to_document
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.portfolio import Portfolio
from beancount_freelance.core.revenue.streams import analyse

D = datetime.date
PROFILE = settings(max_examples=200, derandomize=True, deadline=None)


def monthly(client: str, first: datetime.date, count: int) -> list[str]:
    """`count` payments of 100 EUR on `first`'s day of the month."""
    lines = []
    for step in range(count):
        year, month = divmod(first.month - 1 + step, 12)
        day = D(first.year + year, month + 1, first.day).isoformat()
        lines.append(
            f'{day} * "{client}"\n  Assets:Bank  100 EUR\n  Income:Clients:{client}\n'
        )
    return lines


def run(*parts: str, as_of: datetime.date) -> Portfolio:
    text = '\noption "operating_currency" "EUR"\n2014-01-01 open Assets:Bank\n'
    body = "\n".join(textwrap.dedent(part) for part in parts)
    accounts = sorted(
        {line.split()[-1] for line in body.splitlines() if "Income:Clients:" in line}
    )
    text += "".join(f"2014-01-01 open {account}\n" for account in accounts)
    entries, errors, options_map = loader.load_string(text + body)
    assert errors == []
    return analyse(ask(entries, options_map, as_of=as_of))


def lost(client: str, day: str) -> str:
    return f'{day} custom "client-lost" "{client}" "gone"\n'


# As of 2017-12-31, six regular clients (monthly, so cadence about 30 days):
#   A 2017-01-05 .. 04-05, lost 2017-04-20  -> 3 months, ended
#   D 2017-02-01 .. 05-01, then silent      -> dormant at its last revenue
#                                              2017-05-01: 3 months, ended
#   E 2017-08-01 .. 12-01, active           -> 2017-08-01 -> as_of: 4 months
#   B 2016-12-10 .. 2017-06-10, lost 06-15  -> 6 months, ended
#   F 2016-06-20 .. 2017-03-20, lost 03-25  -> 9 months, ended
#   C 2017-01-15 .. 12-15, active           -> 11 months
SIX = (
    *monthly("A", D(2017, 1, 5), 4),
    lost("A", "2017-04-20"),
    *monthly("D", D(2017, 2, 1), 4),
    *monthly("E", D(2017, 8, 1), 5),
    *monthly("B", D(2016, 12, 10), 7),
    lost("B", "2017-06-15"),
    *monthly("F", D(2016, 6, 20), 10),
    lost("F", "2017-03-25"),
    *monthly("C", D(2017, 1, 15), 12),
)


def test_six_relationships_by_hand() -> None:
    portfolio = run(*SIX, as_of=D(2017, 12, 31))
    tenure = {s.id: (s.tenure_months, s.status) for s in portfolio.clients}
    assert tenure == {
        "A": (3, "lost"),
        "B": (6, "lost"),
        "C": (11, "active"),
        "D": (3, "dormant"),
        "E": (4, "active"),
        "F": (9, "lost"),
    }
    found = survival(portfolio.clients)
    assert (found.relationships, found.ended) == (6, 4)
    three, six, nine = found.curve
    # t = 3: all six lasted 3 months, A and D ended: S = 1 - 2/6 = 2/3.
    #   Greenwood: 2 / (6 x 4) = 1/12; 1.96 x 2/3 x sqrt(1/12) = 0.377203;
    #   low 0.666667 - 0.377203 = 0.289464, high 1.043870 clipped to 1.
    assert (three.months, three.at_risk, three.ended) == (3, 6, 2)
    assert three.survival == Fraction(2, 3)
    # t = 6: E (4) is censored before; B, F, C remain: n = 3, d = 1.
    #   S = 2/3 x (1 - 1/3) = 4/9; Greenwood 1/12 + 1 / (3 x 2) = 1/4, sqrt 1/2;
    #   1.96 x 4/9 x 1/2 = 0.435556: low 0.008889, high 0.880000.
    assert (six.months, six.at_risk, six.ended, six.survival) == (
        6,
        3,
        1,
        Fraction(4, 9),
    )
    # t = 9: F and C remain, F ends: S = 4/9 x 1/2 = 2/9; Greenwood 1/4 + 1/2 = 3/4;
    #   1.96 x 2/9 x sqrt(3/4) = 0.377203: low -0.154981 clipped to 0, high 0.599425.
    assert (nine.months, nine.at_risk, nine.ended, nine.survival) == (
        9,
        2,
        1,
        Fraction(2, 9),
    )
    # The median: the first t where S <= 1/2 is 6 (4/9).
    assert found.median_months == 6
    assert survival_document(found) == {
        "n": 6,
        "events": 4,
        "curve": [
            {"months": 3, "survival": 0.6667, "low": 0.2895, "high": 1.0,
             "at_risk": 6, "ended": 2},
            {"months": 6, "survival": 0.4444, "low": 0.0089, "high": 0.88,
             "at_risk": 3, "ended": 1},
            {"months": 9, "survival": 0.2222, "low": 0.0, "high": 0.5994,
             "at_risk": 2, "ended": 1},
        ],
        "median_months": 6,
    }  # fmt: skip


def test_where_every_one_left_ends_the_band() -> None:
    # Two relationships, both ended, at 2 and at 5 months.
    found = kaplan_meier([Relationship("X", 2, True), Relationship("Y", 5, True)])
    first, last = found.curve
    # t = 2: S = 1 - 1/2 = 1/2; Greenwood 1 / (2 x 1) = 1/2;
    #   1.96 x 0.5 x 0.707107 = 0.692965: low 0 (clipped), high 1 (clipped).
    assert (first.survival, first.low, first.high) == (Fraction(1, 2), 0, 1)
    # t = 5: n = d = 1: S = 0, Greenwood's term undefined: no band.
    assert (last.survival, last.low, last.high) == (0, None, None)
    assert found.median_months == 2  # S(2) = 1/2 <= 1/2


def test_a_ledger_of_one_client() -> None:
    portfolio = run(*monthly("A", D(2017, 1, 5), 6), as_of=D(2017, 6, 30))
    document: dict[str, Any] = to_document(portfolio)
    # One relationship, still going: no step, no median.
    assert document["survival"] == {
        "n": 1,
        "events": 0,
        "curve": [],
        "median_months": None,
    }


def test_a_ledger_with_no_regular_client() -> None:
    # Two payments each: no client has the three dates of a recurring one.
    portfolio = run(
        *monthly("A", D(2017, 1, 5), 2),
        *monthly("B", D(2017, 3, 5), 2),
        as_of=D(2017, 6, 30),
    )
    found = survival(portfolio.clients)
    assert (found.relationships, found.ended, found.curve) == (0, 0, ())
    assert found.median_months is None


def test_a_ledger_where_every_client_was_lost() -> None:
    # A: 2017-01-05 -> lost 2017-04-20, 3 months; B: 2016-12-10 -> lost
    # 2017-06-15, 6 months. S(3) = 1/2, S(6) = 0 (n = d = 1: no band).
    portfolio = run(
        *monthly("A", D(2017, 1, 5), 4),
        lost("A", "2017-04-20"),
        *monthly("B", D(2016, 12, 10), 7),
        lost("B", "2017-06-15"),
        as_of=D(2017, 12, 31),
    )
    document = survival_document(survival(portfolio.clients))
    assert [(p["months"], p["survival"], p["low"]) for p in document["curve"]] == [
        (3, 0.5, 0.0),
        (6, 0.0, None),
    ]
    assert (document["n"], document["events"], document["median_months"]) == (2, 2, 3)


relationship_samples = st.lists(
    st.builds(Relationship, st.just("c"), st.integers(0, 60), st.booleans()),
    max_size=30,
)


@PROFILE
@given(relationship_samples)
def test_the_curve_never_rises_and_stays_in_zero_one(
    sample: list[Relationship],
) -> None:
    found = kaplan_meier(sample)
    levels = [step.survival for step in found.curve]
    assert all(0 <= level <= 1 for level in levels)
    assert levels == sorted(levels, reverse=True)
    assert [step.months for step in found.curve] == sorted(
        {item.months for item in sample if item.ended}
    )
    assert found.ended == sum(item.ended for item in sample)
    for step in found.curve:
        if step.low is None or step.high is None:
            assert step.at_risk == step.ended
            continue
        assert 0 <= step.low <= float(step.survival) + 1e-12
        assert float(step.survival) - 1e-12 <= step.high <= 1
        assert math.isfinite(float(step.high))
