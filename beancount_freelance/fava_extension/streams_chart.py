"""Which series the revenue-streams chart stacks: the top clients, the rest as one.

Fava colours a stacked chart's series by hues spread evenly round the circle,
one per series: with twenty clients, neighbours in a bar differ by 18 degrees
and a reader cannot tell them apart. The chart therefore stacks the clients
who brought the most revenue over the chart's span (`TOP_CLIENTS` of them) and
groups everyone else, with the revenue of no client, as one series of other
clients: at most nine series, 40 degrees apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.i18n import ngettext

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["NO_CLIENT", "TOP_CLIENTS", "StreamSeries", "top_streams"]

#: How many clients the chart stacks one by one.
TOP_CLIENTS = 8
#: The account label of revenue that belongs to no client.
NO_CLIENT = "Income:(no client)"


@dataclass(frozen=True)
class StreamSeries:
    """The chart's series: each shown client's, and the others' under `None`.

    `accounts` names each series as Fava's chart and the colour key show it;
    `others` are the clients grouped under `None` (empty: nobody is grouped).
    """

    series: dict[str | None, list[Decimal]]
    accounts: dict[str | None, str]
    others: tuple[str, ...] = ()


def top_streams(
    by_client: Mapping[str | None, Sequence[Decimal]],
    accounts: Mapping[str | None, str],
    limit: int = TOP_CLIENTS,
) -> StreamSeries:
    """The `limit` clients with the most revenue in the span, the rest grouped.

    `by_client`: each client's revenue per interval (`None`: no client). With
    `limit + 1` series or fewer, nothing is grouped: one series of "others"
    would hide a client to save nothing. Ties go to the client id's order.
    """
    ranked = sorted(
        (client for client in by_client if client is not None),
        key=lambda client: (-sum(by_client[client], Decimal(0)), client),
    )
    if len(by_client) <= limit + 1:
        named: dict[str | None, str] = {c: _account(c, accounts) for c in by_client}
        return StreamSeries({c: list(s) for c, s in by_client.items()}, named)
    shown, others = ranked[:limit], ranked[limit:]
    grouped = [c for c in by_client if c not in shown]
    width = len(next(iter(by_client.values())))
    rest = [sum((by_client[c][i] for c in grouped), Decimal(0)) for i in range(width)]
    series: dict[str | None, list[Decimal]] = {c: list(by_client[c]) for c in shown}
    series[None] = rest
    label = ngettext("{count} other client", "{count} other clients", len(others))
    named = {c: _account(c, accounts) for c in shown}
    named[None] = label.format(count=len(others))
    return StreamSeries(series, named, tuple(others))


def _account(client: str | None, accounts: Mapping[str | None, str]) -> str:
    """The client's income account; its id when unknown; `NO_CLIENT` for None."""
    return accounts.get(client) or (NO_CLIENT if client is None else client)
