"""When a client relationship began, how regular it is, and whether it ended.

The per-client lifecycle of docs/metrics.md: start, last revenue, cadence,
recurring, status (prospect, active, dormant, lost; a `client-back` reopens a
lost client), end and tenure. Always computed from all revenue dates up to
`as_of`, never from a filtered view, so that a filter changes the figures shown
and never a client's status.
"""

from __future__ import annotations

import datetime
import itertools
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from beancount_freelance.core.ledger.book import LifecycleEvent

Status = Literal["prospect", "active", "dormant", "lost"]

DORMANT_MIN_DAYS = 60
RECURRING_MIN_DATES = 3
RECURRING_MAX_CADENCE = 100


@dataclass(frozen=True)
class ClientEvent:
    """A `client-lost` or `client-back` directive of one client."""

    date: datetime.date
    kind: Literal["lost", "back"]
    note: str


@dataclass(frozen=True)
class Lifecycle:
    """One client's relationship as of a date."""

    start: datetime.date | None
    last_revenue: datetime.date | None
    cadence_days: float | None
    recurring: bool
    status: Status
    end: datetime.date | None
    tenure_months: int | None


def lifecycle(
    dates: Sequence[datetime.date],
    events: Sequence[LifecycleEvent],
    as_of: datetime.date,
    dormant_after_days: int,
) -> Lifecycle:
    """The lifecycle from sorted distinct revenue dates and events up to `as_of`."""
    first = dates[0] if dates else None
    last = dates[-1] if dates else None
    cadence = cadence_days(dates)
    recurring = (
        len(dates) >= RECURRING_MIN_DATES
        and cadence is not None
        and cadence <= RECURRING_MAX_CADENCE
    )
    if recurring and cadence is not None:
        limit = max(float(DORMANT_MIN_DAYS), 2 * cadence)
    else:
        limit = float(dormant_after_days)
    status, ended = _status(last, events, as_of, limit)
    return Lifecycle(
        start=first,
        last_revenue=last,
        cadence_days=cadence,
        recurring=recurring,
        status=status,
        end=ended,
        tenure_months=tenure_months(first, ended or as_of),
    )


def cadence_days(dates: Sequence[datetime.date]) -> float | None:
    """Median gap in days between consecutive distinct revenue dates."""
    if len(dates) < 2:
        return None
    gaps = [(later - earlier).days for earlier, later in itertools.pairwise(dates)]
    return float(statistics.median(gaps))


def tenure_months(first: datetime.date | None, until: datetime.date) -> int | None:
    """Whole calendar months from `first` to `until` (dateutil's relativedelta)."""
    if first is None:
        return None
    span = relativedelta(until, first)
    return max(0, span.years * 12 + span.months)


def _status(
    last_revenue: datetime.date | None,
    events: Sequence[LifecycleEvent],
    as_of: datetime.date,
    dormant_limit: float,
) -> tuple[Status, datetime.date | None]:
    """The status at `as_of` and the date the relationship ended, if it did."""
    if last_revenue is None:
        return "prospect", None
    latest = events[-1] if events else None
    if latest is not None and latest.kind == "lost":
        return "lost", latest.date
    # A `client-back` restarts the dormancy clock: the return is a sign of life.
    alive = max(last_revenue, latest.date) if latest is not None else last_revenue
    if (as_of - alive).days > dormant_limit:
        return "dormant", alive
    return "active", None


def events_by_client(
    events: Iterable[LifecycleEvent], as_of: datetime.date
) -> dict[str, tuple[LifecycleEvent, ...]]:
    """Each client's events on or before `as_of`, in date order."""
    grouped: dict[str, list[LifecycleEvent]] = {}
    for event in events:
        if event.date <= as_of:
            grouped.setdefault(event.client, []).append(event)
    # Entries come sorted by date; a stable sort keeps same-day events in order.
    return {
        client: tuple(sorted(items, key=lambda event: event.date))
        for client, items in grouped.items()
    }
