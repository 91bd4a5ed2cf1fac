"""The Beancount plugin: write each income posting's client into metadata.

    plugin "beancount_freelance.plugin" "{'require_client': '^Income:Clients'}"

Adds `client:` to every attributed income posting, and to each transaction whose
income postings all belong to one client, so that Fava's filter bar
(`client:"Lefevre"`) and bean-query (`meta('client')`) see the attribution. It
changes nothing else, and reports every problem with the client vocabulary as a
Beancount error at the offending entry's file and line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount.core import data

from beancount_freelance.clients import (
    CLIENT_KEY,
    Attributed,
    FreelanceError,
    attribute,
    lifecycle_errors,
    read_book,
)
from beancount_freelance.config import ConfigError, parse_config

if TYPE_CHECKING:
    from collections.abc import Sequence

__plugins__ = ["attribute_clients"]


def attribute_clients(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config: str | None = None,
) -> tuple[list[data.Directive], list[FreelanceError]]:
    """Write the client of every attributed income posting into its metadata."""
    try:
        settings = parse_config(config)
    except ConfigError as exc:
        return entries, [FreelanceError(_plugin_source(options_map), str(exc), None)]
    book, errors = read_book(entries)
    attribution = attribute(entries, book, settings)
    errors.extend(attribution.errors)
    errors.extend(lifecycle_errors(book, attribution.postings))
    if settings.max_share is not None:
        from beancount_freelance.policy import max_share_errors

        errors.extend(max_share_errors(entries, options_map, settings))
    return _with_metadata(entries, attribution.postings), errors


def _plugin_source(options_map: dict[str, Any]) -> data.Meta:
    filename = options_map.get("filename") or "<plugin config>"
    return data.new_metadata(str(filename), 0)


def _with_metadata(
    entries: list[data.Directive], attributed: Sequence[Attributed]
) -> list[data.Directive]:
    by_entry: dict[int, list[Attributed]] = {}
    for item in attributed:
        by_entry.setdefault(id(item.entry), []).append(item)
    if not any(item.client is not None for item in attributed):
        return entries
    result: list[data.Directive] = []
    for entry in entries:
        items = by_entry.get(id(entry))
        if items is not None and isinstance(entry, data.Transaction):
            entry = _annotated(entry, items)
        result.append(entry)
    return result


def _annotated(entry: data.Transaction, items: list[Attributed]) -> data.Transaction:
    clients = {item.client for item in items}
    if clients == {None}:
        return entry
    postings = list(entry.postings)
    for item in items:
        posting = postings[item.index]
        if item.client is None or (posting.meta or {}).get(CLIENT_KEY) == item.client:
            continue
        meta = dict(posting.meta or {})
        meta[CLIENT_KEY] = item.client
        postings[item.index] = posting._replace(meta=meta)
    meta = entry.meta
    # Only when every income posting has that one client: a transaction-level
    # client would otherwise claim the unattributed ones on the next run.
    if len(clients) == 1 and CLIENT_KEY not in meta:
        meta = {**meta, CLIENT_KEY: next(iter(clients))}
    return entry._replace(meta=meta, postings=postings)
