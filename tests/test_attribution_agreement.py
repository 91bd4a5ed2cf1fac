"""One attribution: the plugin's writes, the scan and the plain attribution agree.

Hypothesis writes ledgers (declared and undeclared clients, `client:` metadata
already on postings and transactions, unknown ids, receivables per client, a
shared account whose payee is the client), then makes some transactions and
postings share one metadata dict, as an upstream plugin or importer may. For
every income posting, the client that `reading.attribute` gives is the one the
plugin writes, and the one the scan finds before and after the plugin ran.
"""

from __future__ import annotations

from typing import Any

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ledger_strategies import CLIENT_IDS, GeneratedLedger, ledgers

from beancount_freelance.core.ledger.attribution import (
    Attributor,
    _EntryRules,
    receivable_accounts,
)
from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.config import Config, parse_config
from beancount_freelance.core.ledger.reading import attribute, read_book
from beancount_freelance.core.ledger.scan import scan_ledger
from beancount_freelance.plugin import attribute_clients

PROFILE = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CONFIGS = [
    None,
    "{'client_keys': ['customer', 'client'], 'client_tags': '^c-(?P<client>.+)$'}",
    "{'client_accounts': '^Income:Freelance:(?P<client>[^:]+)'}",
    "{'payee_accounts': '^Income:Freelance:Shared$'}",
]


@st.composite
def receivable_transactions(draw: st.DrawFn) -> list[str]:
    """Invoices to a receivable per client, income on a shared account."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        day = f"2015-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
        client = draw(st.sampled_from([*CLIENT_IDS, "TDS"]))
        payee = draw(st.sampled_from(["Acme Corp", "Globex", ""]))
        income = draw(st.sampled_from(["Income:Freelance:Shared", "Income:Interest"]))
        lines += [
            f'{day} * "{payee}" "invoice"',
            f"  Assets:Receivable:{client}  {draw(st.integers(1, 900))}.00 EUR",
            f"  {income}",
        ]
        if draw(st.booleans()):
            lines.append(f'    client: "{draw(st.sampled_from(CLIENT_IDS))}"')
    return lines


# What the books name a client with, besides `client:` (docs/ledger.md): a
# declared id in another case, a declared name, a payee regex's match, a new id.
NAMES = ["acme", "Lefevre & Co", "VIR ACME", "Newco", " ", "Income:Clients:Zed"]


@st.composite
def named_transactions(draw: st.DrawFn) -> list[str]:
    """`customer:` on the posting or transaction, client tags, a narration and
    no payee, a deposit held as a liability turned into income."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        day = f"2015-{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}"
        tags = draw(
            st.lists(st.sampled_from(["#client-acme", "#client/Bistro", "#trip"]))
        )
        narration = draw(st.sampled_from(["work for LEFEVRE", "VIR ACME", "misc"]))
        payee = draw(st.sampled_from(['"" ', '"Someone" ', ""]))
        lines.append(f'{day} * {payee}"{narration}" {" ".join(tags)}'.rstrip())
        if draw(st.booleans()):
            lines.append(f'  customer: "{draw(st.sampled_from(NAMES))}"')
        if draw(st.integers(0, 3)) == 0:
            lines.append(f'  client: "{draw(st.sampled_from(CLIENT_IDS))}"')
        source = draw(st.sampled_from(["Assets:Bank", "Liabilities:Deposits:Acme"]))
        lines.append(f"  {source}  {draw(st.integers(1, 900))}.00 EUR")
        lines.append(f"  {draw(st.sampled_from(INCOME))}")
        meta = draw(st.sampled_from(["", "customer", "customer: 3", "client"]))
        if meta == "customer: 3":
            lines.append("    customer: 3")
        elif meta:
            lines.append(f'    {meta}: "{draw(st.sampled_from(NAMES[:4]))}"')
    return lines


INCOME = ["Income:Freelance:Shared", "Income:Interest", "Income:Clients:Acme"]


@st.composite
def books(draw: st.DrawFn) -> tuple[GeneratedLedger, str | None, list[int]]:
    ledger = draw(ledgers())
    extra = draw(receivable_transactions())
    extra += draw(named_transactions())
    opens = [f"2013-01-01 open Assets:Receivable:{c}" for c in [*CLIENT_IDS, "TDS"]]
    opens.append("2013-01-01 open Liabilities:Deposits:Acme")
    text = ledger.text + "\n".join([*opens, *extra]) + "\n"
    sharing = draw(st.lists(st.integers(0, 40), max_size=8))
    return GeneratedLedger(text), draw(st.sampled_from(CONFIGS)), sharing


def share_metadata(entries: list[data.Directive], sharing: list[int]) -> None:
    """Pairs of income transactions share one dict: entry metas, posting metas."""
    income = [i for i, e in enumerate(entries) if isinstance(e, data.Transaction)]
    for step, pick in enumerate(sharing):
        if len(income) < 2:
            return
        first, second = income[pick % len(income)], income[(pick + 1) % len(income)]
        source, target = entries[first], entries[second]
        assert isinstance(source, data.Transaction)
        assert isinstance(target, data.Transaction)
        if step % 2 == 0:
            entries[second] = target._replace(meta=source.meta)
        else:
            postings = list(target.postings)
            postings[-1] = postings[-1]._replace(meta=source.postings[0].meta)
            entries[second] = target._replace(postings=postings)


def clients_by_posting(
    entries: list[data.Directive], config: Config
) -> list[tuple[int, int, str | None]]:
    """(entry position, posting index, client) of every income posting."""
    book, _ = read_book(entries, config)
    position = {id(entry): i for i, entry in enumerate(entries)}
    return [
        (position[id(item.entry)], item.index, item.client)
        for item in attribute(entries, book, config).postings
    ]


@PROFILE
@given(books())
def test_plugin_scan_and_attribution_agree(
    book_and_config: tuple[GeneratedLedger, str | None, list[int]],
) -> None:
    ledger, config_text, sharing = book_and_config
    entries, _, options = loader.load_string(ledger.text)
    share_metadata(entries, sharing)
    config = parse_config(config_text)
    plain = clients_by_posting(entries, config)
    before = [meta_of(entries, i, j) for i, j, _ in plain]

    scanned = scan_ledger(entries, config).attributed
    assert [item.client for item in scanned] == [client for _, _, client in plain]

    shared = shared_dicts(entries)
    written, _ = attribute_clients(list(entries), options, config_text)
    book, _ = read_book(entries, config)
    for (i, j, client), meta in zip(plain, before, strict=True):
        posting_meta = written[i].postings[j].meta or {}
        if meta.get(CLIENT_KEY) is not None:
            # The user's own `client:` is kept as it is, even a wrong one.
            assert posting_meta.get(CLIENT_KEY) == meta[CLIENT_KEY]
        elif client in book.clients:
            assert posting_meta[CLIENT_KEY] == client
        else:
            assert CLIENT_KEY not in posting_meta
    # A dict that several entries or postings share is never written into: a
    # write there would show on the others.
    assert [(meta, dict(meta)) for meta, _ in shared] == shared
    # Read again after the plugin ran, every posting has the same client, found
    # by the same rule (the `client:` the plugin wrote knows it).
    again = scan_ledger(written, config).attributed
    assert [item.client for item in again] == [client for _, _, client in plain]
    assert [item.rule for item in again] == [item.rule for item in scanned]


def shared_dicts(
    entries: list[data.Directive],
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each metadata dict held by two entries or postings, with a copy of it."""
    holders: dict[int, list[dict[str, Any]]] = {}
    for entry in entries:
        metas = [entry.meta]
        if isinstance(entry, data.Transaction):
            metas += [p.meta for p in entry.postings if p.meta is not None]
        for meta in metas:
            holders.setdefault(id(meta), []).append(meta)
    return [(held[0], dict(held[0])) for held in holders.values() if len(held) > 1]


def meta_of(entries: list[data.Directive], i: int, j: int) -> dict[str, Any]:
    entry = entries[i]
    assert isinstance(entry, data.Transaction)
    return dict(entry.postings[j].meta or {})


@PROFILE
@given(books())
def test_the_fast_path_agrees_with_every_rule_in_order(
    book_and_config: tuple[GeneratedLedger, str | None, list[int]],
) -> None:
    """The shortcut inside `Attributor.postings_of_each` against the general
    path (`_EntryRules`, every rule in order) on each income posting."""
    ledger, config_text, sharing = book_and_config
    entries, _, _ = loader.load_string(ledger.text)
    share_metadata(entries, sharing)
    config = parse_config(config_text)
    book, _ = read_book(entries, config)
    attributor = Attributor(book, config, receivable_accounts(book, config))
    for item in attribute(entries, book, config).postings:
        general = _EntryRules(item.entry, attributor).posting_client(item.posting)
        assert (item.client, item.rule) == general
