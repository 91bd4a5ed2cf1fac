"""The next twelve months if things go on: run rates, retention, one-off work.

For each of the 12 calendar months after `as_of`'s month, j = 1 … 12:
`recurring` = Σ run_rate × r^j over the active recurring clients, `one_off` =
the non-recurring clients' revenue in the 12 calendar months ending with
`as_of`'s month, ÷ 12 (never below 0), `total` their sum. A client's run rate is
its revenue in its last k ≤ 3 calendar months (the rule of `replaced_monthly`,
`replacement.ClientHistory.recent_scaled`); r, the monthly retention, is
1 − L / M over the 24 months before `as_of`: L regular relationships ended there,
M the months regular clients were with her there. Always from all revenue lines
(`Portfolio.history`): a filter narrows what is shown, never the forecast.
Exact fractions throughout; the document rounds. docs/metrics.md has the why.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from beancount_freelance.core.dates import LAST_DAY
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.revenue.lifecycle import tenure_months
from beancount_freelance.core.revenue.replacement import (
    LOOKBACK_MONTHS,
    SCALE,
    month_index,
    month_label,
    months_before,
)

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_freelance.core.revenue.portfolio import ClientStream
    from beancount_freelance.core.revenue.replacement import History

HORIZON_MONTHS = 12
ONE_OFF_MONTHS = 12


class NoRunRate(ValueError):
    """The what-if left out a client that has no run rate (not active recurring)."""

    def __init__(self, client: str, with_run_rate: Sequence[str]) -> None:
        if with_run_rate:
            said = message(
                N_(
                    "Client {client!r} is not an active recurring client, so the "
                    "forecast has no run rate of it to leave out; those with one: "
                    "{known}"
                ),
                client=client,
                known=", ".join(with_run_rate),
            )
        else:
            said = message(
                N_(
                    "Client {client!r} is not an active recurring client, so the "
                    "forecast has no run rate of it to leave out; no client has one"
                ),
                client=client,
            )
        super().__init__(said)
        self.client = client


@dataclass(frozen=True)
class Retention:
    """r = 1 − ended / months over the lookback, and its sample."""

    monthly: Fraction
    ended: int  # L: regular relationships that ended in the lookback
    months: int  # M: months of regular relationships in the lookback
    clients: int  # regular clients with some of those months, or an ending


@dataclass(frozen=True)
class ForecastMonth:
    """One month ahead."""

    month: str  # "YYYY-MM"
    recurring: Fraction
    one_off: Fraction

    @property
    def total(self) -> Fraction:
        return self.recurring + self.one_off


@dataclass(frozen=True)
class Forecast:
    """The 12 months after `as_of`'s month, and what they are made of."""

    retention: Retention
    run_rates: Mapping[str, Fraction]  # active recurring client -> a month
    one_off_monthly: Fraction
    one_off_clients: int  # non-recurring clients with revenue in those 12 months
    months: tuple[ForecastMonth, ...]
    without: str | None = None  # the client left out by the what-if

    @property
    def stops_at_calendar_end(self) -> bool:
        """Whether its months stop with December 9999, the calendar's last."""
        return bool(self.months) and self.months[-1].month == f"{LAST_DAY:%Y-%m}"

    @property
    def next_12_months(self) -> Fraction:
        return sum((month.total for month in self.months), Fraction(0))


def run_rates(streams: Iterable[ClientStream], history: History) -> dict[str, Fraction]:
    """Each active recurring client's revenue a month, over its last k <= 3 months."""
    return {
        stream.id: Fraction(history.clients[stream.id].recent_scaled) / SCALE
        for stream in streams
        if stream.status == "active"
        and stream.recurring
        and stream.id in history.clients
    }


def monthly_retention(
    streams: Iterable[ClientStream], as_of: datetime.date
) -> Retention:
    """1 − L / M over (as_of − 24 months, as_of]; 1 when M is 0, never below 0."""
    after = months_before(as_of, LOOKBACK_MONTHS)
    ended = months = clients = 0
    for stream in streams:
        if not stream.recurring or stream.start is None:
            continue
        end = stream.end if stream.end is not None else as_of
        ended_here = stream.end is not None and after < stream.end <= as_of
        stayed = tenure_months(max(stream.start, after), min(end, as_of)) or 0
        ended += ended_here
        months += stayed
        clients += 1 if stayed or ended_here else 0
    rate = Fraction(1) if months == 0 else max(Fraction(0), 1 - Fraction(ended, months))
    return Retention(rate, ended, months, clients)


def forecast(
    streams: Sequence[ClientStream],
    history: History,
    as_of: datetime.date,
    *,
    without: str | None = None,
) -> Forecast:
    """The forecast; `without`: that client's run rate left out, retention unchanged.

    Raises NoRunRate when `without` has no run rate to leave out.
    """
    rates = run_rates(streams, history)
    if without is not None:
        if without not in rates:
            raise NoRunRate(without, sorted(rates))
        rates = {client: rate for client, rate in rates.items() if client != without}
    retention = monthly_retention(streams, as_of)
    one_off, one_off_clients = _one_off(streams, history, as_of)
    recurring = sum(rates.values(), Fraction(0))
    first = month_index(as_of)
    months = tuple(
        ForecastMonth(
            month_label(first + ahead), recurring * retention.monthly**ahead, one_off
        )
        for ahead in range(1, HORIZON_MONTHS + 1)
        if first + ahead <= _LAST_MONTH  # the calendar ends in December 9999
    )
    return Forecast(retention, rates, one_off, one_off_clients, months, without)


_LAST_MONTH = month_index(LAST_DAY)


def _one_off(
    streams: Iterable[ClientStream], history: History, as_of: datetime.date
) -> tuple[Fraction, int]:
    """max(0, the non-recurring clients' last 12 calendar months ÷ 12), and who."""
    last = month_index(as_of)
    first = last - ONE_OFF_MONTHS + 1
    revenue, clients = Fraction(0), 0
    for stream in streams:
        found = history.clients.get(stream.id)
        if stream.recurring or found is None:
            continue
        brought = found.revenue_in(first, last)
        revenue += Fraction(brought)
        clients += 1 if brought else 0
    return max(Fraction(0), revenue / ONE_OFF_MONTHS), clients
