"""The Beancount plugin: write each income posting's client into metadata.

    plugin "beancount_freelance.plugin" "{'require_client': '^Income:Clients'}"

Adds `client:` to every attributed income posting, and to each transaction whose
income postings all belong to one client, so that Fava's filter bar
(`client:"Lefevre"`) and bean-query (`meta('client')`) see the attribution. It
changes nothing else, and reports every problem with the client vocabulary as a
Beancount error at the offending entry's file and line.

The metadata is written into the entries' own metadata dicts, as Beancount's
booking does for the postings it interpolates: the plugin returns the very same
entries, and stays within 3 % of the time `bean-check` takes without it.
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
    ClientBook,
    FreelanceError,
    IncomePostings,
    lifecycle_errors,
)
from beancount_freelance.config import PLUGIN_MODULE, ConfigError, parse_config

if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Mapping

    from beancount_freelance.config import Config

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
    income = _IncomeTransactions(IncomePostings(settings))
    # One walk through all the entries; what follows looks at the income only.
    for position, entry in enumerate(entries):
        if isinstance(entry, data.Transaction):
            income.add(position, entry)
        else:
            reader.read(entry)
    book, errors = reader.book(income.postings.accounts())
    attributor = Attributor(book, settings)
    result, checked = _attributed_and_written(entries, income, book, attributor)
    errors.extend(attributor.errors(checked))
    errors.extend(lifecycle_errors(book, checked))
    errors.extend(_opt_in_errors(entries, options_map, settings))
    return result, errors


class _IncomeTransactions:
    """The transactions with income postings, as parallel lists.

    Lists of existing objects rather than a tuple per transaction: every object the
    plugin keeps alive costs its share of the collector's later passes over the
    whole ledger.
    """

    def __init__(self, postings: IncomePostings) -> None:
        self.postings = postings
        self.positions: list[int] = []
        self.transactions: list[data.Transaction] = []
        self.indices: list[tuple[int, ...]] = []

    def add(self, position: int, entry: data.Transaction) -> None:
        indices = self.postings.of(entry)
        if indices:
            self.positions.append(position)
            self.transactions.append(entry)
            self.indices.append(indices)


def _attributed_and_written(
    entries: list[data.Directive],
    income: _IncomeTransactions,
    book: ClientBook,
    attributor: Attributor,
) -> tuple[list[data.Directive], list[Attributed]]:
    """Attribute each income transaction and write its clients.

    Returns the entries (a new list only when an entry had to be replaced) and
    what is left to check: the unattributed postings, and those of the clients
    with lifecycle events.
    """
    with_events = {event.client for event in book.events}
    checked: list[Attributed] = []
    result: list[data.Directive] | None = None
    written: set[int] = set()
    for position, entry, indices in zip(
        income.positions, income.transactions, income.indices, strict=True
    ):
        items = attributor.postings_of(entry, indices)
        with_client = _write_clients(entry, items, book.clients, written)
        if with_client is not entry:
            if result is None:
                result = list(entries)
            result[position] = with_client
        for item in items:
            if item.client is None or item.client in with_events:
                checked.append(item)
    return (entries if result is None else result), checked


def _opt_in_errors(
    entries: list[data.Directive], options_map: Mapping[str, Any], settings: Config
) -> list[FreelanceError]:
    """`max_share` and `check_links`: they run the analysis, imported only if asked."""
    errors: list[FreelanceError] = []
    if settings.max_share is not None:
        from beancount_freelance.policy import max_share_errors

        errors.extend(max_share_errors(entries, options_map, settings))
    if settings.check_links:
        from beancount_freelance.receivables import link_errors

        errors.extend(link_errors(entries, options_map, settings))
    return errors


def plugin_line(options_map: Mapping[str, Any]) -> data.Meta:
    """The file and line of the ledger's `plugin "beancount_freelance.plugin"`.

    Beancount keeps the plugin's configuration but not where it was written, so
    the top file (the only one whose plugin lines count) is read again, only
    when the configuration is wrong.
    """
    filename = str(options_map.get("filename") or "<plugin config>")
    return data.new_metadata(filename, _find_plugin_line(filename) or 0)


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
    """The entries, with `client:` written where an attribution found a known client.

    For a caller that attributed the entries itself (the plugin does both in one
    walk). The metadata is written in place, as in the plugin.
    """
    by_entry: dict[int, list[Attributed]] = {}
    for item in attributed:
        by_entry.setdefault(id(item.entry), []).append(item)
    written: set[int] = set()
    result: list[data.Directive] = []
    for entry in entries:
        items = by_entry.get(id(entry))
        if items is not None and isinstance(entry, data.Transaction):
            entry = _write_clients(entry, items, known, written)
        result.append(entry)
    return result


def _write_clients(
    entry: data.Transaction,
    items: list[Attributed],
    known: Container[str],
    written: set[int],
) -> data.Transaction:
    """Write `client:` into the metadata of a transaction and its income postings.

    In place, as Beancount's own booking marks the postings it interpolates: a new
    entry per income transaction would cost more than the 3 % of `bean-check`
    that the plugin may take. A posting without metadata, or whose metadata dict
    is shared with one written before (ids in `written`), gets a copy; then, and
    only then, the transaction is a new one.
    """
    postings = entry.postings
    clients: set[str | None] = set()
    for item in items:
        # An unknown client is reported, not spread: written on another posting
        # or the transaction, it would be reported again on the next run.
        client = item.client if item.client in known else None
        clients.add(client)
        if client is None:
            continue
        posting = postings[item.index]
        meta = posting.meta
        if meta is None or id(meta) in written:
            if postings is entry.postings:
                postings = list(postings)
            postings[item.index] = posting._replace(
                meta={**(meta or {}), CLIENT_KEY: client}
            )
        # A value already there is the user's, even a wrong one (reported).
        elif CLIENT_KEY not in meta:
            meta[CLIENT_KEY] = client
            written.add(id(meta))
    meta = entry.meta
    # Only when every income posting has that one client: a transaction-level
    # client would otherwise claim the unattributed ones on the next run.
    if len(clients) == 1 and None not in clients:
        client = clients.pop()
        if id(meta) in written:
            meta = {**meta, CLIENT_KEY: client}
        elif CLIENT_KEY not in meta:
            meta[CLIENT_KEY] = client
            written.add(id(meta))
    if postings is entry.postings and meta is entry.meta:
        return entry
    return entry._replace(meta=meta, postings=postings)
