"""Every loss of the ledger's history and how each was replaced (docs/metrics.md).

`replacements` keeps to the report period (`open_gap` sums what its losses
left unreplaced); the history is every `client-lost`
up to `as_of` (a client lost twice is counted twice: each loss had its own gap
to fill) and the current dormancy of a recurring client, newest first. Each
loss is worked out as `replacement.replacement` works out any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.core.revenue.replacement import Replacement, replacement

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from beancount_freelance.core.ledger.book import LifecycleEvent
    from beancount_freelance.core.revenue.portfolio import ClientStream
    from beancount_freelance.core.revenue.replacement import History


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
