"""Property tests of the movements: the bridge adds up, and a second reading agrees.

Over the generated ledgers of `ledger_strategies` (refunds, several currencies,
revenue after `as_of`), with and without a report period and a filter of lines:
start + new + returned + expansion + adjustment − contraction − lost = end
exactly, for every bridged quarter and month; and every figure of the movements
and the cohorts equals the one a plain reading of docs/metrics.md ("Movements")
finds from the revenue lines, written below without the package's code (dates
step by dates, sums are fractions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from beancount import loader
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_strategies import GeneratedLedger, hostile_ledgers, ledgers

from beancount_freelance.core.ledger.config import ledger_config
from beancount_freelance.core.ledger.rates import rates_of
from beancount_freelance.core.ledger.reading import attribute, read_book
from beancount_freelance.core.report import Report, analyse_report
from beancount_freelance.core.revenue.lines import RevenueLine, revenue_lines
from beancount_freelance.core.revenue.movements import Bridge, Kind, Movements

PROFILE = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
D = datetime.date
Select = Callable[[RevenueLine], bool] | None


def _no_workshops(line: RevenueLine) -> bool:
    return "Workshops" not in line.account


def _eur_only(line: RevenueLine) -> bool:
    return all(
        p.units.currency == "EUR" for p in line.entry.postings if p.units is not None
    )


@dataclass(frozen=True)
class Asked:
    as_of: datetime.date | None
    start: datetime.date | None
    end: datetime.date | None
    currency: str | None
    select: Select
    by: str

    def report(self, text: str) -> tuple[Report, list[Any], dict[str, Any]]:
        entries, _, options_map = loader.load_string(text)
        found = analyse_report(
            entries,
            options_map,
            currency=self.currency,
            start=self.start,
            end=self.end,
            as_of=self.as_of,
            select=self.select,
        )
        return found, entries, options_map

    def movements(self, report: Report) -> Movements:
        return report.movements if self.by == "quarter" else report.monthly_movements


_days = st.dates(D(2013, 6, 1), D(2018, 6, 1))
asked = st.builds(
    Asked,
    as_of=st.none() | _days,
    start=st.none() | _days,
    end=st.none() | _days,
    currency=st.sampled_from([None, None, "EUR", "USD"]),
    select=st.sampled_from([None, None, _no_workshops, _eur_only]),
    by=st.sampled_from(["quarter", "month"]),
)


def _adds_up(bridge: Bridge) -> bool:
    moved = (
        Fraction(bridge.start)
        + Fraction(bridge.new)
        + Fraction(bridge.returned)
        + Fraction(bridge.expansion)
        + Fraction(bridge.adjustment)
        - Fraction(bridge.contraction)
        - Fraction(bridge.lost)
    )
    return moved == Fraction(bridge.end)


@PROFILE
@given(hostile_ledgers(), asked)
def test_the_bridge_adds_up_exactly(ledger: GeneratedLedger, question: Asked) -> None:
    report, _, _ = question.report(ledger.text)
    found = question.movements(report)
    for bridge in found.periods:
        assert _adds_up(bridge), bridge
        assert bridge.lost >= 0 and bridge.contraction >= 0, bridge
        assert bridge.new >= 0 and bridge.returned >= 0 and bridge.expansion >= 0
        ids = [client for kind in bridge.clients.values() for client in kind]
        assert len(ids) == len(set(ids)), bridge  # one movement per client
    labels = [bridge.period for bridge in found.periods]
    assert labels == sorted(labels) and len(labels) == len(set(labels))
    if found.so_far is not None:
        assert found.so_far.through == report.portfolio.as_of
        assert found.so_far.period not in labels


@PROFILE
@given(ledgers(), asked)
def test_every_figure_agrees_with_a_plain_reading(
    ledger: GeneratedLedger, question: Asked
) -> None:
    report, entries, options_map = question.report(ledger.text)
    portfolio = report.portfolio
    config = ledger_config(options_map)
    book, _ = read_book(entries, config)
    revenue = revenue_lines(
        attribute(entries, book, config).postings,
        rates_of(entries, options_map),
        portfolio.currency,
        portfolio.as_of,
    )
    plain = PlainReading(
        revenue.lines,
        question.select,
        portfolio.as_of,
        portfolio.start,
        portfolio.end,
        question.by,
    )
    found = question.movements(report)
    assert [_figures(bridge) for bridge in found.periods] == plain.bridges()
    so_far = found.so_far
    assert (
        None if so_far is None else (so_far.period, Fraction(so_far.revenue))
    ) == plain.so_far()
    retention = found.retention
    assert (retention.nrr, retention.grr, retention.new_share) == plain.retention()
    assert [
        (c.year, c.clients, {y: Fraction(v) for y, v in c.revenue.items()})
        for c in report.cohorts
    ] == plain.cohorts()


def _figures(bridge: Bridge) -> tuple[Any, ...]:
    return (
        bridge.period,
        Fraction(bridge.start),
        {kind: Fraction(bridge.amount(kind)) for kind in _KINDS if kind != "steady"},
        Fraction(bridge.end),
        {kind: set(bridge.clients[kind]) for kind in _KINDS},
        bridge.replacement_ratio,
    )


_KINDS: tuple[Kind, ...] = (
    "new",
    "returned",
    "expansion",
    "contraction",
    "lost",
    "adjustment",
    "steady",
)


# --- The plain reading ------------------------------------------------------------


class PlainReading:
    """docs/metrics.md's "Movements", read from the lines with dates and fractions."""

    def __init__(
        self,
        lines: Iterable[RevenueLine],
        select: Select,
        as_of: datetime.date,
        start: datetime.date | None,
        end: datetime.date | None,
        by: str,
    ) -> None:
        self.all = [x for x in lines if x.date <= as_of and x.client is not None]
        self.kept = [x for x in self.all if select is None or select(x)]
        self.as_of, self.start, self.end = as_of, start, end
        self.months = 3 if by == "quarter" else 1
        self.by = by
        self.first: dict[str, datetime.date] = {}
        for line in sorted(self.all, key=lambda x: x.date):
            if line.revenue > 0:
                self.first.setdefault(str(line.client), line.date)

    # Periods are (first day, last day).
    def period_of(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        month = day.month - (day.month - 1) % self.months
        begin = D(day.year, month, 1)
        if begin.year == 9999 and month + self.months > 12:
            return begin, D.max
        return begin, begin + relativedelta(months=self.months, days=-1)

    def before(
        self, period: tuple[datetime.date, datetime.date]
    ) -> tuple[datetime.date, datetime.date] | None:
        if period[0] == D.min:
            return None
        return self.period_of(period[0] - datetime.timedelta(days=1))

    def label(self, period: tuple[datetime.date, datetime.date]) -> str:
        begin = period[0]
        if self.by == "month":
            return f"{begin.year:04d}-{begin.month:02d}"
        return f"{begin.year:04d}-Q{(begin.month + 2) // 3}"

    def revenue(
        self, client: str | None, period: tuple[datetime.date, datetime.date] | None
    ) -> Fraction:
        if period is None:
            return Fraction(0)
        return sum(
            (
                Fraction(x.revenue)
                for x in self.kept
                if period[0] <= x.date <= period[1]
                and (client is None or x.client == client)
            ),
            Fraction(0),
        )

    def periods(self) -> list[tuple[datetime.date, datetime.date]]:
        running = self.period_of(self.as_of)
        found_last = self.before(running) if running[1] > self.as_of else running
        if found_last is None:
            return []
        last = found_last
        if self.start is None and self.end is None:
            found = [last]
            while len(found) < (8 if self.by == "quarter" else 24):
                earlier = self.before(found[0])
                if earlier is None:
                    break
                found.insert(0, earlier)
            return found
        if not self.first:
            return []
        begin = self.period_of(min(self.first.values()))
        if self.start is not None:
            begin = max(begin, self.period_of(self.start))
        if self.end is not None:
            last = min(last, self.period_of(self.end))
        found = []
        period = begin
        while period <= last:
            found.append(period)
            period = self.period_of(period[1] + datetime.timedelta(days=1))
        return found

    def bridges(self) -> list[tuple[Any, ...]]:
        return [self.bridge(period) for period in self.periods()]

    def bridge(self, period: tuple[datetime.date, datetime.date]) -> tuple[Any, ...]:
        earlier = self.before(period)
        moved: dict[str, Fraction] = {k: Fraction(0) for k in _KINDS if k != "steady"}
        who: dict[str, set[str]] = {kind: set() for kind in _KINDS}
        for client in {str(x.client) for x in self.kept}:
            a, b = self.revenue(client, earlier), self.revenue(client, period)
            if a > 0 and b > 0:
                kind = "expansion" if b > a else "contraction" if b < a else "steady"
            elif a > 0:
                kind = "lost"
            elif b > 0:
                first = self.first[client]
                kind = "new" if period[0] <= first <= period[1] else "returned"
            elif a != b:
                kind = "adjustment"
            else:
                continue
            who[kind].add(client)
            if kind != "steady":
                moved[kind] += abs(b - a) if kind != "adjustment" else b - a
        left = moved["lost"] + moved["contraction"]
        gained = moved["new"] + moved["returned"] + moved["expansion"]
        return (
            self.label(period),
            self.revenue(None, earlier),
            moved,
            self.revenue(None, period),
            who,
            gained / left if left else None,
        )

    def so_far(self) -> tuple[str, Fraction] | None:
        period = self.period_of(self.as_of)
        if period[1] == self.as_of:
            return None
        if self.start is not None and period < self.period_of(self.start):
            return None
        if self.end is not None and period > self.period_of(self.end):
            return None
        return self.label(period), self.revenue(None, (period[0], self.as_of))

    def retention(self) -> tuple[Fraction | None, ...]:
        year_ago = self.as_of - relativedelta(months=12)
        two_years_ago = self.as_of - relativedelta(months=24)
        now: dict[str, Fraction] = {}
        then: dict[str, Fraction] = {}
        for x in self.kept:
            client = str(x.client)
            if year_ago < x.date <= self.as_of:
                now[client] = now.get(client, Fraction(0)) + Fraction(x.revenue)
            if two_years_ago < x.date <= year_ago:
                then[client] = then.get(client, Fraction(0)) + Fraction(x.revenue)
        had = [client for client in then if then[client] > 0]
        before = sum((then[c] for c in had), Fraction(0))
        this_year = sum(now.values(), Fraction(0))
        new = sum(
            (
                value
                for client, value in now.items()
                if year_ago < self.first.get(client, D.min) <= self.as_of
            ),
            Fraction(0),
        )
        nrr: Fraction | None = None
        grr: Fraction | None = None
        if before > 0:
            nrr = sum((now.get(c, Fraction(0)) for c in had), Fraction(0)) / before
            grr = sum((min(now.get(c, Fraction(0)), then[c]) for c in had), 0) / before
        return nrr, grr, (new / this_year if this_year > 0 else None)

    def cohorts(self) -> list[tuple[int, tuple[str, ...], dict[int, Fraction]]]:
        members: dict[int, list[str]] = {}
        for client in sorted({str(x.client) for x in self.kept}):
            if client in self.first:
                members.setdefault(self.first[client].year, []).append(client)
        found = []
        for year in sorted(members):
            clients = members[year]
            lines = [x for x in self.kept if x.client in clients]
            since = min([year, *(x.date.year for x in lines)])
            revenue = {
                y: sum(
                    (Fraction(x.revenue) for x in lines if x.date.year == y),
                    Fraction(0),
                )
                for y in range(since, self.as_of.year + 1)
            }
            found.append((year, tuple(clients), revenue))
        return found
