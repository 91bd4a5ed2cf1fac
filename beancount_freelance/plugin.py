"""The Beancount plugin: write each income posting's client into metadata.

    plugin "beancount_freelance.plugin" "{'require_client': '^Income:Clients'}"

Adds `client:` to every attributed income posting, and to each transaction whose
income postings all belong to one client, so that Fava's filter bar
(`client:"Lefevre"`) and bean-query (`meta('client')`) see the attribution. It
changes nothing else, and reports every problem with the client vocabulary as a
Beancount error at the offending entry's file and line.

The attribution is `attribution.Attributor`'s, as for the analysis, one
transaction at a time. `client:` is written into a metadata dict in place, as
Beancount's booking marks the postings it interpolates, when that dict belongs
to its posting or transaction alone; a posting without metadata gets a new dict;
a dict that several entries or postings of the run hold (an upstream plugin or
importer may share one) is copied, so that no write shows on another entry, nor
reaches a later one's attribution. Who holds a dict is counted by identity
(`shared_dicts`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from beancount.core import data

from beancount_freelance.core.ledger.book import (
    CLIENT_KEY,
    FreelanceError,
    WrittenClient,
)
from beancount_freelance.core.ledger.config import (
    PLUGIN_MODULE,
    ConfigError,
    closing_roots,
    ledger_roots,
    parse_config,
)
from beancount_freelance.core.ledger.lifecycle_checks import LifecycleWatch
from beancount_freelance.core.ledger.reading import read_ledger
from beancount_freelance.i18n import translated

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.reading import LedgerReading

__plugins__ = ["attribute_clients"]


_META_OF = attrgetter("meta")
_POSTINGS_OF = attrgetter("postings")
# One `client:` value per client and rule, shared by the postings it is
# written on (a string: immutable), made once.
_written = functools.lru_cache(maxsize=4096)(WrittenClient)
_PLUGIN_LINE = re.compile(r'^\s*plugin\s+"' + re.escape(PLUGIN_MODULE) + '"')


def attribute_clients(
    entries: list[data.Directive],
    options_map: Mapping[str, Any],
    config: str | None = None,
) -> tuple[list[data.Directive], list[FreelanceError]]:
    """Write the client of every attributed income posting into its metadata."""
    try:
        settings = parse_config(
            config, ledger_roots(options_map), closing_roots(options_map)
        )
    except ConfigError as exc:
        # exc.args[0]: the message as made, said in the reader's language.
        said = translated(exc.args[0] if exc.args else str(exc))
        return entries, [FreelanceError(plugin_line(options_map), said, None)]
    reading = read_ledger(entries, settings)
    # An opt-in check reads the attribution again: kept when one is asked.
    kept: list[list[Attributed]] | None = [] if _opt_in(settings) else None
    watch = LifecycleWatch(reading.book)
    replaced, unattributed = _attributed_and_written(
        reading, shared_dicts(entries, reading, options_map), kept, watch
    )
    errors = [*reading.errors, *reading.attributor.errors(unattributed)]
    errors.extend(watch.errors())
    if replaced:
        entries = [replaced.get(id(entry), entry) for entry in entries]
    if kept is not None:
        errors.extend(_opt_in_errors(entries, options_map, reading, kept))
    return entries, [_in_the_reader_s_language(error) for error in errors]


def _in_the_reader_s_language(error: FreelanceError) -> FreelanceError:
    """The error as bean-check or Fava shows it: in the process's language.

    The core's messages are English (the JSON document is the same in every
    language); those made with `messages.message` carry their translation.
    """
    said = translated(error.message)
    return error if said is error.message else error._replace(message=said)


# Beancount's own plugins that give no two holders one metadata dict: those
# that return the entries as they are, and those that make each new entry a
# dict of its own (checked in their sources, Beancount 3).
_SHARE_NO_DICT = frozenset(
    {
        PLUGIN_MODULE,
        "beancount.ops.documents",
        "beancount.ops.pad",
        "beancount.ops.balance",
        "beancount.plugins.auto_accounts",
        "beancount.plugins.implicit_prices",
        "beancount.plugins.check_average_cost",
        "beancount.plugins.check_commodity",
        "beancount.plugins.coherent_cost",
        "beancount.plugins.commodity_attr",
        "beancount.plugins.leafonly",
        "beancount.plugins.noduplicates",
        "beancount.plugins.nounused",
        "beancount.plugins.onecommodity",
        "beancount.plugins.sellgains",
        "beancount.plugins.unique_prices",
    }
)


def shared_dicts(
    entries: list[data.Directive],
    reading: LedgerReading,
    options_map: Mapping[str, Any],
) -> frozenset[int]:
    """The ids of the metadata dicts that more than one entry or posting of the
    run holds, among those the plugin may write into.

    Beancount's parser gives each entry and posting a dict of its own; its
    booking gives the postings it makes of one elided amount (one per
    currency, all on its account) one dict, within their transaction: those
    are counted when the transaction is written (`_with_clients`, the only
    path of a transaction with several income postings). Any other plugin
    that ran before this one may share a dict anywhere (an upstream importer
    too, when the entries come from elsewhere than Beancount's loader). So,
    when the loader ran only Beancount's own plugins before this one, nothing
    is counted here; else every entry and posting of the run.
    """
    if _only_beancount_before(options_map):
        return frozenset()
    return _shared_among(entries, reading.transactions)


def _only_beancount_before(options_map: Mapping[str, Any]) -> bool:
    """Whether this run is the loader's, after only `_SHARE_NO_DICT` plugins."""
    names = [name for name, _ in options_map.get("plugin") or ()]
    if PLUGIN_MODULE not in names:
        return False  # not the loader's run: entries from anywhere
    last = len(names) - 1 - names[::-1].index(PLUGIN_MODULE)
    return _SHARE_NO_DICT.issuperset(names[:last])


def _shared_among(
    entries: Sequence[data.Directive], transactions: Sequence[data.Transaction]
) -> frozenset[int]:
    """The ids of the dicts that more than one of the entries, or of the
    transactions' postings, hold. When the dicts are as many as their holders,
    the common case, none is shared."""
    postings = chain.from_iterable(map(_POSTINGS_OF, transactions))
    metas = chain(map(_META_OF, entries), map(_META_OF, postings))
    holders = len(entries) + sum(map(len, map(_POSTINGS_OF, transactions)))
    if len(set(map(id, metas))) == holders:
        return frozenset()
    postings = chain.from_iterable(map(_POSTINGS_OF, transactions))
    metas = chain(map(_META_OF, entries), map(_META_OF, postings))
    counts = Counter(map(id, metas))
    # Postings without metadata hold no dict: they share nothing.
    return frozenset(key for key, n in counts.items() if n > 1) - {id(None)}


def _attributed_and_written(
    reading: LedgerReading,
    shared: frozenset[int],
    kept: list[list[Attributed]] | None,
    watch: LifecycleWatch,
) -> tuple[dict[int, data.Transaction], list[Attributed]]:
    """Attribute each income transaction and write its clients.

    `shared`: the ids of the dicts several entries or postings hold, which are
    copied, never written into. `kept`, when given, gets each transaction's
    attribution (for the opt-in checks); `watch` sees the postings of the
    clients with lifecycle events. Returns the transactions replaced (by id of
    the original), and the unattributed postings. Runs once per income
    transaction: kept flat, and keeps nothing else (no list of the postings
    outlives its transaction).
    """
    # One transaction at a time; a write never feeds a later read, since a
    # dict written in place belongs to its posting or transaction alone.
    attributed = reading.attributed()
    if kept is not None:
        attributed = _keeping(attributed, kept)
    book = reading.book
    known = book.clients
    with_events = {event.client for event in book.events}
    unattributed: list[Attributed] = []
    replaced: dict[int, data.Transaction] = {}
    for entry, items in zip(reading.income, attributed, strict=True):
        if len(items) == 1:
            # The commonest write, in place: one income posting of a known
            # client, no `client:` yet, its dict and the transaction's their own.
            item = items[0]
            client = item.client
            meta = entry.postings[item.index].meta
            entry_meta = entry.meta
            if (
                client is not None
                and client in known
                and meta is not None
                and CLIENT_KEY not in meta
                and CLIENT_KEY not in entry_meta
                and not (shared and (id(meta) in shared or id(entry_meta) in shared))
            ):
                meta[CLIENT_KEY] = entry_meta[CLIENT_KEY] = _written(
                    client, item.rule or "posting"
                )
                if client in with_events:
                    watch.see(item)
                continue
        written = _with_clients(entry, items, known, shared)
        if written is not entry:
            replaced[id(entry)] = written
        for item in items:
            if item.client is None:
                unattributed.append(item)
            elif item.client in with_events:
                watch.see(item)
    return replaced, unattributed


def _with_clients(
    entry: data.Transaction,
    items: list[Attributed],
    known: Mapping[str, object],
    shared: frozenset[int],
) -> data.Transaction:
    """The transaction with `client:` in its income postings' and its own metadata.

    In place into a dict its posting or transaction alone holds; into a new
    dict for a posting without one, or a copy of a `shared` one (then the
    posting and the transaction are new ones). A `client:` already there is
    the user's, even a wrong one (it is reported), and is kept.
    """
    postings = entry.postings
    # A dict its postings share (Beancount's booking of one elided amount).
    shared = shared | _shared_among((entry,), (entry,))
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
        if meta is not None and CLIENT_KEY in meta:
            continue
        written = _written(client, item.rule or "posting")
        if meta is not None and id(meta) not in shared:
            meta[CLIENT_KEY] = written
            continue
        if postings is entry.postings:
            postings = list(postings)
        postings[item.index] = posting._replace(
            meta={**(meta or {}), CLIENT_KEY: written}
        )
    meta = entry.meta
    # Only when every income posting has that one client: a transaction-level
    # client would otherwise claim the unattributed ones on the next run.
    if len(clients) == 1 and None not in clients and CLIENT_KEY not in meta:
        client = _written(str(clients.pop()), items[0].rule or "transaction")
        if id(meta) not in shared:
            meta[CLIENT_KEY] = client
        else:
            meta = {**meta, CLIENT_KEY: client}
    if postings is entry.postings and meta is entry.meta:
        return entry
    return entry._replace(meta=meta, postings=postings)


def _opt_in(settings: Config) -> bool:
    return bool(
        settings.max_share is not None or settings.check_links or settings.ceilings
    )


def _keeping(
    attributed: Iterator[list[Attributed]], kept: list[list[Attributed]]
) -> Iterator[list[Attributed]]:
    for items in attributed:
        kept.append(items)
        yield items


def _opt_in_errors(
    entries: list[data.Directive],
    options_map: Mapping[str, Any],
    reading: LedgerReading,
    attributed: list[list[Attributed]],
) -> list[FreelanceError]:
    """`max_share`, `check_links` and `ceilings`: over the plugin's own reading
    of the ledger, as the CLI and the page read it, so that they agree; imported
    only when asked, as most ledgers never ask and bean-check should not pay for
    loading the analysis."""
    from beancount_freelance.core.ahead.ceilings import ceiling_errors
    from beancount_freelance.core.ahead.policy import max_share_errors
    from beancount_freelance.core.ledger.scan import scan_of
    from beancount_freelance.core.question import ask
    from beancount_freelance.core.receivables.analysis import link_errors

    settings = reading.config
    scan = scan_of(
        reading,
        attributed,
        receivables=settings.check_links,
        operating=options_map.get("operating_currency") or (),
    )
    question = ask(entries, options_map, config=settings, scan=scan)
    errors: list[FreelanceError] = []
    if settings.max_share is not None:
        errors.extend(max_share_errors(question))
    if settings.check_links:
        errors.extend(link_errors(question))
    if settings.ceilings:
        errors.extend(ceiling_errors(question))
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
