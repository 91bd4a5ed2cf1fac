"""Every loss of the history, its month-by-month progress, and the revenue split.

Small ledgers, the numbers worked out by hand in the comments: "2016-01" is the
month of January 2016.
"""

from __future__ import annotations

import datetime
import textwrap
from typing import Any

from beancount import loader

from beancount_freelance.core.document.streams import replacement_document, to_document
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.streams import analyse, what_if

D = datetime.date


def payments(client: str, amount: str, *days: str) -> str:
    return "".join(
        f'{day} * "{client}"\n  Assets:Bank  {amount} EUR\n  Income:Clients:{client}\n'
        for day in days
    )


def document(text: str, **kwargs: Any) -> dict[str, Any]:
    entries, errors, options_map = loader.load_string(textwrap.dedent(text))
    assert errors == []
    return to_document(analyse(ask(entries, options_map, **kwargs)))


# Law: 300 a month in 2014, lost on 2014-12-20, back in 2015 (300 a month from
# March to August), lost again on 2015-08-31. Shop: 100 a month from 2015-01 to
# 2015-12, so it started after the first loss. Cafe: one 900 project on
# 2015-10-01, after the second loss. Late: 200 a month 2015-01..2015-06, then
# silent: dormant since its last revenue on 2015-06-05 (cadence 30 days).
LEDGER = (
    """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Law
2014-01-01 open Income:Clients:Shop
2014-01-01 open Income:Clients:Cafe
2014-01-01 open Income:Clients:Late
2014-12-20 custom "client-lost" "Law" "Moved"
2015-03-01 custom "client-back" "Law" ""
2015-08-31 custom "client-lost" "Law" "Moved again"
"""
    + payments("Law", "300", *(f"2014-{m:02d}-05" for m in range(1, 13)))
    + payments("Law", "300", *(f"2015-{m:02d}-05" for m in range(3, 9)))
    + payments("Shop", "100", *(f"2015-{m:02d}-10" for m in range(1, 13)))
    + payments("Cafe", "900", "2015-10-01")
    + payments("Late", "200", *(f"2015-{m:02d}-05" for m in range(1, 7)))
)


def test_every_loss_is_in_the_history_newest_first() -> None:
    found = document(LEDGER, as_of=D(2015, 12, 31))
    history = [
        (r["client"], r["ended"], r["reason"]) for r in found["replacement_history"]
    ]
    assert history == [
        ("Law", "2015-08-31", "lost"),  # lost twice: counted twice
        ("Late", "2015-06-05", "dormant"),  # 209 days > max(60, 2 x 31)
        ("Law", "2014-12-20", "lost"),
    ]
    # The period's replacements (none given: the 24 months before as_of) hold
    # each client once, at its current end.
    assert [(r["client"], r["ended"]) for r in found["replacements"]] == [
        ("Late", "2015-06-05"),
        ("Law", "2015-08-31"),
    ]


def test_progress_is_the_new_clients_revenue_month_by_month() -> None:
    found = document(LEDGER, as_of=D(2015, 12, 31))
    second, _, first = found["replacement_history"]
    # After 2014-12-20: Shop (from 2015-01-10) and Late (from 2015-01-05) are new;
    # Cafe (2015-10-01) too. January to June: 100 + 200; July to September: 100;
    # October: 100 + 900; November and December: 100.
    # replaced_monthly at each month's end: each newcomer over its last
    # k = min(3, months since its start) months. July: Shop 100 + Late's
    # May-July 400 / 3; October: Shop 100 + Cafe 900 / 1; December: 100 + 900 / 3.
    assert first["progress"] == [
        {"month": f"2015-{m:02d}", "new_clients": amount, "replaced_monthly": level}
        for m, amount, level in zip(
            range(1, 13),
            ["300.00"] * 6 + ["100.00"] * 3 + ["1000.00"] + ["100.00"] * 2,
            ["300.00"] * 6
            + ["233.33", "166.67", "100.00", "1000.00"]
            + ["550.00", "400.00"],
            strict=True,
        )
    ]
    # The chart's last point is the sentence's figure.
    assert first["progress"][-1]["replaced_monthly"] == first["replaced_monthly"]
    # After 2015-08-31, only Cafe is new: September nothing, October 900.
    # Cafe's level: October 900 / 1, November 900 / 2, December 900 / 3.
    assert second["progress"] == [
        {"month": "2015-09", "new_clients": "0.00", "replaced_monthly": "0.00"},
        {"month": "2015-10", "new_clients": "900.00", "replaced_monthly": "900.00"},
        {"month": "2015-11", "new_clients": "0.00", "replaced_monthly": "450.00"},
        {"month": "2015-12", "new_clients": "0.00", "replaced_monthly": "300.00"},
    ]
    assert second["replaced_monthly"] == "300.00"
    # Window 2014-09..2015-08 (12 months to the last revenue): 4 x 300 in 2014,
    # 6 x 300 in 2015, the months away count: 3000 / 12.
    assert second["monthly_lost"] == "250.00"


def test_recurring_and_one_off_totals() -> None:
    found = document(LEDGER, as_of=D(2015, 12, 31))
    totals = found["totals"]
    # Recurring: Law 3600 + 1800, Shop 1200, Late 1200 = 7800; one-off: Cafe 900.
    assert totals["recurring"]["revenue_total"] == "7800.00"
    assert totals["one_off"] == {
        "revenue_total": "900.00",
        "revenue_period": "900.00",
        "revenue_t12m": "900.00",
    }
    # Trailing 12 months (2015): Law 1800, Shop 1200, Late 1200.
    assert totals["recurring"]["revenue_t12m"] == "4200.00"
    assert totals["revenue_t12m"] == "5100.00"


def test_what_if_says_whether_the_client_is_recurring() -> None:
    entries, _, options_map = loader.load_string(textwrap.dedent(LEDGER))
    portfolio = analyse(ask(entries, options_map, as_of=D(2015, 12, 31)))
    cafe = replacement_document(what_if(portfolio, "Cafe"))
    shop = replacement_document(what_if(portfolio, "Shop"))
    assert (cafe["recurring"], shop["recurring"]) == (False, True)
    assert cafe["progress"] == []  # lost at as_of: no month after it yet


def test_a_ledger_without_losses_has_an_empty_history() -> None:
    opens = "2015-01-01 open Assets:Bank\n2015-01-01 open Income:Clients:Shop\n"
    found = document(opens + payments("Shop", "100", "2015-01-10", "2015-02-10"))
    assert found["replacement_history"] == []
