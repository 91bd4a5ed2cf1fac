"""The Beancount plugin: write each income posting's client into metadata.

    plugin "beancount_freelance.plugin" "{'require_client': '^Income:Clients'}"

Adds `client:` to every attributed income posting, and to each transaction whose
income postings all belong to one client, so that Fava's filter bar
(`client:"Lefevre"`) and bean-query (`meta('client')`) see the attribution. It
changes nothing else, and reports every problem with the client vocabulary as a
Beancount error at the offending entry's file and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from beancount.core import data

from beancount_freelance.clients import (
    CLIENT_KEY,
    Attributed,
    Attributor,
    BookReader,
    FreelanceError,
    IncomePostings,
    lifecycle_errors,
)
from beancount_freelance.config import PLUGIN_MODULE, ConfigError, parse_config

if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Mapping

__plugins__ = ["attribute_clients"]


class _AnyClient:
    """Every client id, for a caller that has no book at hand."""

    def __contains__(self, client_id: object) -> bool:
        return client_id is not None


_ANY_CLIENT = _AnyClient()
_PLUGIN_LINE = re.compile(r'^\s*plugin\s+"' + re.escape(PLUGIN_MODULE) + '"')


def attribute_clients(
    entries: list[data.Directive],
    options_map: Mapping[str, Any],
    config: str | None = None,
) -> tuple[list[data.Directive], list[FreelanceError]]:
    """Write the client of every attributed income posting into its metadata."""
    try:
        settings = parse_config(config)
    except ConfigError as exc:
        return entries, [FreelanceError(plugin_line(options_map), str(exc), None)]
    reader = BookReader()
    income = IncomePostings(settings)
    # One walk through all the entries; what follows looks at the income only.
    # Parallel lists of existing objects: every object the plugin keeps alive
    # costs its share of the collector's later passes over the whole ledger.
    positions: list[int] = []
    transactions: list[data.Transaction] = []
    income_indices: list[tuple[int, ...]] = []
    for position, entry in enumerate(entries):
        if isinstance(entry, data.Transaction):
            indices = income.of(entry)
            if indices:
                positions.append(position)
                transactions.append(entry)
                income_indices.append(indices)
        else:
            reader.read(entry)
    book, errors = reader.book(income.accounts())
    attributor = Attributor(book, settings)
    checked: list[Attributed] = []
    annotated: list[data.Directive] | None = None
    for position, entry, indices in zip(
        positions, transactions, income_indices, strict=True
    ):
        items = attributor.postings_of(entry, indices)
        with_client = _annotated(entry, items, book.clients)
        if with_client is not entry:
            if annotated is None:
                annotated = list(entries)
            annotated[position] = with_client
        # Only the unattributed postings and the clients with lifecycle events
        # have anything left to check.
        checked.extend(
            item for item in items if item.client is None or book.events_of(item.client)
        )
    errors.extend(attributor.errors(checked))
    errors.extend(lifecycle_errors(book, checked))
    if settings.max_share is not None:
        from beancount_freelance.policy import max_share_errors

        errors.extend(max_share_errors(entries, options_map, settings))
    return (entries if annotated is None else annotated), errors


def plugin_line(options_map: Mapping[str, Any]) -> data.Meta:
    """The file and line of the ledger's `plugin "beancount_freelance.plugin"`.

    Beancount keeps the plugin's configuration but not where it was written, so
    the files are read again, only when the configuration is wrong.
    """
    top = str(options_map.get("filename") or "<plugin config>")
    files = [top, *(name for name in options_map.get("include", ()) if name != top)]
    for filename in files:
        lineno = _find_plugin_line(filename)
        if lineno is not None:
            return data.new_metadata(filename, lineno)
    return data.new_metadata(top, 0)


def _find_plugin_line(filename: str) -> int | None:
    try:
        with open(filename, encoding="utf-8") as ledger:
            for lineno, line in enumerate(ledger, start=1):
                if _PLUGIN_LINE.match(line):
                    return lineno
    except (OSError, UnicodeDecodeError):
        return None
    return None


def with_client_metadata(
    entries: list[data.Directive],
    attributed: Iterable[Attributed],
    known: Container[str] = _ANY_CLIENT,
) -> list[data.Directive]:
    """The entries, with `client:` added where an attribution found a known client.

    For a caller that attributed the entries itself (the plugin does both in one
    walk). Entries that gain nothing stay the very same objects.
    """
    by_entry: dict[int, list[Attributed]] = {}
    for item in attributed:
        by_entry.setdefault(id(item.entry), []).append(item)
    result: list[data.Directive] = []
    for entry in entries:
        items = by_entry.get(id(entry))
        if items is not None and isinstance(entry, data.Transaction):
            entry = _annotated(entry, items, known)
        result.append(entry)
    return result


def _annotated(
    entry: data.Transaction, items: list[Attributed], known: Container[str]
) -> data.Transaction:
    postings = entry.postings
    clients: set[str | None] = set()
    for item in items:
        # An unknown client is reported, not spread: written on another posting
        # or the transaction, it would be reported again on the next run.
        client = item.client if item.client in known else None
        clients.add(client)
        posting = postings[item.index]
        meta = posting.meta
        # A value already there is the user's, even a wrong one (reported).
        if client is None or (meta and CLIENT_KEY in meta):
            continue
        if postings is entry.postings:
            postings = list(postings)
        new_meta = dict(meta) if meta else {}
        new_meta[CLIENT_KEY] = client
        postings[item.index] = data.Posting(
            posting.account,
            posting.units,
            posting.cost,
            posting.price,
            posting.flag,
            new_meta,
        )
    meta = entry.meta
    # Only when every income posting has that one client: a transaction-level
    # client would otherwise claim the unattributed ones on the next run.
    if len(clients) == 1 and None not in clients and CLIENT_KEY not in meta:
        meta = dict(meta)
        meta[CLIENT_KEY] = clients.pop()
    if postings is entry.postings and meta is entry.meta:
        return entry
    return data.Transaction(
        meta,
        entry.date,
        entry.flag,
        entry.payee,
        entry.narration,
        entry.tags,
        entry.links,
        postings,
    )
