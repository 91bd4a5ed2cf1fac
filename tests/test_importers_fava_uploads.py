"""Odd files uploaded on Fava's import page give reported rows, never a traceback.

Each file is uploaded as a user would (Fava's `upload_import_file`), listed (every
importer's `identify` and `date` run on it), then extracted with each importer:
every answer is 200, and every row not imported comes back as a flagged entry
naming its line.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from test_importers_fava import api, fava_client

INVOICE_HEADER = b"date,invoice,client,amount,currency,due,description"
BANK_HEADER = b"Date;Counterparty;Reference;Amount;Balance"
ROW = b"2018-02-01,U1,Roux,10.00,EUR,,ok"

ODD_FILES = {
    "mac.csv": b"\r".join([INVOICE_HEADER, ROW, ROW.replace(b"U1", b"U2")]),
    "quote.csv": b"\n".join([INVOICE_HEADER, b'2018-02-01,U3,Roux,"1', ROW]),
    "utf16.csv": INVOICE_HEADER.decode().encode("utf-16") + b"\n" + ROW,
    "nul.csv": INVOICE_HEADER + b"\n\x00\x00\x00\n" + ROW,
    "long.csv": INVOICE_HEADER + b"\n" + b'"' + b"x" * 400_000 + b"\n" + ROW,
    "bytes.csv": BANK_HEADER + b'\n\xff\xfe\x00;\r\r\n\x80"";;;\n',
    "empty.csv": b"",
    "header.csv": BANK_HEADER + b"\r\n",
}


@pytest.fixture(scope="module")
def fava(tmp_path_factory: pytest.TempPathFactory) -> Any:
    client = fava_client(tmp_path_factory.mktemp("uploads"))
    for name, content in ODD_FILES.items():
        response = client.put(
            "/import-test/api/upload_import_file",
            data={"file": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    return client


@pytest.mark.parametrize("name", sorted(ODD_FILES))
@pytest.mark.parametrize(
    "importer", ["invoices.InvoiceRegisterImporter", "bank.BankStatementImporter"]
)
def test_an_odd_upload_is_extracted_without_a_traceback(
    fava: Any, name: str, importer: str
) -> None:
    files = {Path(item["name"]).name: item for item in api(fava, "imports")}
    entries = api(
        fava,
        "extract",
        filename=files[name]["name"],
        importer=f"beancount_freelance.importers.{importer}",
    )
    for entry in entries:
        if entry["flag"] == "!" and entry["meta"].get("freelance_import_error"):
            assert entry["meta"]["lineno"] >= 1
            assert f"{name} row {entry['meta']['lineno']}" in entry["narration"]


def test_the_rows_of_odd_uploads_are_where_they_were(fava: Any) -> None:
    files = {Path(item["name"]).name: item for item in api(fava, "imports")}

    def invoices(name: str) -> list[tuple[Any, Any]]:
        entries = api(
            fava,
            "extract",
            filename=files[name]["name"],
            importer="beancount_freelance.importers.invoices.InvoiceRegisterImporter",
        )
        rows = [(e["meta"]["lineno"], e["meta"].get("invoice")) for e in entries]
        return sorted(rows)

    assert invoices("mac.csv") == [(2, "U1"), (3, "U2")]
    # Line 2 opens a quote it never closes: reported; line 3 is still an invoice.
    assert invoices("quote.csv") == [(2, None), (3, "U1")]
    assert invoices("long.csv") == [(2, None), (3, "U1")]
