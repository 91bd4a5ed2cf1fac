"""Property tests: no ledger a user can write crashes the plugin or changes a number.

The profile is fixed (derandomized, no deadline) so that CI is deterministic.
"""

from __future__ import annotations

from typing import Any

from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from ledger_strategies import GeneratedLedger, ledgers

from beancount_freelance.plugin import attribute_clients

settings.register_profile(
    "freelance",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("freelance")


def load(ledger: GeneratedLedger) -> tuple[list[data.Directive], dict[str, Any]]:
    entries, _, options_map = loader.load_string(ledger.text)
    return entries, options_map


def _without_client(meta: dict[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (meta or {}).items() if key != "client"}


@given(ledgers())
def test_plugin_keeps_every_entry_and_number(ledger: GeneratedLedger) -> None:
    # The plugin writes into the entries' metadata as Beancount's booking does:
    # compare with a second, untouched load of the same text.
    entries, _ = load(ledger)
    result, _ = attribute_clients(*load(ledger))
    assert len(result) == len(entries)
    for before, after in zip(entries, result, strict=True):
        assert type(before) is type(after)
        assert before.date == after.date
        assert _without_client(before.meta) == _without_client(after.meta)
        if not isinstance(before, data.Transaction):
            assert before == after
            continue
        assert isinstance(after, data.Transaction)
        assert (before.flag, before.payee, before.narration) == (
            after.flag,
            after.payee,
            after.narration,
        )
        assert (before.tags, before.links) == (after.tags, after.links)
        for old, new in zip(before.postings, after.postings, strict=True):
            assert (old.account, old.units, old.cost, old.price, old.flag) == (
                new.account,
                new.units,
                new.cost,
                new.price,
                new.flag,
            )
            assert _without_client(old.meta) == _without_client(new.meta)


@given(ledgers())
def test_plugin_is_idempotent(ledger: GeneratedLedger) -> None:
    # Two separate loads, since the plugin writes into the entries it is given.
    once, errors_once = attribute_clients(*load(ledger))
    entries, options_map = load(ledger)
    twice, errors_twice = attribute_clients(
        attribute_clients(entries, options_map)[0], options_map
    )
    assert once == twice
    for first, second in zip(once, twice, strict=True):
        assert first.meta == second.meta
        if isinstance(first, data.Transaction):
            assert isinstance(second, data.Transaction)
            assert [p.meta for p in first.postings] == [p.meta for p in second.postings]
    # A second run reads the client the first one copied onto the posting, so an
    # error may move from the transaction's line to the posting's: same count.
    assert len(errors_once) == len(errors_twice)


@given(ledgers())
def test_every_error_names_file_and_line(ledger: GeneratedLedger) -> None:
    entries, options_map = load(ledger)
    _, errors = attribute_clients(entries, options_map)
    for error in errors:
        assert error.source["filename"]
        assert isinstance(error.source["lineno"], int)
        assert error.message


@given(ledgers())
def test_loading_with_the_plugin_never_raises(ledger: GeneratedLedger) -> None:
    text = 'plugin "beancount_freelance.plugin"\n' + ledger.text
    _, errors, _ = loader.load_string(text)
    # Beancount turns an exception inside a plugin into an "Error applying plugin"
    # error with the traceback: there must be none.
    assert not [e for e in errors if "Error applying plugin" in str(e.message)]
    assert all(e.source and "lineno" in e.source for e in errors)
