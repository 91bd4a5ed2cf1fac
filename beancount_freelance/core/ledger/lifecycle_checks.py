"""The lifecycle events checked against the revenue, for the plugin.

A `client-lost` with no revenue before it, a loss twice without a return, a
`client-back` without a loss, revenue dated while a client is lost: each is a
FreelanceError at the event's or the posting's file and line (docs/errors.md).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.book import FreelanceError, posting_source
from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from beancount.core.amount import Amount

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.book import ClientBook, LifecycleEvent

__all__ = ["lifecycle_errors"]

_DATE_OF = operator.attrgetter("entry.date")


def lifecycle_errors(
    book: ClientBook, attributed: Iterable[Attributed]
) -> list[FreelanceError]:
    """Events that contradict the revenue: losses, returns and payments after."""
    revenue: dict[str | None, list[Attributed]] = {
        event.client: [] for event in book.events
    }
    for item in attributed:
        items = revenue.get(item.client)
        # Only money coming in counts: a refund after a loss is no new business.
        if items is not None and _is_revenue(item.entry.postings[item.index].units):
            items.append(item)
    errors: list[FreelanceError] = []
    for client_id in book.clients:
        events = book.events_of(client_id)
        if not events:
            continue
        items = sorted(revenue.get(client_id, ()), key=_DATE_OF)
        errors.extend(_event_errors(client_id, events, items))
        errors.extend(_revenue_after_loss(client_id, events, items))
    return errors


def _is_revenue(units: Amount | None) -> bool:
    number = None if units is None else units.number
    return isinstance(number, Decimal) and number < 0


def _event_errors(
    client_id: str, events: tuple[LifecycleEvent, ...], items: list[Attributed]
) -> Iterator[FreelanceError]:
    first_revenue = items[0].entry.date if items else None
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


def _revenue_after_loss(
    client_id: str, events: tuple[LifecycleEvent, ...], items: list[Attributed]
) -> Iterator[FreelanceError]:
    """Revenue while lost: after a loss's day, before a return's day.

    Both lists are in date order, so one walk through them is enough.
    """
    position = 0
    latest: LifecycleEvent | None = None
    for item in items:
        day = item.entry.date
        while position < len(events) and (
            events[position].date < day
            or (events[position].date == day and events[position].kind == "back")
        ):
            latest = events[position]
            position += 1
        if latest is not None and latest.kind == "lost":
            yield FreelanceError(
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
