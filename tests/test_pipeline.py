"""The pipeline against the open gap: numbers checked by hand, and by property."""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount import loader
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance import cli
from beancount_freelance.core.ahead.pipeline import OpenProposal, Pipeline
from beancount_freelance.core.ahead.plan import Plan
from beancount_freelance.core.ahead.targets import Targets
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.report import Report, analyse_report
from beancount_freelance.text.plan_sentences import (
    pipeline_sentences,
    win_rate_sentence,
)

D = datetime.date
AS_OF = D(2016, 6, 30)

# Roux: 100 in January and February, lost on 2016-02-15: 200 / 2 months = 100 lost.
# Lefevre: 300 a month January to June, lost on 2016-06-30: 1800 / 6 = 300 lost.
# Petit: 500 a month from March: replaces Roux (started after its loss) with
# 1500 / 3 = 500 a month, Lefevre not at all (started before its loss).
# open_gap = max(0, 100 - 500) + max(0, 300 - 0) = 0 + 300 = 300.
LEDGER = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2014-01-01 open Assets:Bank
2014-01-01 open Income:Clients:Roux
2014-01-01 open Income:Clients:Lefevre
2014-01-01 open Income:Clients:Petit
2016-06-01 price USD 0.90 EUR
2016-07-01 price USD 0.80 EUR
{revenue}
2016-02-15 custom "client-lost" "Roux" "moved"
2016-06-30 custom "client-lost" "Lefevre" "agency"

; Decided in the 24 months before 2016-06-30: won 1 (14 days), declined 2 (30
; and 10 days); the one of 2014 is older and does not count.
2014-01-01 custom "proposal" "Old" 100.00 EUR "monthly"
2014-02-01 custom "proposal-declined" "Old"
2016-03-01 custom "proposal" "Petit" 500.00 EUR "monthly" 0.8
2016-03-15 custom "proposal-won" "Petit"
2016-04-01 custom "proposal" "Mercier" 300.00 EUR "monthly"
2016-05-01 custom "proposal-declined" "Mercier"
2016-05-01 custom "proposal" "Blanc" 200.00 EUR "once"
2016-05-11 custom "proposal-declined" "Blanc"

; Open on 2016-06-30: 400 x 0.5 = 200; 1200 x 0.5 / 12 = 50; 1000 USD x 0.3 at
; 0.90 (the price on 2016-06-30) = 270. Sum 520; coverage 520 / 300.
2016-06-01 custom "proposal" "Verdier" 400.00 EUR "monthly" 0.5
2016-06-10 custom "proposal" "Dubois" 1200.00 EUR "once"
2016-06-15 custom "proposal" "Kinetica" 1000.00 USD "monthly" 0.3
2016-07-10 custom "proposal-won" "Verdier"
"""


def _revenue() -> str:
    lines = []
    for month, client, number in (
        *((m, "Roux", 100) for m in (1, 2)),
        *((m, "Lefevre", 300) for m in range(1, 7)),
        *((m, "Petit", 500) for m in range(3, 7)),
    ):
        day = {"Roux": 10, "Lefevre": 5, "Petit": 20}[client]
        lines.append(
            f'2016-{month:02d}-{day:02d} * "{client}"\n'
            f"  Assets:Bank  {number}.00 EUR\n"
            f"  Income:Clients:{client}"
        )
    return "\n".join(lines)


TEXT = LEDGER.format(revenue=_revenue())


def report(text: str = TEXT, as_of: datetime.date = AS_OF) -> Report:
    entries, errors, options = loader.load_string(text)
    assert [e.message for e in errors] == []
    return analyse_report(entries, options, as_of=as_of)


def document(text: str = TEXT, as_of: datetime.date = AS_OF) -> dict[str, Any]:
    return report_document(report(text, as_of))


def said(found: Report) -> list[str]:
    """The pipeline's two sentences, as every face says them."""
    return pipeline_sentences(found.plan, found.currency)


def test_open_gap_counts_only_what_is_not_replaced() -> None:
    found = document()
    gaps = {
        r["client"]: (r["monthly_lost"], r["replaced_monthly"])
        for r in found["replacements"]
    }
    assert gaps == {"Roux": ("100.00", "500.00"), "Lefevre": ("300.00", "0.00")}
    assert found["open_gap"] == "300.00"


def test_pipeline_numbers() -> None:
    pipeline = document()["pipeline"]
    assert [
        (p["client"], p["probability"], p["weighted_monthly"]) for p in pipeline["open"]
    ] == [
        ("Verdier", 0.5, "200.00"),
        ("Dubois", 0.5, "50.00"),
        ("Kinetica", 0.3, "270.00"),
    ]
    assert pipeline["open"][2] == {
        "client": "Kinetica",
        "date": "2016-06-15",
        "amount": "1000.00",
        "currency": "USD",
        "recurrence": "monthly",
        "probability": 0.3,
        "weighted_monthly": "270.00",
    }
    assert pipeline["weighted_monthly"] == "520.00"
    assert (pipeline["won"], pipeline["declined"]) == (1, 2)
    assert pipeline["win_rate"] == 0.3333
    assert pipeline["median_days_to_decide"] == 14.0
    assert pipeline["coverage"] == round(520 / 300, 4)


def test_after_the_decision_the_proposal_is_no_longer_open() -> None:
    pipeline = document(as_of=D(2016, 7, 31))["pipeline"]
    assert [p["client"] for p in pipeline["open"]] == ["Dubois", "Kinetica"]
    # Kinetica now at 0.80: 1000 x 0.3 x 0.8 = 240; with Dubois 50: 290.
    assert pipeline["weighted_monthly"] == "290.00"
    # Verdier won on 2016-07-10 after 39 days: days 10, 14, 30, 39 -> median 22.
    assert (pipeline["won"], pipeline["declined"]) == (2, 2)
    assert pipeline["median_days_to_decide"] == 22.0


def test_the_prospects_are_listed_and_the_declined_are_not() -> None:
    statuses = {c["id"]: c["status"] for c in document()["clients"]}
    assert statuses == {
        "Petit": "active",
        "Lefevre": "lost",
        "Roux": "lost",
        "Dubois": "prospect",
        "Kinetica": "prospect",
        "Verdier": "prospect",
    }


def test_no_gap_no_proposal_no_decision() -> None:
    text = """
option "operating_currency" "EUR"
2016-01-01 open Assets:Bank
2016-01-01 open Income:Clients:Acme
2016-01-05 * "Acme"
  Assets:Bank  100.00 EUR
  Income:Clients:Acme
"""
    reported = report(text, D(2016, 1, 5))
    found = report_document(reported)
    assert found["open_gap"] == "0.00"
    assert found["pipeline"] == {
        "open": [],
        "weighted_monthly": "0.00",
        "won": 0,
        "declined": 0,
        "win_rate": None,
        "median_days_to_decide": None,
        "coverage": None,
    }
    assert said(reported) == [
        "You have no open proposal.",
        "No proposal was decided in the last two years.",
    ]


def test_the_sentences_say_the_document() -> None:
    assert said(report()) == [
        "Your open proposals are worth 520.00 EUR a month, weighted by their "
        "chances: 173 % of the 300.00 EUR a month still to replace.",
        "You win 33 % of your proposals (1 of 3 in two years), after 14 days on "
        "average.",
    ]


def test_one_proposal_and_one_day_are_said_in_the_singular() -> None:
    verdier = OpenProposal(
        "Verdier", D(2016, 6, 1), Decimal(200), "EUR", "monthly", Decimal(1), None
    )
    found = Pipeline(
        open=(verdier,),
        weighted_monthly=Decimal("200.00"),
        won=1,
        declined=0,
        win_rate=1.0,
        median_days_to_decide=1.0,
        coverage=None,
        open_gap=Decimal("0.00"),
    )
    plan = Plan(found, Targets(), ())
    assert pipeline_sentences(plan, "EUR") == [
        "Your open proposal is worth 200.00 EUR a month, weighted by its chances; "
        "no lost client is left to replace.",
        "You won the one proposal decided in two years, after 1 day.",
    ]
    found = dataclasses.replace(found, won=0, declined=1, median_days_to_decide=3.0)
    assert win_rate_sentence(found) == (
        "The one proposal decided in two years was declined, after 3 days."
    )
    found = dataclasses.replace(found, won=1, declined=1, win_rate=0.5)
    assert win_rate_sentence(found) == (
        "You win 50 % of your proposals (1 of 2 in two years), after 3 days on average."
    )


def test_an_open_proposal_that_cannot_be_converted_is_a_warning() -> None:
    text = TEXT.replace("2016-06-01 price USD 0.90 EUR\n", "").replace(
        "2016-07-01 price USD 0.80 EUR\n", ""
    )
    found = document(text)
    kinetica = found["pipeline"]["open"][2]
    assert kinetica["weighted_monthly"] is None
    assert found["pipeline"]["weighted_monthly"] == "250.00"
    (warning,) = [w for w in found["warnings"] if "proposal for 'Kinetica'" in w]
    assert warning.startswith("<string>:")
    assert "Cannot convert the proposal for 'Kinetica' (1000.00 USD) to EUR on " in (
        warning
    )


# --- The command ---------------------------------------------------------------


def test_bean_clients_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "books.beancount"
    path.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        cli.main, ["pipeline", str(path), "--as-of", "2016-06-30", "--json"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert list(printed) == [
        "as_of",
        "currency",
        "period",
        "open_gap",
        "pipeline",
        "targets",
        "ceilings",
        "warnings",
    ]
    assert printed["pipeline"] == document()["pipeline"]
    text = runner.invoke(cli.main, ["pipeline", str(path), "--as-of", "2016-06-30"])
    assert text.exit_code == 0
    assert (
        "Kinetica  2016-06-15  1000.00 USD     monthly    30 %            270.00"
        in (text.stdout)
    )
    assert "Your open proposals are worth 520.00 EUR a month" in text.stdout
    report = runner.invoke(cli.main, ["report", str(path), "--as-of", "2016-06-30"])
    assert "Pipeline:\n  Your open proposals are worth 520.00 EUR" in report.stdout


# --- Property: any sequence of proposal directives ----------------------------

_IDS = st.sampled_from(["Acme", "Roux", "Verdier", "Bad Id", ""])
_NUMBERS = st.sampled_from(["400.00", "0", "-5", "1e3", "0.01", "99999999"])
_PROBABILITY = st.sampled_from(["", " 0", " 1", " 0.5", " 1.5", " -1", ' "x"'])
_RECURRENCE = st.sampled_from(['"monthly"', '"once"', '"yearly"', "3", ""])


@st.composite
def _directive(draw: st.DrawFn) -> tuple[int, str]:
    day = draw(st.integers(min_value=0, max_value=700))
    kind = draw(st.sampled_from(["proposal", "proposal-won", "proposal-declined"]))
    client = draw(_IDS)
    if kind == "proposal":
        currency = draw(st.sampled_from(["EUR", "USD", "GBP"]))
        rest = (
            f' "{client}" {draw(_NUMBERS)} {currency} {draw(_RECURRENCE)}'
            f"{draw(_PROBABILITY)}"
        )
    else:
        rest = f' "{client}"' + draw(st.sampled_from(["", ' "note"', " 1", ' "a" "b"']))
    return day, f'custom "{kind}"{rest}'


@settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_directive(), max_size=25), st.integers(min_value=0, max_value=700))
def test_any_proposal_sequence_is_reported_never_raised(
    directives: list[tuple[int, str]], as_of_day: int
) -> None:
    start = D(2015, 1, 1)
    body = "\n".join(
        f"{start + datetime.timedelta(days=day)} {text}" for day, text in directives
    )
    text = TEXT + "\n2015-01-01 price USD 0.9 EUR\n" + body + "\n"
    entries, errors, options = loader.load_string(text)
    for error in errors:
        if isinstance(error, FreelanceError):
            assert error.source["filename"] == "<string>"
            assert isinstance(error.source["lineno"], int)
            assert error.source["lineno"] >= 1
    as_of = start + datetime.timedelta(days=as_of_day)
    found = report_document(analyse_report(entries, options, as_of=as_of))
    pipeline = found["pipeline"]
    assert pipeline["coverage"] is None or pipeline["coverage"] >= 0
    assert Decimal(pipeline["weighted_monthly"]) >= 0
    assert Decimal(found["open_gap"]) >= 0
    assert all(
        p["weighted_monthly"] is None or Decimal(p["weighted_monthly"]) >= 0
        for p in pipeline["open"]
    )
    assert pipeline["win_rate"] is None or 0 <= pipeline["win_rate"] <= 1
    open_ids = [p["client"] for p in pipeline["open"]]
    assert len(open_ids) == len(set(open_ids))  # one open proposal per id
    statuses = {c["id"]: c["status"] for c in found["clients"]}
    assert all(
        statuses.get(client) in ("prospect", "active", "dormant", "lost")
        for client in open_ids
    )
    for warning in found["warnings"]:
        assert warning.startswith("<string>:")
