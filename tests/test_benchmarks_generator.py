"""The benchmark ledger generator: deterministic, realistic, and error-free."""

from __future__ import annotations

import collections
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.ledger.reading import attribute, read_book
from beancount_freelance.core.report import analyse_report

Loaded = tuple[list[data.Directive], list[Any], dict[str, Any]]
GENERATOR = Path(__file__).parent.parent / "benchmarks" / "generate.py"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = load_generator().generate


@pytest.fixture(scope="module")
def small() -> str:
    return generate(500, 20, 3, seed=1)


@pytest.fixture(scope="module")
def loaded(small: str) -> Loaded:
    return loader.load_string(small)


def test_same_arguments_same_text(small: str) -> None:
    assert generate(500, 20, 3, seed=1) == small
    assert generate(500, 20, 3, seed=2) != small


def test_loads_with_the_plugin_without_errors(small: str, loaded: Loaded) -> None:
    _, errors, options = loaded
    assert 'plugin "beancount_freelance.plugin"' in small
    assert options["operating_currency"] == ["EUR"]
    assert errors == []


def test_asked_number_of_transactions(loaded: Loaded) -> None:
    entries, _, _ = loaded
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(transactions) == 500


def test_every_client_income_posting_has_its_client(loaded: Loaded) -> None:
    entries, _, _ = loaded
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if posting.account.startswith(("Income:Clients:", "Income:Freelance")):
                assert posting.meta["client"], entry


def test_the_mix_of_a_freelancer_s_books(small: str, loaded: Loaded) -> None:
    entries, _, _ = loaded
    kinds = collections.Counter(e.type for e in entries if isinstance(e, data.Custom))
    assert kinds["client-lost"] >= 1
    assert kinds["client"] >= 1
    assert sum(isinstance(e, data.Price) for e in entries) == 36  # monthly, 3 years
    # Declared payee regexes attribute the shared income account.
    book, _ = read_book(entries, Config())
    assert any(client.payee is not None for client in book.clients.values())
    unplugged = loader.load_string(small.replace('plugin "beancount_freelance', ";"))
    rules = collections.Counter(
        item.rule for item in attribute(unplugged[0], book, Config()).postings
    )
    assert rules["account"] > 0 and rules["payee"] > 0
    # Invoices to the receivable, paid later under the same link.
    invoice = next(
        e
        for e in entries
        if isinstance(e, data.Transaction) and e.narration.startswith("Invoice ")
    )
    link = next(iter(invoice.links))
    assert link.startswith("invoice-")
    assert invoice.postings[0].account == "Assets:AccountsReceivable"
    payments = [
        e
        for e in entries
        if isinstance(e, data.Transaction)
        and link in e.links
        and e.narration.startswith("Payment")
    ]
    assert payments and all(p.date > invoice.date for p in payments)
    assert " USD @ " in small


def test_revenue_never_follows_a_loss_without_a_return(loaded: Loaded) -> None:
    entries, _, _ = loaded
    state: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type.startswith("client-"):
            state[entry.values[0].value] = entry.type
        elif isinstance(entry, data.Transaction):
            for posting in entry.postings:
                client = (posting.meta or {}).get("client")
                if client and posting.units.number < 0:
                    assert state.get(client) != "client-lost", entry


def test_too_few_transactions_for_the_clients_is_refused() -> None:
    with pytest.raises(ValueError, match="too few for 200 clients"):
        generate(100, 200, 3)


def test_the_hours_shape_loads_and_records_hours(small: str) -> None:
    """`hours=True`: a stock of hours for some clients, `hours:` for others; the
    same number of transactions, no error; without it, no hours at all."""
    text = generate(500, 20, 3, seed=1, hours=True)
    assert "Assets:Time:" not in small and "  hours: " not in small
    entries, errors, options = loader.load_string(text)
    assert errors == []
    transactions = [e for e in entries if isinstance(e, data.Transaction)]
    assert len(transactions) == 500
    found = analyse_report(entries, options).hours
    assert found is not None
    assert any(f.unbilled_hours is not None for f in found.clients.values())
    assert any(f.unbilled_hours is None for f in found.clients.values())
