"""What an hour with each client earns: hours worked, billed and unbilled.

`hours_of` sums the records `reading.read_hours` finds, per client, in the
report period and the trailing 12 months, and divides the client's revenue by
them (docs/time.md has the formulas):

- a client with a stock of hours: worked = the stock's inflows plus its hours
  that are not billable, billed = the stock's outflows (not those written off),
  unbilled = the stock at `as_of`; its priced and `hours:` hours are the same
  hours again and are not added;
- any other client: priced and `hours:` hours are worked and billed (hours
  that are not billable are worked), and it keeps no stock (unbilled: None).

`effective_rate` = revenue ÷ hours worked, `billed_rate` = revenue ÷ hours
billed; None without hours. The revenue lines come from the revenue room,
passed in by the report. None when the books record no hours at all.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from dateutil.relativedelta import relativedelta

from beancount_freelance.core.ledger.hourly_rates import rate_at
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.time.reading import HourRecord, HoursRead, read_hours

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.question import Question

__all__ = ["HourFigures", "Hours", "RevenueOn", "hours_of", "median_rate"]


class RevenueOn(Protocol):
    """What the hours read of a revenue line (`revenue.lines.RevenueLine`)."""

    @property
    def date(self) -> datetime.date: ...
    @property
    def client(self) -> str | None: ...
    @property
    def revenue(self) -> Decimal: ...
    @property
    def entry(self) -> object: ...


@dataclass(frozen=True)
class HourFigures:
    """The hours of one client (or of all, or of none), and what they earn."""

    worked_period: Decimal
    worked_t12m: Decimal
    billed_period: Decimal
    billed_t12m: Decimal
    unbilled_hours: Decimal | None  # None: no stock of hours
    unbilled_value: Decimal | None
    effective_rate_period: Decimal | None
    effective_rate_t12m: Decimal | None
    billed_rate_period: Decimal | None
    billed_rate_t12m: Decimal | None


@dataclass(frozen=True)
class Hours:
    """The hours part of a report: per client, the totals, the median rate."""

    as_of: datetime.date
    currency: str
    clients: Mapping[str, HourFigures]  # the clients with hours, by id
    totals: HourFigures  # every client's and the hours without one
    no_client: HourFigures | None  # the hours without a client, if any
    median_effective_rate_t12m: Decimal | None
    # The records counted (a stock's client's priced hours left out), for
    # what another window asks of them (a replacement's).
    records: tuple[HourRecord, ...]
    warnings: tuple[FreelanceError, ...] = ()

    def of(self, client: str) -> HourFigures | None:
        """A client's hours, None when it has none."""
        return self.clients.get(client)


@dataclass
class _Sums:
    worked_period: Decimal = ZERO
    worked_t12m: Decimal = ZERO
    billed_period: Decimal = ZERO
    billed_t12m: Decimal = ZERO
    revenue_period: Decimal = ZERO
    revenue_t12m: Decimal = ZERO
    stock: Decimal | None = None


@dataclass(frozen=True)
class _Spans:
    start: datetime.date
    end: datetime.date
    t12m_after: datetime.date
    as_of: datetime.date

    def of(self, day: datetime.date) -> tuple[bool, bool]:
        """Whether a day is in the period, and in the trailing 12 months."""
        if day > self.as_of:
            return False, False
        return self.start <= day <= self.end, day > self.t12m_after


def hours_of(
    question: Question, lines: Iterable[RevenueOn], read: HoursRead | None = None
) -> Hours | None:
    """The hours of the question's ledger (`read` from it already, if given);
    None when it records none."""
    if read is None:
        read = read_hours(question.scan)
    if not read.records:
        return None
    as_of = question.as_of
    spans = _Spans(
        question.start or datetime.date.min,
        question.end or datetime.date.max,
        _months_before(as_of, 12),
        as_of,
    )
    stocked = {r.client for r in read.records if r.source == "stock"}
    kept = [r for r in read.records if r.client not in stocked or _from_stock(r)]
    lines = [line for line in lines if line.date <= as_of]
    if question.select is not None:
        # A filter (Fava's) narrows the revenue lines: the hours follow the
        # clients it selects.
        selected = {line.client for line in lines}
        kept = [record for record in kept if record.client in selected]
    sums: dict[str | None, _Sums] = {}
    for record in kept:
        _add_record(sums.setdefault(record.client, _Sums()), record, spans)
    with_hours = {client for client, item in sums.items() if _has_hours(item)}
    for line in lines:
        if line.client in with_hours:
            period, t12m = spans.of(line.date)
            item = sums[line.client]
            item.revenue_period += line.revenue if period else ZERO
            item.revenue_t12m += line.revenue if t12m else ZERO
    values = _unbilled_rates(question, read.records, lines, stocked)
    # In the report's order: revenue of the trailing 12 months, then id.
    ordered = sorted(
        (c for c in with_hours if c is not None),
        key=lambda client: (-sums[client].revenue_t12m, client),
    )
    figures = {client: _figures(sums[client], values.get(client)) for client in ordered}
    if not figures and None not in with_hours:
        return None
    return Hours(
        as_of=as_of,
        currency=question.currency,
        clients=figures,
        totals=_figures(_total(sums.values()), None, values=figures.values()),
        no_client=_figures(sums[None], None) if None in with_hours else None,
        median_effective_rate_t12m=median_rate(figures),
        records=tuple(kept),
        warnings=read.warnings,
    )


def median_rate(
    figures: Mapping[str, HourFigures], without: str | None = None
) -> Decimal | None:
    """The median effective rate of the trailing 12 months, over the clients
    with hours in them (leaving `without` out)."""
    rates = [
        item.effective_rate_t12m
        for client, item in figures.items()
        if client != without
        and item.worked_t12m > 0
        and item.effective_rate_t12m is not None
    ]
    return Decimal(statistics.median(rates)) if rates else None


def _from_stock(record: HourRecord) -> bool:
    return record.source in ("stock", "not billable")


def _has_hours(item: _Sums) -> bool:
    return bool(item.worked_period or item.worked_t12m or item.billed_period) or bool(
        item.billed_t12m or item.stock
    )


def _add_record(item: _Sums, record: HourRecord, spans: _Spans) -> None:
    period, t12m = spans.of(record.date)
    if period:
        item.worked_period += record.worked
        item.billed_period += record.billed
    if t12m:
        item.worked_t12m += record.worked
        item.billed_t12m += record.billed
    if record.source == "stock" and record.date <= spans.as_of:
        item.stock = (item.stock or ZERO) + record.stock
    elif record.source == "stock" and item.stock is None:
        item.stock = ZERO


def _total(items: Iterable[_Sums]) -> _Sums:
    total = _Sums()
    for item in items:
        total.worked_period += item.worked_period
        total.worked_t12m += item.worked_t12m
        total.billed_period += item.billed_period
        total.billed_t12m += item.billed_t12m
        total.revenue_period += item.revenue_period
        total.revenue_t12m += item.revenue_t12m
        if item.stock is not None:
            total.stock = (total.stock or ZERO) + item.stock
    return total


def _figures(
    item: _Sums,
    rate: Decimal | None,
    values: Iterable[HourFigures] = (),
) -> HourFigures:
    """A client's figures (`rate` values its stock), or the totals (`values`:
    the clients' figures, whose unbilled values add up)."""
    value: Decimal | None = None
    if item.stock is not None and rate is not None:
        value = item.stock * rate
    known = [f.unbilled_value for f in values if f.unbilled_value is not None]
    if known:
        value = sum(known, ZERO)
    return HourFigures(
        worked_period=item.worked_period,
        worked_t12m=item.worked_t12m,
        billed_period=item.billed_period,
        billed_t12m=item.billed_t12m,
        unbilled_hours=item.stock,
        unbilled_value=value,
        effective_rate_period=_rate(item.revenue_period, item.worked_period),
        effective_rate_t12m=_rate(item.revenue_t12m, item.worked_t12m),
        billed_rate_period=_rate(item.revenue_period, item.billed_period),
        billed_rate_t12m=_rate(item.revenue_t12m, item.billed_t12m),
    )


def _rate(revenue: Decimal, hours: Decimal) -> Decimal | None:
    return revenue / hours if hours else None


def _unbilled_rates(
    question: Question,
    records: Sequence[HourRecord],
    lines: Sequence[RevenueOn],
    stocked: set[str | None],
) -> dict[str | None, Decimal]:
    """The rate each stock is valued at: the client's `custom "rate"` in force
    at `as_of` (converted to the report's currency), else its latest billed
    rate (the latest invoice with hours: its revenue ÷ its hours)."""
    as_of, book = question.as_of, question.scan.book
    latest = latest_billed_rates(records, lines, as_of, stocked)
    found: dict[str | None, Decimal] = {}
    for client in stocked:
        if client is None:
            continue
        declared = rate_at(book.hourly_rates, client, as_of)
        if declared is not None:
            conversion = question.scan.rates.rate(
                declared.currency, question.currency, as_of
            )
            if conversion is not None:
                found[client] = declared.amount * conversion
                continue
        if client in latest:
            found[client] = latest[client]
    return found


def latest_billed_rates(
    records: Sequence[HourRecord],
    lines: Sequence[RevenueOn],
    as_of: datetime.date,
    clients: set[str | None],
) -> dict[str | None, Decimal]:
    """Each client's revenue ÷ hours of its latest invoice with hours.

    An invoice's hours are those it takes out of the client's stock, else its
    priced or `hours:` hours (an invoice may say the same hours both ways).
    """
    billed: dict[tuple[str | None, int], Decimal] = {}
    dates: dict[tuple[str | None, int], datetime.date] = {}
    stocked: set[tuple[str | None, int]] = set()
    for record in records:
        if record.client in clients and record.billed and record.date <= as_of:
            key = (record.client, id(record.entry))
            if record.source == "stock" and key not in stocked:
                stocked.add(key)  # the stock's outflows replace the priced hours
                billed[key] = ZERO
            elif record.source != "stock" and key in stocked:
                continue
            billed[key] = billed.get(key, ZERO) + record.billed
            dates[key] = record.date
    revenue: dict[tuple[str | None, int], Decimal] = {}
    for line in lines:
        key = (line.client, id(line.entry))
        if key in billed:
            revenue[key] = revenue.get(key, ZERO) + line.revenue
    latest: dict[str | None, tuple[str | None, int]] = {}
    # In the ledger's order: the last of the latest day wins.
    for key in revenue:
        if billed[key] > 0 and revenue[key] > 0:
            known = latest.get(key[0])
            if known is None or dates[key] >= dates[known]:
                latest[key[0]] = key
    return {client: revenue[key] / billed[key] for client, key in latest.items()}


def _months_before(day: datetime.date, months: int) -> datetime.date:
    try:
        return day - relativedelta(months=months)
    except (ValueError, OverflowError):
        return datetime.date.min
