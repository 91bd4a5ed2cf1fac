"""The importers read what banks and trackers really export.

UTF-8 with or without a byte order mark, UTF-16 with one (Excel's "Unicode
text", several banks), in either byte order; a header followed by empty
columns (`;;;`); Excel's `="0124"` cells, which keep a leading zero; a quoted
description over several lines, some of them full of delimiters. Each reads as
its rows, at their line numbers; rows in = entries out + problems. A file the
importers cannot read is said so, naming the file: never passed over in silence.
"""

from __future__ import annotations

import codecs
import io
import logging
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.importers import (
    BankStatementImporter,
    InvoiceRegisterImporter,
)
from beancount_freelance.importers.reading import CHUNK_BYTES, csv_rows

DATA = Path(__file__).parent / "data" / "importers"
BOOKS = list(loader.load_file(str(DATA / "ledger.beancount"))[0])
BANK_HEADER = "Date;Counterparty;Reference;Amount;Balance"
INVOICE_HEADER = "date,invoice,client,amount,currency,due,description"


def encoded(text: str, encoding: str) -> bytes:
    """The text as an export writes it: UTF-16 and UTF-32 with their mark."""
    marks = {
        "utf-8-sig": b"",  # the codec writes its own
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }
    return marks.get(encoding, b"") + text.encode(encoding)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le"]

# A statement as a French bank exports it from a spreadsheet: empty columns
# after the header, a reference Excel keeps as text, a note over three lines.
STATEMENT = (
    BANK_HEADER + ";;;\r\n"
    '03/01/2018;VIR ROUX;"Pages janvier\r\n'
    "détail; deux; trois; quatre; cinq\r\n"
    'fin";300,00;1 300,00;;;\r\n'
    '04/01/2018;CB ADOBE;="0124";-11,99;1 288,01;;;\r\n'
    "05/01/2018;VIR HUET;Studio;280,00;1 568,01;;;\r\n"
)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_bank_statement_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bank.csv"
    path.write_bytes(encoded(STATEMENT, encoding))
    importer = BankStatementImporter("Assets:Bank:Checking")
    assert importer.identify(str(path))
    report = importer.read_statement(str(path))
    assert report.problems == ()
    assert report.rows_read == 3 and report.balanced
    assert [(e.meta["lineno"], e.narration) for e in report.transactions] == [
        (2, "Pages janvier\ndétail; deux; trois; quatre; cinq\nfin"),
        (5, "0124"),  # the line numbers of the rows after it are the file's
        (6, "Studio"),
    ]
    assert str(report.balance.amount) == "1568.01 EUR"  # type: ignore[union-attr]


REGISTER = (
    INVOICE_HEADER + ",,\n"
    '2018-01-10,="0124",Roux,10.00,EUR,,"Atelier janvier\n'
    'suite, avec, des, virgules, sur, toute, la ligne"\n'
    '2018-01-11,="0125",Roux,20.00,EUR,,"dit ""bonjour"""\n'
)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_an_invoice_register_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "invoices.csv"
    path.write_bytes(encoded(REGISTER, encoding))
    importer = InvoiceRegisterImporter()
    assert importer.identify(str(path))
    report = importer.read_register(str(path), BOOKS)
    assert report.problems == () and report.balanced
    assert [
        (e.meta["lineno"], e.meta["invoice"], sorted(e.links), e.narration)
        for e in report.invoices
    ] == [
        (
            2,
            "0124",
            ["invoice-0124"],
            "Atelier janvier\nsuite, avec, des, virgules, sur, toute, la ligne",
        ),
        (4, "0125", ["invoice-0125"], 'dit "bonjour"'),
    ]


def test_an_open_quote_still_ends_at_a_row_that_reads(tmp_path: Path) -> None:
    # A line full of delimiters goes on a quoted field; a row whose date reads
    # does not: the open quote costs its own row, the next row is imported.
    text = (
        BANK_HEADER + "\n"
        '03/01/2018;ROUX;"never closed;1,00;\n'
        "a;b;c;d;e\n"
        "04/01/2018;ROUX;b;2,00;\n"
    )
    path = tmp_path / "bank.csv"
    path.write_bytes(text.encode())
    report = BankStatementImporter("Assets:Bank").read_statement(str(path))
    assert [(p.row, p.message[:22]) for p in report.problems] == [
        (2, "cannot read the row: a")
    ]
    assert [(e.meta["lineno"], e.narration) for e in report.transactions] == [(4, "b")]
    assert report.balanced


def test_a_bad_byte_in_utf_16_costs_its_row_only(tmp_path: Path) -> None:
    good = "date,invoice,client,amount\n2018-01-05,A1,Roux,10\n"
    bad = "2018-01-06,A2,Roux,20\n".encode("utf-16-le")[:-1]  # half a character
    path = tmp_path / "invoices.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + good.encode("utf-16-le") + bad)
    report = InvoiceRegisterImporter().read_register(str(path), BOOKS)
    assert [e.meta["invoice"] for e in report.invoices] == ["A1"]
    assert [p.row for p in report.problems] == [3]
    assert report.balanced


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(ENCODINGS),
)
def test_every_encoding_reads_as_utf_8_does(lines: list[str], encoding: str) -> None:
    text = "\n".join(["a,b", *lines]) + "\n"
    expected = list(csv_rows(io.BytesIO(text.encode()), "utf-8-sig", None))
    found = list(csv_rows(io.BytesIO(encoded(text, encoding)), "utf-8-sig", None))
    assert found == expected


def test_a_long_utf_16_file_is_read_a_chunk_at_a_time() -> None:
    # Rows of characters outside the BMP (surrogate pairs in UTF-16), over
    # several chunks: none is cut between two chunks.
    rows = [f"{n},𝄞{n}é" for n in range(3 * CHUNK_BYTES // 20)]
    text = "\n".join(["a,b", *rows]) + "\n"
    found = list(csv_rows(io.BytesIO(encoded(text, "utf-16-le")), "utf-8", None))
    assert [row.fields for row in found[1:]] == [tuple(r.split(",")) for r in rows]
    assert not any(row.undecodable for row in found)


# --- A file that cannot be read is said so --------------------------------------


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            "Daté;Counterparty;Reference;Amount;Balance\n".encode("latin-1"),
            "it is not utf-8-sig text: save it as UTF-8",
        ),
        (
            (BANK_HEADER + "\n").encode("utf-16-le"),  # no byte order mark
            "it holds NUL bytes, as UTF-16 without a byte order mark does",
        ),
        (
            b'"Date;Counterparty\n' + b"x\n" * 120,
            "its first line cannot be read: a quoted field",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes, said: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING):
        assert not BankStatementImporter("Assets:Bank").identify(str(path))
        assert not InvoiceRegisterImporter().identify(str(path))
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2  # one by each importer
    assert all(f"{path}: not imported: {said}" in text for text in messages)


def test_a_file_that_cannot_be_opened_is_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "folder.csv"
    path.mkdir()
    with caplog.at_level(logging.WARNING):
        assert not BankStatementImporter("Assets:Bank").identify(str(path))
        assert not InvoiceRegisterImporter().identify(str(path))
    assert [
        record.getMessage()[: len(str(path)) + 30] for record in caplog.records
    ] == [f"{path}: not imported: cannot open it"] * 2


def test_another_banks_file_is_passed_over_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "other.csv"
    path.write_bytes(b"Booking date,Text,Value\n2018-01-03,x,1\n")
    with caplog.at_level(logging.WARNING):
        assert not BankStatementImporter("Assets:Bank").identify(str(path))
        assert not InvoiceRegisterImporter().identify(str(path))
    assert caplog.records == []
