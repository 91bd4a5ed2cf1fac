"""At risk: a regular client silent for longer than 1.5 times its own cadence.

Each ledger is small enough to count the days by hand; the count is written next
to each assertion.
"""

from __future__ import annotations

import datetime
import textwrap
from typing import Any

from beancount import loader

from beancount_freelance.core.ahead.risk import (
    at_risk,
    clients_at_risk,
    days_silent,
    days_since_revenue,
)
from beancount_freelance.core.document.streams import to_document
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.portfolio import ClientStream, Portfolio
from beancount_freelance.core.revenue.streams import analyse

D = datetime.date
HEADER = """\
option "operating_currency" "EUR"
2015-01-01 open Assets:Bank
2015-01-01 open Income:Clients:Alpha
2015-01-01 open Income:Clients:Beta
2015-01-01 open Income:Clients:Gamma
2015-01-01 custom "client" "Delta"
"""


def ledger(*payments: tuple[str, str], extra: str = "") -> str:
    """The header, `extra` directives, and 100 EUR from a client on each date."""
    text = [HEADER, textwrap.dedent(extra)]
    for day, client in payments:
        text.append(
            f'{day} * "{client}"\n  Assets:Bank  100 EUR\n  Income:Clients:{client}\n'
        )
    return "\n".join(text)


def run(text: str, as_of: datetime.date) -> Portfolio:
    entries, errors, options_map = loader.load_string(text)
    assert errors == []
    return analyse(ask(entries, options_map, as_of=as_of))


def client(portfolio: Portfolio, client_id: str) -> ClientStream:
    return next(stream for stream in portfolio.clients if stream.id == client_id)


# Alpha every 30 days: 01-01, 01-31, 03-02, 04-01, 05-01; cadence 30 days, so
# at risk after 1.5 x 30 = 45 days of silence, dormant after max(60, 2 x 30).
ALPHA = [
    (day, "Alpha")
    for day in ("2017-01-01", "2017-01-31", "2017-03-02", "2017-04-01", "2017-05-01")
]


def test_exactly_one_and_a_half_cadences_is_not_at_risk() -> None:
    # 2017-05-01 -> 2017-06-15: 30 days of May + 15 of June = 45 = 1.5 x 30.
    portfolio = run(ledger(*ALPHA), D(2017, 6, 15))
    alpha = client(portfolio, "Alpha")
    assert (alpha.status, alpha.recurring, alpha.cadence_days) == ("active", True, 30)
    assert days_since_revenue(alpha, portfolio.as_of) == 45
    assert at_risk(alpha, portfolio.as_of) is False


def test_one_day_past_one_and_a_half_cadences_is_at_risk() -> None:
    portfolio = run(ledger(*ALPHA), D(2017, 6, 16))  # 46 days > 45
    alpha = client(portfolio, "Alpha")
    assert days_since_revenue(alpha, portfolio.as_of) == 46
    assert at_risk(alpha, portfolio.as_of) is True
    (found,) = clients_at_risk(portfolio.clients, portfolio.as_of)
    assert (found.client, found.days_silent, found.cadence_days) == ("Alpha", 46, 30)


def test_a_dormant_client_is_no_longer_at_risk_it_is_dormant() -> None:
    portfolio = run(ledger(*ALPHA), D(2017, 7, 1))  # 61 days > max(60, 60)
    alpha = client(portfolio, "Alpha")
    assert alpha.status == "dormant"
    assert days_since_revenue(alpha, portfolio.as_of) == 61
    assert at_risk(alpha, portfolio.as_of) is False


def test_the_silence_starts_again_at_a_client_back() -> None:
    # Beta every 30 days to 2016-03-01 (cadence 30), lost, back on 2017-06-01.
    payments = [(day, "Beta") for day in ("2016-01-01", "2016-01-31", "2016-03-01")]
    events = """\
        2016-03-15 custom "client-lost" "Beta" "Paused"
        2017-06-01 custom "client-back" "Beta"
        """
    text = ledger(*payments, extra=events)
    # 2017-06-01 -> 2017-07-16: 29 + 16 = 45 days: not yet at risk.
    portfolio = run(text, D(2017, 7, 16))
    beta = client(portfolio, "Beta")
    assert beta.status == "active"
    # 2016-03-01 -> 2017-03-01 is 365 days, then March to June and 15 of July.
    assert days_since_revenue(beta, portfolio.as_of) == 365 + 31 + 30 + 31 + 30 + 15
    assert days_silent(beta, portfolio.as_of) == 45
    assert at_risk(beta, portfolio.as_of) is False
    later = run(text, D(2017, 7, 17))  # 46 days since the return
    assert at_risk(client(later, "Beta"), later.as_of) is True


def test_one_off_clients_and_prospects_are_never_at_risk() -> None:
    # Gamma: two payments, no cadence of three dates: not recurring.
    portfolio = run(
        ledger(("2017-01-10", "Gamma"), ("2017-02-10", "Gamma")), D(2017, 4, 1)
    )
    gamma, delta = client(portfolio, "Gamma"), client(portfolio, "Delta")
    assert (gamma.status, gamma.recurring) == ("active", False)
    assert days_since_revenue(gamma, portfolio.as_of) == 50  # 18 + 31 + 1
    assert at_risk(gamma, portfolio.as_of) is False
    assert delta.status == "prospect"
    assert days_since_revenue(delta, portfolio.as_of) is None
    assert at_risk(delta, portfolio.as_of) is False


def test_the_latest_against_its_rhythm_comes_first() -> None:
    # Gamma every 10 days to 2017-05-21 (cadence 10): on 2017-06-16, 26 days
    # silent, 2.6 cadences; Alpha 46 days, 46 / 30 = 1.53 cadences.
    gamma = [(f"2017-05-{day:02d}", "Gamma") for day in (1, 11, 21)]
    portfolio = run(ledger(*ALPHA, *gamma), D(2017, 6, 16))
    found = clients_at_risk(portfolio.clients, portfolio.as_of)
    assert [(item.client, item.days_silent) for item in found] == [
        ("Gamma", 26),
        ("Alpha", 46),
    ]
    document: dict[str, Any] = to_document(portfolio)
    assert document["at_risk_clients"] == ["Gamma", "Alpha"]
    by_id = {item["id"]: item for item in document["clients"]}
    assert (by_id["Gamma"]["days_since_revenue"], by_id["Gamma"]["at_risk"]) == (
        26,
        True,
    )
    assert by_id["Delta"]["days_since_revenue"] is None
