"""The lifecycle events checked against the revenue, for the plugin.

A `client-lost` with no revenue before it, a loss twice without a return, a
`client-back` without a loss, revenue dated while a client is lost: each is a
FreelanceError at the event's or the posting's file and line (docs/errors.md).
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.book import FreelanceError, posting_source
from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from beancount.core.amount import Amount

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.book import ClientBook, LifecycleEvent

__all__ = ["LifecycleWatch", "lifecycle_errors"]


def lifecycle_errors(
    book: ClientBook, attributed: Iterable[Attributed]
) -> list[FreelanceError]:
    """Events that contradict the revenue: losses, returns and payments after."""
    watch = LifecycleWatch(book)
    for item in attributed:
        watch.see(item)
    return watch.errors()


class LifecycleWatch:
    """The lifecycle checks, fed one attributed posting at a time.

    What it keeps of the revenue is what the checks report: each client's
    first revenue, and the revenue dated while the client is lost. The plugin
    feeds it as it writes, so that it keeps no list of the postings.
    """

    def __init__(self, book: ClientBook) -> None:
        self._book = book
        self._events = {
            event.client: book.events_of(event.client) for event in book.events
        }
        self._dates = {
            client: [event.date for event in events]
            for client, events in self._events.items()
        }
        self._first: dict[str, datetime.date] = {}
        self._while_lost: dict[str, list[tuple[Attributed, LifecycleEvent]]] = {}

    def see(self, item: Attributed) -> None:
        """Take one attributed posting into account (money in only: a refund
        after a loss is no new business)."""
        client = item.client
        events = self._events.get(client) if client is not None else None
        if events is None or not _is_revenue(item.entry.postings[item.index].units):
            return
        assert client is not None
        day = item.entry.date
        first = self._first.get(client)
        if first is None or day < first:
            self._first[client] = day
        latest = _latest(events, self._dates[client], day)
        if latest is not None and latest.kind == "lost":
            self._while_lost.setdefault(client, []).append((item, latest))

    def errors(self) -> list[FreelanceError]:
        """Every contradiction seen, client by client in the book's order."""
        errors: list[FreelanceError] = []
        for client_id in self._book.clients:
            events = self._book.events_of(client_id)
            if not events:
                continue
            errors.extend(_event_errors(client_id, events, self._first.get(client_id)))
            found = sorted(self._while_lost.get(client_id, ()), key=_item_date)
            errors.extend(
                _revenue_while_lost(client_id, item, lost) for item, lost in found
            )
        return errors


def _item_date(found: tuple[Attributed, LifecycleEvent]) -> datetime.date:
    return found[0].entry.date


def _latest(
    events: tuple[LifecycleEvent, ...], dates: list[datetime.date], day: datetime.date
) -> LifecycleEvent | None:
    """The event in force on a day of revenue: the last one before that day, or
    on that day when it is a return (a loss takes effect the day after)."""
    position = bisect.bisect_left(dates, day)
    while (
        position < len(events)
        and events[position].date == day
        and events[position].kind == "back"
    ):
        position += 1
    return events[position - 1] if position else None


def _is_revenue(units: Amount | None) -> bool:
    number = None if units is None else units.number
    return isinstance(number, Decimal) and number < 0


def _event_errors(
    client_id: str,
    events: tuple[LifecycleEvent, ...],
    first_revenue: datetime.date | None,
) -> Iterator[FreelanceError]:
    lost = False
    for event in events:
        if event.kind == "lost":
            if lost:
                yield FreelanceError(
                    event.entry.meta,
                    message(
                        N_(
                            "Client {client!r} is lost twice without a "
                            "`client-back` between; remove one loss or add the "
                            "return"
                        ),
                        client=client_id,
                    ),
                    event.entry,
                )
            elif first_revenue is None or first_revenue > event.date:
                yield FreelanceError(
                    event.entry.meta,
                    message(
                        N_(
                            "Client {client!r} is lost on {date} but has no revenue "
                            "on or before that date; check the date or the client id"
                        ),
                        client=client_id,
                        date=event.date,
                    ),
                    event.entry,
                )
            lost = True
        else:
            if not lost:
                yield FreelanceError(
                    event.entry.meta,
                    message(
                        N_(
                            "`client-back` for {client!r} without an earlier "
                            "`client-lost`; add the loss or remove the return"
                        ),
                        client=client_id,
                    ),
                    event.entry,
                )
            lost = False


def _revenue_while_lost(
    client_id: str, item: Attributed, latest: LifecycleEvent
) -> FreelanceError:
    """Revenue while lost: after a loss's day, before a return's day."""
    day = item.entry.date
    return FreelanceError(
        posting_source(item.entry, item.posting),
        message(
            N_(
                "Revenue from {client!r} on {day} after its loss on {lost}; "
                'add `{day} custom "client-back" "{client}"` if the client '
                "came back, or check the client of this posting"
            ),
            client=client_id,
            day=day,
            lost=latest.date,
        ),
        item.entry,
    )
