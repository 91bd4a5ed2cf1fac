"""How much new business replaces a client that ended (docs/metrics.md, `replacements`).

For a client `c` ending at `E`: the monthly revenue that left, its share of the
income, how many new clients of the freelancer's usual size replace it, how long
signing them took her before, and how much of it new clients have brought since.
Pure arithmetic over per-client monthly sums (`History`), built once by
`streams.analyse`; months are handled as integers `year * 12 + month - 1`.
"""

from __future__ import annotations

import datetime
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Literal, NamedTuple

from dateutil.relativedelta import relativedelta

from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.book import LifecycleEvent
    from beancount_freelance.core.revenue.portfolio import ClientStream

Reason = Literal["lost", "dormant", "what-if"]

WINDOW_MONTHS = 12
# How far back the rates look: acquisition, retention, proposals won (docs/metrics.md).
LOOKBACK_MONTHS = 24
RECENT_MONTHS = 3
# lcm(1, ..., 12): every month count of the formulas divides it.
SCALE = 27720


def month_index(day: datetime.date) -> int:
    """Months since year 0, so that consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def months_before(day: datetime.date, months: int) -> datetime.date:
    """`day` minus so many calendar months; the first date there is, if earlier."""
    try:
        return day - relativedelta(months=months)
    except (ValueError, OverflowError):
        return datetime.date.min


def month_label(index: int) -> str:
    """`"YYYY-MM"` of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class ClientHistory:
    """One client's revenue up to `as_of`, from all its lines (no filter)."""

    client: str
    revenue_dates: tuple[datetime.date, ...]  # distinct dates of money coming in
    months: Mapping[int, Decimal]  # month index -> revenue (refunds included)
    first_revenue: datetime.date | None
    # Monthly figures times SCALE, exact (see `_scaled`):
    first_year_scaled: Decimal  # its first 12 months (clipped at as_of), a month
    recent_scaled: Decimal  # its last k <= 3 months up to as_of, a month

    def last_revenue_until(self, day: datetime.date) -> datetime.date | None:
        position = bisect_right(self.revenue_dates, day)
        return self.revenue_dates[position - 1] if position else None

    def revenue_in(self, first_month: int, last_month: int) -> Decimal:
        return _sum_months(self.months, first_month, last_month)

    @cached_property
    def recent_levels(self) -> Mapping[int, Decimal]:
        """Month index -> its last k = min(3, months since its first revenue
        month) months' revenue a month, times SCALE (the rule of
        `replaced_monthly` at that month's end); absent: nothing."""
        months = self.months
        if self.first_revenue is None or not months:
            return {}
        first = month_index(self.first_revenue)
        levels: dict[int, Decimal] = {}
        for month in range(first, max(months) + RECENT_MONTHS):
            span = min(RECENT_MONTHS, month - first + 1)
            total = _sum_months(months, month - span + 1, month)
            if total:
                levels[month] = _scaled(total, span)
        return levels


def client_history(
    client: str,
    revenue_dates: Sequence[datetime.date],
    months: Mapping[int, Decimal],
    as_of: datetime.date,
) -> ClientHistory:
    """A client's history; `revenue_dates` sorted, distinct, up to `as_of`."""
    first = revenue_dates[0] if revenue_dates else None
    first_year = recent = ZERO
    if first is not None:
        first_month, as_of_month = month_index(first), month_index(as_of)
        # Its first 12 calendar months, clipped at the month of as_of.
        last_month = min(first_month + WINDOW_MONTHS - 1, as_of_month)
        span = last_month - first_month + 1
        first_year = _scaled(_sum_months(months, first_month, last_month), span)
        # Its last k = min(3, months since its first revenue month) months.
        span = min(RECENT_MONTHS, as_of_month - first_month + 1)
        recent = _scaled(_sum_months(months, as_of_month - span + 1, as_of_month), span)
    return ClientHistory(
        client, tuple(revenue_dates), months, first, first_year, recent
    )


@dataclass(frozen=True)
class History:
    """Every client's history and all clients' revenue per month, up to `as_of`."""

    as_of: datetime.date
    clients: Mapping[str, ClientHistory]
    months: Mapping[int, Decimal]  # all clients together (unattributed excluded)
    first_month: int | None  # the first revenue month of any client

    def revenue_in(self, first_month: int, last_month: int) -> Decimal:
        return _sum_months(self.months, first_month, last_month)

    @cached_property
    def starts(self) -> Starts:
        """The clients by their first revenue: every replacement reads them."""
        return Starts(self.clients.values())


class Starts:
    """Clients that have a first revenue, in its order (then by id).

    A replacement takes the clients that started in a span of dates (the
    references, the acquisitions, the newcomers): each span is a slice here.
    """

    def __init__(self, clients: Iterable[ClientHistory]) -> None:
        dated = sorted(
            (item.first_revenue, item.client, item)
            for item in clients
            if item.first_revenue is not None
        )
        self.clients = [item for _, _, item in dated]
        self._dates = [first for first, _, _ in dated]
        self._labels: dict[int, str] = {}
        # The sums of the last k clients, by k (`newcomers_by_month`).
        self._suffixes: list[tuple[dict[int, Decimal], dict[int, Decimal]]] = [({}, {})]

    def between(
        self, after: datetime.date, until: datetime.date, but: str
    ) -> list[ClientHistory]:
        """The clients but `but` whose first revenue is after `after`, on or
        before `until`."""
        dates = self._dates
        return [
            item
            for item in self.clients[
                bisect_right(dates, after) : bisect_right(dates, until)
            ]
            if item.client != but
        ]

    def before(self, day: datetime.date, but: str) -> list[ClientHistory]:
        """The clients but `but` whose first revenue is before `day`."""
        return [
            item
            for item in self.clients[: bisect_left(self._dates, day)]
            if item.client != but
        ]

    def count_between(self, after: datetime.date, until: datetime.date) -> int:
        """How many clients had their first revenue after `after`, up to `until`."""
        dates = self._dates
        return max(0, bisect_right(dates, until) - bisect_right(dates, after))

    def newcomers_by_month(
        self, after: datetime.date, but: str
    ) -> tuple[Mapping[int, Decimal], Mapping[int, Decimal]] | None:
        """Month -> the revenue, and the sum of `recent_levels`, of every
        client whose first revenue is after `after` (the newcomers of a loss
        then); None when `but` is one of them (then sum them one by one).

        Sums from the last client back, each made once: a history with many
        losses asks for the same suffixes again and again. Decimal sums are
        exact, so that the order of the terms changes nothing.
        """
        position = bisect_right(self._dates, after)
        newcomers = self.clients[position:]
        if any(item.client == but for item in newcomers):
            return None
        # The sums of the last k clients, for k from 0 up: made as far back
        # as a loss asks (losses are recent, and so are their newcomers).
        suffixes = self._suffixes
        while len(suffixes) <= len(newcomers):
            item = self.clients[-len(suffixes)]
            totals, levels = (dict(sums) for sums in suffixes[-1])
            for month, amount in item.months.items():
                totals[month] = totals.get(month, ZERO) + amount
            for month, level in item.recent_levels.items():
                levels[month] = levels.get(month, ZERO) + level
            suffixes.append((totals, levels))
        return suffixes[len(newcomers)]

    def label(self, month: int) -> str:
        """`month_label`, remembered: the same months come back in every one."""
        found = self._labels.get(month)
        if found is None:
            found = self._labels[month] = month_label(month)
        return found


def _sum_months(months: Mapping[int, Decimal], first: int, last: int) -> Decimal:
    return sum((months.get(m, ZERO) for m in range(first, last + 1)), ZERO)


class ProgressMonth(NamedTuple):
    """One month after a loss: what the new clients brought, what they replace."""

    month: str  # "YYYY-MM"
    new_clients: Decimal  # the newcomers' revenue in the month
    replaced_monthly: Decimal  # the rule of `replaced_monthly`, at the month's end


@dataclass(frozen=True)
class Replacement:
    """The replacement numbers for one client ending at `ended` (docs/metrics.md)."""

    client: str
    ended: datetime.date
    reason: Reason
    note: str
    monthly_lost: Decimal
    share_at_end: float | None
    new_client_monthly: Decimal | None
    clients_needed: int | None
    acquisition_per_month: float
    months_to_replace: float | None
    replaced_monthly: Decimal
    replaced_share: float | None
    # How the numbers above were found, so that a face can explain them.
    window_start: str | None  # "YYYY-MM"
    window_end: str | None
    window_months: int
    reference_clients: tuple[str, ...]
    reference_fallback: bool
    clients_acquired: int
    acquisition_months: int
    new_clients: tuple[str, ...]
    # Each month since the end: the new clients' revenue, and `replaced_monthly`
    # as it stood at that month's end (its last point is `replaced_monthly`).
    progress: tuple[ProgressMonth, ...] = ()
    # Whether the client had a monthly level to lose (`recurring` of its row).
    recurring: bool = True


def replacement(
    history: History,
    client: str,
    ended: datetime.date,
    reason: Reason,
    note: str = "",
    *,
    recurring: bool = True,
) -> Replacement:
    """The replacement numbers for `client` ending at `ended` (docs/metrics.md).

    `recurring`: the client's own flag, carried for the faces (a one-off client
    has no monthly level: a what-if of it is not extrapolated).
    """
    lookback_start = months_before(ended, LOOKBACK_MONTHS)
    window = _window(history.clients[client], ended)
    lost_scaled, share_at_end, window_months = _lost(history, client, window)
    starts = history.starts
    recent = starts.between(lookback_start, ended, client)
    reference = recent or starts.before(ended, client)
    reference_scaled = max(
        ZERO, sum((item.first_year_scaled for item in reference), ZERO)
    )
    clients_needed = _clients_needed(lost_scaled, reference_scaled, len(reference))
    acquired = starts.count_between(lookback_start, ended)
    acquisition_months = _acquisition_months(history, ended)
    rate = acquired / acquisition_months if acquisition_months > 0 else 0.0
    newcomers = starts.between(ended, history.as_of, client)
    replaced_scaled = max(ZERO, sum((item.recent_scaled for item in newcomers), ZERO))
    return Replacement(
        client=client,
        ended=ended,
        reason=reason,
        note=note,
        monthly_lost=lost_scaled / SCALE,
        share_at_end=share_at_end,
        new_client_monthly=(
            reference_scaled / (SCALE * len(reference)) if reference else None
        ),
        clients_needed=clients_needed,
        acquisition_per_month=rate,
        months_to_replace=(
            clients_needed / rate if rate > 0 and clients_needed is not None else None
        ),
        replaced_monthly=replaced_scaled / SCALE,
        replaced_share=_replaced_share(replaced_scaled, lost_scaled),
        window_start=month_label(window[0]) if window else None,
        window_end=month_label(window[1]) if window else None,
        window_months=window_months,
        reference_clients=tuple(sorted(item.client for item in reference)),
        reference_fallback=not recent,
        clients_acquired=acquired,
        acquisition_months=max(acquisition_months, 0),
        new_clients=tuple(sorted(item.client for item in newcomers)),
        progress=_progress(newcomers, ended, starts, history.as_of, client),
        recurring=recurring,
    )


def _lost(
    history: History, client: str, window: tuple[int, int] | None
) -> tuple[Decimal, float | None, int]:
    """The client's monthly level over its window (scaled), its share of
    everyone's revenue there, and the window's length in months."""
    if window is None:
        return ZERO, None, 0
    window_months = window[1] - window[0] + 1
    lost_revenue = history.clients[client].revenue_in(*window)
    everyone = history.revenue_in(*window)
    # Refunds can outweigh a window's revenue: then nothing left, no share.
    lost_scaled = max(ZERO, _scaled(lost_revenue, window_months))
    return lost_scaled, _share(lost_revenue, everyone), window_months


def _progress(
    newcomers: Sequence[ClientHistory],
    ended: datetime.date,
    starts: Starts,
    as_of: datetime.date,
    client: str,
) -> tuple[ProgressMonth, ...]:
    """Each month after `ended`'s, to `as_of`'s: the newcomers' revenue, and
    `replaced_monthly` as it stood then (their last k <= 3 months, a month):
    the sums `starts` keeps, unless the lost `client` is a newcomer itself."""
    first, last = month_index(ended) + 1, month_index(as_of)
    months = range(first, last + 1)
    summed = starts.newcomers_by_month(ended, client)
    if summed is not None:
        totals, replaced = summed
    else:
        totals = dict.fromkeys(months, ZERO)
        replaced = dict.fromkeys(months, ZERO)  # times SCALE
        for item in newcomers:
            for month, amount in item.months.items():
                if first <= month <= last:
                    totals[month] += amount
            for month, level in item.recent_levels.items():
                if first <= month <= last:
                    replaced[month] += level
    return tuple(
        ProgressMonth(
            starts.label(month),
            totals.get(month, ZERO),
            max(ZERO, replaced.get(month, ZERO)) / SCALE,
        )
        for month in months
    )


def _window(lost: ClientHistory, ended: datetime.date) -> tuple[int, int] | None:
    """12 calendar months to the last revenue on or before `ended`, from the start."""
    last = lost.last_revenue_until(ended)
    first = lost.first_revenue
    if last is None or first is None:
        return None
    last_month = month_index(last)
    return max(last_month - WINDOW_MONTHS + 1, month_index(first)), last_month


def _acquisition_months(history: History, ended: datetime.date) -> int:
    """min(24, months from the first revenue month of any client to E's month)."""
    first_month = history.first_month
    if first_month is None:
        return 0
    return min(LOOKBACK_MONTHS, month_index(ended) - first_month + 1)


def _scaled(amount: Decimal, months: int) -> Decimal:
    """`amount / months` times SCALE: exact, since `months` divides SCALE.

    Means of monthly figures stay exact Decimals, so that
    ceil(monthly_lost / new_client_monthly) is exact: 300 / (300 / 9) is 9.
    """
    return amount * (SCALE // months)


def _clients_needed(
    lost_scaled: Decimal, reference_scaled: Decimal, references: int
) -> int | None:
    """ceil(monthly_lost / mean of the references' first-year monthly revenue)."""
    if references == 0 or reference_scaled <= 0:
        return None
    needed = Fraction(lost_scaled) * references / Fraction(reference_scaled)
    return max(0, math.ceil(needed))


def _share(part: Decimal, whole: Decimal) -> float | None:
    """part / whole within [0, 1]; other clients' refunds could push it past 1."""
    if whole <= 0:
        return None
    return min(1.0, max(0.0, float(Fraction(part) / Fraction(whole))))


def _replaced_share(replaced: Decimal, lost: Decimal) -> float | None:
    if lost <= 0:
        return None
    return min(1.0, max(0.0, float(replaced / lost)))


# --- Every loss of the ledger's history ------------------------------------------
# `replacements` keeps to the report period (`open_gap` sums what its losses left
# unreplaced); the history is every `client-lost` up to `as_of` (a client lost
# twice is counted twice: each loss had its own gap to fill) and the current
# dormancy of a recurring client, newest first. Each loss is worked out as any
# other, by `replacement`.


def replacement_history(
    streams: Sequence[ClientStream],
    events: Mapping[str, tuple[LifecycleEvent, ...]],
    history: History,
) -> tuple[Replacement, ...]:
    """One replacement per loss up to `as_of`, newest first (then by client)."""
    found: list[Replacement] = []
    for stream in streams:
        if stream.id not in history.clients:
            continue
        for event in events.get(stream.id, ()):
            if event.kind == "lost":
                found.append(
                    replacement(
                        history,
                        stream.id,
                        event.date,
                        "lost",
                        event.note,
                        recurring=stream.recurring,
                    )
                )
        if stream.status == "dormant" and stream.recurring and stream.end:
            found.append(replacement(history, stream.id, stream.end, "dormant"))
    return tuple(sorted(found, key=lambda item: (-item.ended.toordinal(), item.client)))
