"""Fava's import page runs the importers and the assign_clients hook.

A temporary ledger (tests/data/importers/ledger.beancount) names `import.py` as its
import config and `downloads/` as its import directory, as a user would with
`custom "fava-option"`; Flask's test client then asks Fava what it would show.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app

DATA = Path(__file__).parent / "data" / "importers"

IMPORT_CONFIG = """
from beancount_freelance.importers import (
    BankStatementImporter,
    InvoiceRegisterImporter,
    assign_clients,
)

CONFIG = [BankStatementImporter("Assets:Bank:Checking"), InvoiceRegisterImporter()]
HOOKS = [assign_clients]
"""

FAVA_OPTIONS = """
2017-01-01 custom "fava-option" "import-config" "import.py"
2017-01-01 custom "fava-option" "import-dirs" "downloads"
"""


@pytest.fixture
def fava(tmp_path: Path) -> Any:
    return fava_client(tmp_path)


def fava_client(tmp_path: Path, more_books: str = "") -> Any:
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(
        (DATA / "ledger.beancount").read_text(encoding="utf-8")
        + FAVA_OPTIONS
        + more_books,
        encoding="utf-8",
    )
    (tmp_path / "import.py").write_text(textwrap.dedent(IMPORT_CONFIG))
    (tmp_path / "downloads").mkdir()
    for name in ("bank.csv", "invoices.csv"):
        shutil.copy(DATA / name, tmp_path / "downloads" / name)
    app = create_app([str(ledger)], load=True)
    app.testing = True
    return app.test_client()


def api(client: Any, endpoint: str, **query: str) -> Any:
    response = client.get(f"/import-test/api/{endpoint}", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


def test_the_import_page_lists_the_sample_files(fava: Any) -> None:
    assert fava.get("/import-test/import/").status_code == 200
    assert api(fava, "errors") == []
    files = {item["basename"]: item for item in api(fava, "imports")}
    assert sorted(files) == ["bank.csv", "invoices.csv"]
    bank = files["bank.csv"]["importers"]
    assert [i["importer_name"] for i in bank] == [
        "beancount_freelance.importers.bank.BankStatementImporter"
    ]
    assert bank[0]["account"] == "Assets:Bank:Checking"
    invoices = files["invoices.csv"]["importers"]
    assert [i["account"] for i in invoices] == ["Assets:AccountsReceivable"]


def extract(client: Any, basename: str, importer: str) -> list[dict[str, Any]]:
    files = {item["basename"]: item for item in api(client, "imports")}
    return list(
        api(
            client,
            "extract",
            filename=files[basename]["name"],
            importer=f"beancount_freelance.importers.{importer}",
        )
    )


def test_extracting_the_bank_file_attributes_the_clients(fava: Any) -> None:
    entries = extract(fava, "bank.csv", "bank.BankStatementImporter")
    transactions = [e for e in entries if e["t"] == "Transaction"]
    clients = [e["meta"].get("client") for e in transactions]
    assert clients == ["Roux", None, "Lefevre", "MJC", None]
    roux, adobe, lefevre, mjc, unknown = transactions
    assert [p["account"] for p in roux["postings"]] == [
        "Assets:Bank:Checking",
        "Income:Clients:Roux",
    ]
    assert roux["postings"][1]["amount"] == "-300.00 EUR"
    assert lefevre["postings"][1]["account"] == "Assets:AccountsReceivable"
    assert lefevre["links"] == ["invoice-2017-042"]
    assert len(adobe["postings"]) == 1
    assert mjc["postings"][1]["account"] == "Income:Freelance:Workshops"
    assert unknown["flag"] == "!"
    assert "INCONNU" in unknown["meta"]["freelance_unattributed"]


def test_extracting_the_register_shows_good_and_bad_rows(fava: Any) -> None:
    entries = extract(fava, "invoices.csv", "invoices.InvoiceRegisterImporter")
    good = [e for e in entries if e["flag"] == "*"]
    bad = [e for e in entries if e["flag"] == "!"]
    assert [e["meta"]["client"] for e in good] == ["Roux", "Lefevre", "MJC", "Roux"]
    assert [e["meta"]["lineno"] for e in bad] == [5, 6, 7, 8, 9, 10]
    assert all(e["narration"].startswith("NOT IMPORTED: invoices.csv row") for e in bad)


def test_invoices_already_in_the_books_show_as_duplicates(tmp_path: Path) -> None:
    client = fava_client(tmp_path, EXTRA_BOOKS)
    entries = extract(client, "invoices.csv", "invoices.InvoiceRegisterImporter")
    duplicates = [
        e["meta"]["invoice"] for e in entries if e["meta"].get("__duplicate__")
    ]
    assert duplicates == ["2018-001"]


EXTRA_BOOKS = """
2018-01-05 * "Boulangerie Roux" "Pages Facebook janvier" ^invoice-2018-001
  invoice: "2018-001"
  Assets:AccountsReceivable   300.00 EUR
  Income:Clients:Roux        -300.00 EUR
"""
