"""Many clients on the Clients page: the top clients, the others, the first rows.

A ledger of thousands of clients would make a page of megabytes that takes a
minute to draw: a chart of five thousand stacks, a colour for each, a timeline
and tables of a row each. The charts show the largest clients of the period and
one stack for all the others; the long lists show their first rows, largest
first, with the count and a link to them all (`rows=all`), as the invoice lists
do: CLIENT_ROWS clients, ROW_LIMIT of the others.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

#: Rows a list of clients (the table, the timeline, who pays late) shows unless
#: `rows=all` is asked: half of ROW_LIMIT, as a row of a client says more.
CLIENT_ROWS = 25
#: The clients a chart shows one by one; the others are one stack.
TOP_CLIENTS = 20
#: The key of the other clients in a chart and in the colour key: no client id
#: has a space.
OTHERS = " others"


def top_clients(document: Mapping[str, Any]) -> set[str]:
    """The ids of the largest clients of the period (the document's order)."""
    return {client["id"] for client in document["clients"][:TOP_CLIENTS]}


def folds(ids: Iterable[str | None], top: set[str]) -> bool:
    """Whether a chart of these clients shows the others as one stack.

    Never for a single client left over: its own stack says more.
    """
    return sum(1 for client in ids if client not in top) > 1


def fold_others(
    by_client: Mapping[str | None, Sequence[Decimal]], top: set[str]
) -> dict[str | None, Sequence[Decimal]]:
    """The top clients' series, and the others' summed as one (OTHERS)."""
    if not folds(by_client, top):
        return dict(by_client)
    kept: dict[str | None, Sequence[Decimal]] = {}
    others: list[Decimal] = []
    for client, series in by_client.items():
        if client in top:
            kept[client] = series
            continue
        if not others:
            others = [Decimal(0)] * len(series)
        others = [total + value for total, value in zip(others, series, strict=True)]
    kept[OTHERS] = others
    return kept


def charted_accounts(
    accounts: Mapping[str | None, str], top: set[str]
) -> dict[str | None, str]:
    """The account each stack of a chart is drawn as: OTHERS for the others."""
    if not folds(accounts, top):
        return dict(accounts)
    kept: dict[str | None, str] = {
        client: account for client, account in accounts.items() if client in top
    }
    kept[OTHERS] = others_label()
    return kept


def others_label() -> str:
    return _("Other clients")


def first_rows(document: Mapping[str, Any], limit: int | None) -> dict[str, Any]:
    """The document with its first `limit` clients (all with None)."""
    return {**document, "clients": list(document["clients"])[:limit]}


_INDENTATION = re.compile(r"\n[ \t]+")


def without_indentation(html: str) -> str:
    """The page without the template's indentation: a tenth of a long table.

    The page has no `<pre>` nor `<textarea>`, where spaces would show.
    """
    return _INDENTATION.sub("\n", html)
