"""Property tests of the analysis: no ledger crashes it, and its numbers add up.

Over the generated ledgers of `ledger_strategies` (hostile ones included) and any
`as_of`, report period and currency: `streams.analyse` and `document.to_document`
never raise, the clients' lifetime revenue is the converted sum of their income
postings, shares add up to one, each client's status, start and end follow from
its revenue lines and events, and every replacement figure is non-negative or
null. The profile is fixed (derandomized, no deadline) so that CI is deterministic.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_strategies import GeneratedLedger, hostile_ledgers, ledgers

from beancount_freelance.core.document.streams import replacement_document, to_document
from beancount_freelance.core.ledger.config import ledger_config
from beancount_freelance.core.ledger.rates import rates_of
from beancount_freelance.core.ledger.reading import attribute, read_book
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue import streams
from beancount_freelance.core.revenue.lines import revenue_lines
from beancount_freelance.core.revenue.replacement import Replacement

PROFILE = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PLUGIN = 'plugin "beancount_freelance.plugin"\n'


@dataclass(frozen=True)
class Question:
    """What a face asks the analysis: as of when, over which period, in what."""

    as_of: datetime.date | None
    start: datetime.date | None
    end: datetime.date | None
    currency: str | None

    def ask(
        self, entries: list[data.Directive], options_map: dict[str, Any]
    ) -> streams.Portfolio:
        return streams.analyse(
            ask(
                entries,
                options_map,
                currency=self.currency,
                start=self.start,
                end=self.end,
                as_of=self.as_of,
            )
        )


def _days() -> st.SearchStrategy[datetime.date]:
    return st.one_of(
        st.dates(datetime.date(2013, 6, 1), datetime.date(2018, 6, 1)),
        st.sampled_from([datetime.date.min, datetime.date.max]),
    )


questions = st.builds(
    Question,
    as_of=st.none() | _days(),
    start=st.none() | _days(),
    end=st.none() | _days(),
    currency=st.sampled_from([None, None, "EUR", "USD", "GBP", "XYZ"]),
)


def load(text: str) -> tuple[list[data.Directive], dict[str, Any]]:
    entries, _, options_map = loader.load_string(text)
    return entries, options_map


def _is_null_or_non_negative(value: Any) -> bool:
    return value is None or value >= 0


def assert_replacement_figures(replacement: Replacement) -> None:
    document = replacement_document(replacement)
    for key in (
        "monthly_lost",
        "new_client_monthly",
        "replaced_monthly",
    ):
        value = document[key]
        assert value is None or Decimal(value) >= 0, (key, value)
    for key in (
        "share_at_end",
        "clients_needed",
        "acquisition_per_month",
        "months_to_replace",
        "replaced_share",
    ):
        value = document[key]
        assert _is_null_or_non_negative(value), (key, value)
        assert value is None or math.isfinite(value), (key, value)
    for key in ("share_at_end", "replaced_share"):
        assert document[key] is None or document[key] <= 1, (key, document[key])


# --- Never raises ----------------------------------------------------------------


@PROFILE
@given(hostile_ledgers(), questions, st.booleans())
def test_the_analysis_never_raises(
    ledger: GeneratedLedger, question: Question, with_plugin: bool
) -> None:
    """On any ledger, whether the plugin accepts it or reports errors."""
    entries, options_map = load((PLUGIN if with_plugin else "") + ledger.text)
    portfolio = question.ask(entries, options_map)
    document = to_document(portfolio)
    json.dumps(document)  # the document is plain JSON
    assert (
        document["currency"]
        == ask(entries, options_map, currency=question.currency).currency
    )
    for client in document["clients"]:
        assert client["status"] in ("prospect", "active", "dormant", "lost")
    for replacement in portfolio.replacements:
        assert_replacement_figures(replacement)


@PROFILE
@given(hostile_ledgers(), questions)
def test_what_if_on_every_active_client(
    ledger: GeneratedLedger, question: Question
) -> None:
    entries, options_map = load(ledger.text)
    portfolio = question.ask(entries, options_map)
    for stream in portfolio.clients:
        if stream.status == "active":
            replacement = streams.what_if(portfolio, stream.id)
            assert replacement.ended == portfolio.as_of
            assert_replacement_figures(replacement)
        else:
            try:
                streams.what_if(portfolio, stream.id)
            except streams.NotActive as exc:
                assert exc.status == stream.status
            else:
                raise AssertionError(f"what_if accepted {stream.status} {stream.id}")


@PROFILE
@given(ledgers())
def test_the_analysis_does_not_depend_on_the_plugin(ledger: GeneratedLedger) -> None:
    """The plugin only writes what the analysis finds by itself."""
    raw = load("; the same lines, without the plugin\n" + ledger.text)
    annotated = load(PLUGIN + ledger.text)
    assert to_document(streams.analyse(ask(*raw))) == to_document(
        streams.analyse(ask(*annotated))
    )


# --- The numbers add up ------------------------------------------------------------


def _same(total: Decimal, expected: Decimal) -> bool:
    """Equal but for the 28th significant digit.

    Converted amounts carry 28 significant digits, and Decimal addition rounds
    there: summing the same lines in another order may differ in the last digit.
    """
    return abs(total - expected) <= Decimal("1e-12")


@PROFILE
@given(hostile_ledgers(), questions)
def test_revenue_totals_are_the_converted_income_postings(
    ledger: GeneratedLedger, question: Question
) -> None:
    entries, options_map = load(ledger.text)
    portfolio = question.ask(entries, options_map)
    book, _ = read_book(entries, ledger_config(options_map))
    attribution = attribute(entries, book, ledger_config(options_map))
    revenue = revenue_lines(
        attribution.postings,
        rates_of(entries, options_map),
        portfolio.currency,
        portfolio.as_of,
    )
    # Every income posting is either a revenue line or a warning: none is lost.
    assert len(revenue.lines) + revenue.unconverted == len(attribution.postings)
    for line in revenue.lines:
        if all(
            p.units.currency == portfolio.currency
            for p in line.entry.postings
            if p.account == line.account
        ):
            # In the reporting currency, the revenue is minus the posting.
            assert line.revenue in {
                -p.units.number
                for p in line.entry.postings
                if p.account == line.account
            }, line
    counted = [line for line in revenue.lines if line.date <= portfolio.as_of]
    attributed = sum((x.revenue for x in counted if x.client is not None), Decimal(0))
    unattributed = sum((x.revenue for x in counted if x.client is None), Decimal(0))
    totals = portfolio.totals
    assert _same(totals.revenue_total, attributed)
    assert _same(
        sum((c.revenue_total for c in portfolio.clients), Decimal(0)), attributed
    )
    assert _same(totals.unattributed_total, unattributed)
    for stream in portfolio.clients:
        own = sum((x.revenue for x in counted if x.client == stream.id), Decimal(0))
        assert _same(stream.revenue_total, own)
    # Warnings up to as_of (grouped per commodity) are all listed, never dropped.
    listed = {w.message for w in portfolio.warnings}
    assert all(w.message in listed for w in revenue.warnings)


@PROFILE
@given(hostile_ledgers(), questions)
def test_shares_add_up_to_one(ledger: GeneratedLedger, question: Question) -> None:
    entries, options_map = load(ledger.text)
    portfolio = question.ask(entries, options_map)
    t12m = sum((c.revenue_t12m for c in portfolio.clients), Decimal(0))
    shares = [c.share_t12m for c in portfolio.clients]
    if t12m > 0:
        assert all(share is not None for share in shares)
        assert abs(sum(s for s in shares if s is not None) - 1) < 1e-6
        if all(c.revenue_t12m >= 0 for c in portfolio.clients):
            assert all(s is not None and 0 <= s <= 1 for s in shares)
            assert 0 < portfolio.concentration.top1_share <= 1 + 1e-9
            assert 0 < portfolio.concentration.hhi <= 10_000 + 1e-6
    else:
        assert all(share is None for share in shares)
        assert portfolio.concentration.effective_clients is None


@PROFILE
@given(hostile_ledgers(), questions)
def test_status_start_and_end_follow_the_lines_and_events(
    ledger: GeneratedLedger, question: Question
) -> None:
    entries, options_map = load(ledger.text)
    portfolio = question.ask(entries, options_map)
    as_of = portfolio.as_of
    book, _ = read_book(entries, ledger_config(options_map))
    attribution = attribute(entries, book, ledger_config(options_map))
    revenue = revenue_lines(
        attribution.postings, rates_of(entries, options_map), portfolio.currency
    )
    for stream in portfolio.clients:
        dates = sorted(
            {
                line.date
                for line in revenue.lines
                if line.client == stream.id and line.date <= as_of and line.revenue > 0
            }
        )
        events = [e for e in book.events_of(stream.id) if e.date <= as_of]
        latest = events[-1] if events else None
        assert stream.start == (dates[0] if dates else None)
        assert stream.last_revenue == (dates[-1] if dates else None)
        assert [(e.date, e.kind) for e in stream.events] == [
            (e.date, e.kind) for e in events
        ]
        if not dates:
            assert stream.status == "prospect"
            assert stream.end is None and stream.tenure_months is None
            continue
        assert stream.tenure_months is not None and stream.tenure_months >= 0
        lost = latest is not None and latest.kind == "lost"
        assert (stream.status == "lost") == lost
        if lost:
            assert latest is not None and stream.end == latest.date
        elif stream.status == "dormant":
            alive = max(dates[-1], latest.date) if latest else dates[-1]
            assert stream.end == alive and alive < as_of
        else:
            assert stream.status == "active" and stream.end is None
        assert stream.recurring == (
            len(dates) >= 3
            and stream.cadence_days is not None
            and stream.cadence_days <= 100
        )
