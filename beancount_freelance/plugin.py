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
from itertools import compress, repeat
from operator import not_
from typing import TYPE_CHECKING, Any, cast

from beancount.core import data

from beancount_freelance.core.clients import (
    CLIENT_KEY,
    Attributed,
    Attributor,
    BookReader,
    ClientBook,
    FreelanceError,
    IncomePostings,
    Rule,
    lifecycle_errors,
)
from beancount_freelance.core.config import PLUGIN_MODULE, ConfigError, parse_config
from beancount_freelance.i18n import translated

if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Mapping

    from beancount_freelance.core.config import Config

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
        # exc.args[0]: the message as made, said in the reader's language.
        said = translated(exc.args[0] if exc.args else str(exc))
        return entries, [FreelanceError(plugin_line(options_map), said, None)]
    # One pass over all the entries, in C-level loops (map, compress): what
    # follows looks at the income transactions only.
    is_transaction = list(map(isinstance, entries, repeat(data.Transaction)))
    reader = BookReader()
    for entry in compress(entries, map(not_, is_transaction)):
        reader.read(entry)
    income = IncomePostings(settings)
    transactions = cast(
        "list[data.Transaction]", list(compress(entries, is_transaction))
    )
    indices = list(income.of_each(transactions))
    accounts = income.accounts()
    book, errors = reader.book(accounts)
    attributor = Attributor(book, settings)
    replaced, checked = _attributed_and_written(
        compress(transactions, indices),
        compress(indices, indices),
        accounts,
        book,
        attributor,
    )
    errors.extend(attributor.errors(checked))
    errors.extend(lifecycle_errors(book, checked))
    errors.extend(_opt_in_errors(entries, options_map, settings))
    if replaced:
        entries = [replaced.get(id(entry), entry) for entry in entries]
    return entries, [_in_the_reader_s_language(error) for error in errors]


def _in_the_reader_s_language(error: FreelanceError) -> FreelanceError:
    """The error as bean-check or Fava shows it: in the process's language.

    The core's messages are English (the JSON document is the same in every
    language); those made with `i18n.message` carry their translation.
    """
    said = translated(error.message)
    return error if said is error.message else error._replace(message=said)


def _attributed_and_written(
    transactions: Iterable[data.Transaction],
    indices: Iterable[tuple[int, ...]],
    accounts: Iterable[str],
    book: ClientBook,
    attributor: Attributor,
) -> tuple[dict[int, data.Transaction], list[Attributed]]:
    """Attribute each income transaction and write its clients.

    Returns the transactions that had to be replaced (by id of the original), and
    what is left to check: the unattributed postings, and those of the clients
    with lifecycle events.

    The common transaction, one income posting and no `client:` anywhere, owned
    by its account or its payee, is settled inline: the same rules as
    `Attributor.postings_of` and the same writes as `_write_clients`, without an
    `Attributed` object unless it is checked. Every other one takes their path.
    """
    known = book.clients
    owners = {account: book.owner_of(account) for account in accounts}
    payee_clients: dict[str, str | None] = {}
    with_events = {event.client for event in book.events}
    checked: list[Attributed] = []
    replaced: dict[int, data.Transaction] = {}
    written = _Written()
    # Any dict written inline has `client:` now: the inline path never meets
    # one again, and only `_write_clients` asks `written` about it.
    remember = written.add
    for entry, income in zip(transactions, indices, strict=True):
        if len(income) == 1:
            entry_meta = entry.meta
            index = income[0]
            posting = entry.postings[index]
            meta = posting.meta
            if (
                meta is not None
                and CLIENT_KEY not in meta
                and CLIENT_KEY not in entry_meta
                and meta is not entry_meta
            ):
                client = owners[posting.account]
                rule: Rule = "account"
                if client is None and entry.payee:
                    try:
                        client = payee_clients[entry.payee]
                    except KeyError:
                        matches = book.payee_matches(entry.payee)
                        client = matches[0] if len(matches) == 1 else None
                        payee_clients[entry.payee] = client
                    rule = "payee"
                if client in known:
                    meta[CLIENT_KEY] = client
                    entry_meta[CLIENT_KEY] = client
                    remember(meta)
                    remember(entry_meta)
                    if client in with_events:
                        checked.append(Attributed(entry, index, client, rule))
                    continue
        items = attributor.postings_of(entry, income)
        with_client = _write_clients(entry, items, known, written)
        if with_client is not entry:
            replaced[id(entry)] = with_client
        for item in items:
            if item.client is None or item.client in with_events:
                checked.append(item)
    return replaced, checked


def _opt_in_errors(
    entries: list[data.Directive], options_map: Mapping[str, Any], settings: Config
) -> list[FreelanceError]:
    """`max_share`, `check_links` and `ceilings`: they run the analysis, imported
    only if asked."""
    errors: list[FreelanceError] = []
    if settings.max_share is not None:
        from beancount_freelance.core.policy import max_share_errors

        errors.extend(max_share_errors(entries, options_map, settings))
    if settings.check_links:
        from beancount_freelance.core.receivables import link_errors

        errors.extend(link_errors(entries, options_map, settings))
    if settings.ceilings:
        from beancount_freelance.core.ceilings import ceiling_errors

        errors.extend(ceiling_errors(entries, options_map, settings))
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
    written = _Written()
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
    written: _Written,
) -> data.Transaction:
    """Write `client:` into the metadata of a transaction and its income postings.

    In place, as Beancount's own booking marks the postings it interpolates: a new
    entry per income transaction would cost more than the 3 % of `bean-check`
    that the plugin may take. A posting without metadata, or whose metadata dict
    is shared with one written before (in `written`), gets a copy; then, and
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
        if meta is not None and CLIENT_KEY not in meta:
            meta[CLIENT_KEY] = client
            written.add(meta)
        # A dict written before (shared with another posting or transaction)
        # may carry another client: this posting gets its own copy.
        elif meta is None or (meta[CLIENT_KEY] != client and meta in written):
            if postings is entry.postings:
                postings = list(postings)
            postings[item.index] = posting._replace(
                meta={**(meta or {}), CLIENT_KEY: client}
            )
        # Otherwise the value there is the user's, even a wrong one (reported).
    meta = entry.meta
    # Only when every income posting has that one client: a transaction-level
    # client would otherwise claim the unattributed ones on the next run.
    if len(clients) == 1 and None not in clients:
        client = clients.pop()
        if CLIENT_KEY not in meta:
            meta[CLIENT_KEY] = client
            written.add(meta)
        elif meta[CLIENT_KEY] != client and meta in written:
            meta = {**meta, CLIENT_KEY: client}
    if postings is entry.postings and meta is entry.meta:
        return entry
    return entry._replace(meta=meta, postings=postings)


class _Written:
    """The metadata dicts the plugin wrote `client:` into.

    Asked only about a dict that already has `client:` (the user's, or one
    shared with a posting or transaction written before), which is rare: the
    dicts are kept as they come and their ids taken only then.
    """

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._new: list[data.Meta] = []
        self.add = self._new.append

    def __contains__(self, meta: object) -> bool:
        if self._new:
            self._ids.update(map(id, self._new))
            self._new.clear()
        return id(meta) in self._ids
