"""beangulp expected-output regression files for each importer and sample.

Each sample `X.csv` has its expected extraction in `X.csv.beancount` next to it
(beangulp.testing's layout: account, date and file name, then the entries). After a
deliberate change, regenerate them with `REGENERATE_EXPECTED=1 pytest this_file`
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from beangulp import testing

from beancount_freelance.importers import (
    BankStatementImporter,
    InvoiceRegisterImporter,
)

DATA = Path(__file__).parent / "data" / "importers"
EXAMPLE = Path(__file__).parent.parent / "example_ledger"

FRENCH_COLUMNS = {
    "date": "Date",
    "invoice": "Numéro",
    "client": "Client",
    "amount": "Montant TTC",
    "due": "Échéance",
    "description": "Libellé",
}


def _importers() -> dict[str, tuple[object, Path, Path]]:
    """name -> (importer, document, expected output)."""
    ledger = str(DATA / "ledger.beancount")
    return {
        "invoices": (
            InvoiceRegisterImporter(ledger=ledger),
            DATA / "invoices.csv",
            DATA / "invoices.csv.beancount",
        ),
        "factures": (
            InvoiceRegisterImporter(
                ledger=ledger,
                columns=FRENCH_COLUMNS,
                delimiter=";",
                date_format="%d/%m/%Y",
                decimal_mark=",",
            ),
            DATA / "factures.csv",
            DATA / "factures.csv.beancount",
        ),
        "bank": (
            BankStatementImporter("Assets:Bank:Checking"),
            DATA / "bank.csv",
            DATA / "bank.csv.beancount",
        ),
        "example-invoices": (
            InvoiceRegisterImporter(ledger=str(EXAMPLE / "main.beancount")),
            EXAMPLE / "downloads" / "invoices-2018-01.csv",
            DATA / "example" / "invoices-2018-01.csv.beancount",
        ),
        "example-bank": (
            BankStatementImporter("Assets:Bank:Checking"),
            EXAMPLE / "downloads" / "bank-2018-01.csv",
            DATA / "example" / "bank-2018-01.csv.beancount",
        ),
    }


@pytest.mark.parametrize("name", sorted(_importers()))
def test_extraction_matches_the_expected_file(name: str) -> None:
    importer, document, expected = _importers()[name]
    assert importer.identify(str(document))  # type: ignore[attr-defined]
    account, date, filename, entries = testing.run_importer(importer, str(document))
    if os.environ.get("REGENERATE_EXPECTED"):
        testing.write_expected_file(
            str(expected), account, date, filename, entries, force=True
        )
    diff = testing.compare_expected(str(expected), account, date, filename, entries)
    assert not diff, "".join(diff)


def test_each_importer_declines_the_other_samples() -> None:
    invoices = InvoiceRegisterImporter()
    bank = BankStatementImporter("Assets:Bank:Checking")
    assert not invoices.identify(str(DATA / "bank.csv"))
    assert not invoices.identify(str(DATA / "ledger.beancount"))
    assert not bank.identify(str(DATA / "invoices.csv"))
    assert not bank.identify(str(DATA / "factures.csv"))
