"""`make import-demo`: the example's import.py on its January 2018 downloads.

Runs `import.py extract downloads --existing main.beancount` as beangulp would
(the CONFIG and HOOKS that Fava reads, behind beangulp.Ingest), then once more
with the result saved into the books: every entry comes back as a duplicate.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import beangulp
import pytest
from beancount.core import data
from beancount.parser import parser
from click.testing import CliRunner

from beancount_freelance.importers import UNATTRIBUTED_KEY

EXAMPLE = Path(__file__).parent.parent / "example_ledger"
INCOME = "Income:"


def run_extract(existing: Path) -> str:
    module = runpy.run_path(str(EXAMPLE / "import.py"))
    ingest = beangulp.Ingest(module["CONFIG"], module["HOOKS"])
    result = CliRunner().invoke(
        ingest.cli,
        ["extract", str(EXAMPLE / "downloads"), "--existing", str(existing)],
    )
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.fixture(scope="module")
def first_run() -> str:
    return run_extract(EXAMPLE / "main.beancount")


def transactions(text: str) -> list[data.Transaction]:
    entries, errors, _ = parser.parse_string(text)
    assert not errors
    return [entry for entry in entries if isinstance(entry, data.Transaction)]


def client_of(entry: data.Transaction, posting: data.Posting) -> Any:
    return (posting.meta or {}).get("client") or entry.meta.get("client")


def test_every_income_posting_carries_a_client(first_run: str) -> None:
    income = [
        (entry.payee, posting.account, client_of(entry, posting))
        for entry in transactions(first_run)
        for posting in entry.postings
        if posting.account.startswith(INCOME)
    ]
    assert income == [
        ("VIR SEPA STUDIO HUET YOGA", "Income:Clients:Huet", "Huet"),
        ("VIR SEPA SARL CHEZ OLIVIER", "Income:Clients:Olivier", "Olivier"),
        ("VIR SEPA MJC BELLEVILLE", "Income:Freelance:Workshops", "MJCBelleville"),
        ("Pharmacie Garnier", "Income:Clients:Garnier", "Garnier"),
        ("Dubois Immobilier", "Income:Clients:Dubois", "Dubois"),
        ("Bianchi Cycles", "Income:Clients:Bianchi", "Bianchi"),
    ]


def test_payments_of_invoices_settle_the_receivable(first_run: str) -> None:
    settled = {
        entry.payee: (sorted(entry.links), entry.meta["client"])
        for entry in transactions(first_run)
        if any(
            p.account == "Assets:AccountsReceivable" and p.units.number < 0
            for p in entry.postings
        )
    }
    assert settled == {
        "VIR SEPA BIANCHI CYCLES SARL": (["invoice-2017-073"], "Bianchi"),
        "VIR SEPA DUBOIS IMMOBILIER": (["invoice-2017-072"], "Dubois"),
        # Invoiced in the register imported by the same run.
        "VIR SEPA PHARMACIE GARNIER": (["invoice-2018-001"], "Garnier"),
    }


def test_only_the_health_insurance_refund_is_left_unattributed(first_run: str) -> None:
    flagged = [e for e in transactions(first_run) if e.flag == "!"]
    assert [e.payee for e in flagged] == ["VIR SEPA CPAM PARIS"]
    assert "CPAM" in flagged[0].meta[UNATTRIBUTED_KEY]


def test_importing_again_gives_only_duplicates(first_run: str, tmp_path: Path) -> None:
    books = tmp_path / "books.beancount"
    books.write_text(
        f'include "{EXAMPLE / "main.beancount"}"\n' + first_run, encoding="utf-8"
    )
    again = run_extract(books)
    assert transactions(first_run)
    assert parser.parse_string(again)[0] == []  # everything commented out
    # 3 invoices, 11 bank lines and the closing balance assertion; the 13 rows
    # of the four time trackers' exports (4 Toggl, 3 Harvest, 3 Clockify, 3 Kimai).
    assert again.count("; duplicate of") == 15 + 13
