"""`evidence.receivable_like` against a plain reading of its definition, on
every book of the conventions and the example ledger."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data

from beancount_freelance.core.ledger.attribution import receivable_accounts
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.ledger.evidence import ReceivableLike, receivable_like
from beancount_freelance.core.ledger.reading import read_book
from beancount_freelance.core.ledger.scan import scan_ledger

ROOT = Path(__file__).parent.parent
BOOKS = sorted((ROOT / "tests/data/conventions/books").glob("*.beancount"))


def plainly(entries: list[data.Directive], config: Config) -> list[ReceivableLike]:
    """Asset accounts, not receivables, whose debits are at least 80 % income
    and whose credits are at least 80 % moves to another asset (one at least)."""
    book, _ = read_book(entries, config)
    accounts = receivable_accounts(book, config)
    assets = config.roots[1] + ":"
    debits: Counter[str] = Counter()
    invoices: Counter[str] = Counter()
    credits: Counter[str] = Counter()
    paid: Counter[str] = Counter()
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        income = any(config.income_re.search(p.account) for p in entry.postings)
        for posting in entry.postings:
            account, units = posting.account, posting.units
            if not account.startswith(assets) or accounts.is_receivable(account):
                continue
            if units is None or not isinstance(units.number, Decimal):
                continue
            if units.number > 0:
                debits[account] += 1
                invoices[account] += income
            elif units.number < 0:
                credits[account] += 1
                moved = any(
                    p.account.startswith(assets)
                    and p.account != account
                    and p.units is not None
                    and isinstance(p.units.number, Decimal)
                    and p.units.number > 0
                    for p in entry.postings
                )
                paid[account] += not income and moved
    return [
        ReceivableLike(account, invoices[account], paid[account])
        for account in sorted(debits)
        if invoices[account] * 5 >= debits[account] * 4
        and paid[account] > 0
        and paid[account] * 5 >= credits[account] * 4
    ]


@pytest.mark.parametrize(
    "path",
    [*BOOKS, ROOT / "example_ledger/main.beancount"],
    ids=lambda path: path.stem,
)
def test_the_receivable_like_accounts_are_those_of_the_definition(path: Path) -> None:
    entries, _, _ = loader.load_file(str(path))
    config = Config()
    book, _ = read_book(entries, config)
    found = receivable_like(entries, config, receivable_accounts(book, config))
    assert list(found) == plainly(entries, config)


def test_a_german_receivable_under_another_name_is_found() -> None:
    entries, _, _ = loader.load_file(
        str(ROOT / "tests/data/conventions/books/german.beancount")
    )
    config = Config()
    book, _ = read_book(entries, config)
    found = receivable_like(entries, config, receivable_accounts(book, config))
    assert any("Forderungen" in item.account for item in found)


@pytest.mark.parametrize(
    "path",
    [*BOOKS, ROOT / "example_ledger/main.beancount"],
    ids=lambda path: path.stem,
)
def test_the_scan_finds_the_same_accounts(path: Path) -> None:
    """The scan's reading (kinds and combinations of accounts, no second walk
    of the entries) finds what the definition finds."""
    entries, _, _ = loader.load_file(str(path))
    config = Config()
    assert list(scan_ledger(entries, config).receivable_like()) == plainly(
        entries, config
    )
