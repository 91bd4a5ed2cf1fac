"""Which regular clients have gone quiet for longer than their own rhythm.

A client is at risk when it is active and recurring and its silence — the days
since its last revenue or its latest `client-back`, whichever is later — is
longer than one and a half times its cadence. The clock is the dormancy rule's
(docs/metrics.md): at 1.5 times the cadence a client is late, at twice it is
dormant. Pure functions over the analysis' `ClientStream` values.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from beancount_freelance.core.revenue.portfolio import ClientStream

#: Silence longer than this many cadences is a warning sign.
LATE_AFTER_CADENCES = Fraction(3, 2)


@dataclass(frozen=True)
class AtRisk:
    """One client at risk: how long it has been silent against its rhythm."""

    client: str
    days_silent: int
    cadence_days: float
    lateness: Fraction  # days_silent / cadence_days


def days_since_revenue(stream: ClientStream, as_of: datetime.date) -> int | None:
    """Days from the client's last revenue to `as_of` (None for a prospect)."""
    if stream.last_revenue is None:
        return None
    return (as_of - stream.last_revenue).days


def days_silent(stream: ClientStream, as_of: datetime.date) -> int | None:
    """Days since the later of its last revenue and its latest `client-back`."""
    if stream.last_revenue is None:
        return None
    alive = stream.last_revenue
    for event in stream.events:
        if event.kind == "back" and alive < event.date <= as_of:
            alive = event.date
    return (as_of - alive).days


def at_risk(stream: ClientStream, as_of: datetime.date) -> bool:
    """Active, recurring, and silent for more than 1.5 times its cadence."""
    if stream.status != "active" or not stream.recurring:
        return False
    silent = days_silent(stream, as_of)
    cadence = stream.cadence_days
    if silent is None or cadence is None:
        return False
    # A cadence is a median of whole days: a float with at most a half, exact.
    return Fraction(silent) > LATE_AFTER_CADENCES * Fraction(cadence)


def clients_at_risk(
    streams: Iterable[ClientStream], as_of: datetime.date
) -> tuple[AtRisk, ...]:
    """The clients at risk, the latest against its own rhythm first, then by id."""
    found = []
    for stream in streams:
        if not at_risk(stream, as_of):
            continue
        silent = days_silent(stream, as_of)
        cadence = stream.cadence_days
        if silent is None or cadence is None:  # at_risk already said no
            continue
        lateness = Fraction(silent) / Fraction(cadence) if cadence else Fraction(0)
        found.append(AtRisk(stream.id, silent, cadence, lateness))
    return tuple(sorted(found, key=lambda item: (-item.lateness, item.client)))
