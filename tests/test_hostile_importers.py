"""The importers and the import hook under malformed and random CSV files.

Random bytes, other encodings (latin-1, UTF-16, UTF-8 with a BOM), other
delimiters and line endings, empty files, a header alone, NUL bytes and fields of
a megabyte: the invoice register, the bank statement and the `assign_clients`
hook never raise, and every row read is either an entry or a reported row (the
row-accounting invariant), each report naming its row.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance.importers import (
    ERROR_KEY,
    BankStatementImporter,
    InvoiceRegisterImporter,
    assign_clients,
)

DATA = Path(__file__).parent / "data" / "importers"
UNCLOSED_BEFORE_A_ROW = (
    "a quoted field opened on this line is not closed on it, and the next line "
    "reads as a row of its own (close the quote, or double a quote inside a quoted "
    'field: "")'
)
BOOKS = list(loader.load_file(str(DATA / "ledger.beancount"))[0])
ACCOUNT = "Assets:Bank:Checking"
INVOICE_HEADER = "date,invoice,client,amount,currency,due,description"
BANK_HEADER = "Date;Counterparty;Reference;Amount;Balance"
PROFILE = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def invoices() -> InvoiceRegisterImporter:
    return InvoiceRegisterImporter()


def bank() -> BankStatementImporter:
    return BankStatementImporter(ACCOUNT)


def check_register(path: str) -> list[data.Directive]:
    """Everything the invoice register importer does, and its invariant."""
    importer = invoices()
    importer.identify(path)
    importer.date(path)
    report = importer.read_register(path, BOOKS)
    assert report.rows_read == len(report.invoices) + len(report.problems)
    rows = [problem.row for problem in report.problems]
    assert len(set(rows)) == len(rows)
    assert all(p.row >= 1 and p.message for p in report.problems)
    entries = importer.extract(path, BOOKS)
    assert len(entries) == report.rows_read
    importer.deduplicate(entries, BOOKS)
    check_hook(path, entries, importer)
    return entries


def check_statement(path: str) -> list[data.Directive]:
    """Everything the bank importer does, and its invariant."""
    importer = bank()
    importer.identify(path)
    importer.date(path)
    report = importer.read_statement(path)
    assert report.balanced
    rows = [problem.row for problem in report.problems]
    assert len(set(rows)) == len(rows)
    assert all(p.row >= 1 and p.message for p in report.problems)
    entries = importer.extract(path, BOOKS)
    balances = [entry for entry in entries if isinstance(entry, data.Balance)]
    assert len(balances) <= 1
    assert len(entries) - len(balances) == report.rows_read
    importer.deduplicate(entries, BOOKS)
    check_hook(path, entries, importer)
    return entries


def check_hook(path: str, entries: list[data.Directive], importer: Any) -> None:
    """The hook keeps every entry, and leaves the problem markers as they are."""
    extracted = [(path, entries, ACCOUNT, importer)]
    ((_, assigned, *_),) = assign_clients(extracted, [*BOOKS, *entries])
    assert len(assigned) == len(entries)
    for before, after in zip(entries, assigned, strict=True):
        if ERROR_KEY in before.meta:
            assert after is before


def write(tmp: Path, content: bytes, name: str = "file.csv") -> str:
    path = tmp / name
    path.write_bytes(content)
    return str(path)


def problems_of(entries: list[data.Directive]) -> dict[int, str]:
    return {e.meta["lineno"]: e.meta[ERROR_KEY] for e in entries if ERROR_KEY in e.meta}


# --- Random bytes ---------------------------------------------------------------------


@PROFILE
@given(st.binary(max_size=3000), st.sampled_from(["", "header"]))
def test_random_bytes(
    tmp_path_factory: pytest.TempPathFactory, noise: bytes, start: str
) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    for header, check in (
        (INVOICE_HEADER, check_register),
        (BANK_HEADER, check_statement),
    ):
        prefix = (header + "\n").encode() if start else b""
        check(write(tmp, prefix + noise))


# --- Files of rows, written every way ---------------------------------------------

INVOICE_CELLS = {
    "date": ["2018-01-05", "5 Jan 2018", "2018-02-30", "9999-12-31", "", "\x00"],
    "invoice": ["A1", "A2", "", "A" * 300, '"', "x\x00y"],
    "client": ["Roux", "MJC Belleville", "Nobody", "", "Lefevr", "<b>"],
    "amount": ["10", "1 234,50", "-3.20", "ten", "1e999999", "NaN", ""],
    "currency": ["EUR", "", "usd", "\x00"],
    "due": ["", "2018-03-01", "soon"],
    "description": ["work", "", "é", "a;b,c"],
}
BANK_CELLS = {
    "Date": ["03/01/2018", "31/12/9999", "32/01/2018", "2018-01-03", "", "\x00"],
    "Counterparty": ["VIR SEPA BOULANGERIE ROUX", "", "CAFÉ", "x\x00y"],
    "Reference": ["Facture 2017-042", "", '"', "a;b,c"],
    "Amount": ["300,00", "1 200,00", "-11,99", "abc", "NaN", "", "1e9999"],
    "Balance": ["1 300,00", "", "x", "Infinity"],
}


@st.composite
def csv_files(draw: st.DrawFn, cells: dict[str, list[str]], delimiter: str) -> bytes:
    """A header (perhaps cut short) and rows of good and bad cells, encoded."""
    names = list(cells)
    if draw(st.booleans()):
        names = names[: draw(st.integers(1, len(names)))]
    delimiter = draw(st.sampled_from([delimiter, delimiter, ",", ";", "\t", "|"]))
    rows = [delimiter.join(names)]
    for _ in range(draw(st.integers(0, 8))):
        row = [
            draw(st.sampled_from(cells[name]) | st.text(max_size=6)) for name in names
        ]
        if draw(st.integers(0, 5)) == 0:
            row = row[: draw(st.integers(0, len(row)))]
        rows.append(delimiter.join(row))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ending.join(rows) + draw(st.sampled_from([ending, ""]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@PROFILE
@given(csv_files(INVOICE_CELLS, ","))
def test_invoice_registers_written_every_way(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    check_register(write(tmp_path_factory.mktemp("register"), content))


@PROFILE
@given(csv_files(BANK_CELLS, ";"))
def test_bank_statements_written_every_way(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    check_statement(write(tmp_path_factory.mktemp("statement"), content))


# --- Each hostile file, by hand -------------------------------------------------------

MEGABYTE = "x" * 1_000_000


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\x00", b"\xef\xbb\xbf"])
def test_an_empty_file_has_no_rows(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    assert check_register(path) == []
    assert check_statement(path) == []
    assert invoices().date(path) is None and bank().date(path) is None


def test_a_header_alone_has_no_rows(tmp_path: Path) -> None:
    assert check_register(write(tmp_path, INVOICE_HEADER.encode() + b"\r\n")) == []
    assert check_statement(write(tmp_path, BANK_HEADER.encode() + b"\r\n")) == []


def test_a_field_of_a_megabyte_costs_its_row_only(tmp_path: Path) -> None:
    lines = [
        "date,invoice,client,amount",
        "2018-01-05,A1,Roux,10",
        f"2018-01-06,{MEGABYTE},Roux,10",
        "2018-01-07,A3,Roux,30",
    ]
    entries = check_register(write(tmp_path, "\n".join(lines).encode()))
    assert [e.meta.get("invoice") for e in entries if e.postings] == ["A1", "A3"]
    assert list(problems_of(entries)) == [3]
    assert "field larger than field limit" in problems_of(entries)[3]
    lines = [
        BANK_HEADER,
        "03/01/2018;ROUX;a;300,00;1 300,00",
        f"04/01/2018;{MEGABYTE};b;1,00;1 301,00",
        "05/01/2018;ROUX;c;2,00;1 303,00",
    ]
    entries = check_statement(write(tmp_path, "\n".join(lines).encode(), "bank.csv"))
    assert [
        e.narration for e in entries if isinstance(e, data.Transaction) and e.postings
    ] == ["a", "c"]
    assert list(problems_of(entries)) == [3]


def test_nul_bytes_and_crlf(tmp_path: Path) -> None:
    content = (
        b"date,invoice,client,amount\r\n"
        b"2018-01-05,A\x001,Roux,10\r\n"
        b"2018-01-06,A2,Roux,20\r\n"
    )
    entries = check_register(write(tmp_path, content))
    assert [e.meta["invoice"] for e in entries if e.postings] == ["A\x001", "A2"]
    content = BANK_HEADER.encode() + b"\r\n03/01/2018;RO\x00UX;a;300,00;1 300,00\r\n"
    (transaction, balance) = check_statement(write(tmp_path, content, "bank.csv"))
    assert transaction.postings[0].units.number == 300
    assert balance.date == datetime.date(2018, 1, 4)


def test_another_encoding_is_reported_row_by_row(tmp_path: Path) -> None:
    text = "date,invoice,client,amount\n2018-01-05,A1,Roux,10\n2018-01-06,É2,Roux,20\n"
    entries = check_register(write(tmp_path, text.encode("latin-1")))
    imported = [e.meta["invoice"] for e in entries if e.postings]
    # Latin-1 is ASCII but for the É: only its row is not UTF-8. (UTF-16 with
    # its byte order mark is read: tests/test_importers_exports.py.)
    assert imported == ["A1"]
    assert 3 in problems_of(entries)
    text = BANK_HEADER + "\n03/01/2018;CAFÉ;a;300,00;1 300,00\n"
    entries = check_statement(write(tmp_path, text.encode("latin-1"), "bank.csv"))
    assert not [e for e in entries if isinstance(e, data.Transaction) and e.postings]


def test_a_latin_1_line_costs_its_row_only(tmp_path: Path) -> None:
    content = BANK_HEADER + "\n03/01/2018;CAFÉ;a;300,00;\n04/01/2018;ROUX;b;5,00;\n"
    entries = check_statement(write(tmp_path, content.encode("latin-1"), "bank.csv"))
    assert problems_of(entries) == {2: "not utf-8-sig text"}
    assert [e.narration for e in entries if e.postings] == ["b"]


def test_every_bad_bank_line_is_reported_with_its_row(tmp_path: Path) -> None:
    lines = [
        BANK_HEADER,
        "03/01/2018;VIR SEPA BOULANGERIE ROUX;Pages Facebook;300,00;1 300,00",
        "32/01/2018;X;bad date;1,00;1 301,00",
        "04/01/2018;X;bad amount;abc;1 301,00",
        "05/01/2018;X;bad balance;1,00;x",
        "06/01/2018;short row",
        ";X;no date;1,00;",
        '07/01/2018;"unterminated;2,00;1 303,00',
        "08/01/2018;CB ADOBE;after the open quote;-11,99;1 291,01",
    ]
    entries = check_statement(write(tmp_path, "\n".join(lines).encode(), "bank.csv"))
    problems = problems_of(entries)
    assert problems == {
        3: "Date: bad date '32/01/2018' (expected the format '%d/%m/%Y')",
        4: "Amount: bad amount 'abc'",
        5: "Balance: bad amount 'x'",
        6: "missing 'Amount'",
        7: "missing 'Date'",
        8: "cannot read the row: " + UNCLOSED_BEFORE_A_ROW,
    }
    good = [e for e in entries if isinstance(e, data.Transaction) and e.postings]
    assert [(e.payee, e.meta["lineno"]) for e in good] == [
        ("VIR SEPA BOULANGERIE ROUX", 2),
        ("CB ADOBE", 9),
    ]
    marker = next(
        e for e in entries if e.meta.get("lineno") == 4 and ERROR_KEY in e.meta
    )
    assert marker.flag == "!" and marker.narration == (
        "NOT IMPORTED: bank.csv row 4: Amount: bad amount 'abc'"
    )


def test_a_bank_file_without_the_amount_column(tmp_path: Path) -> None:
    content = "Date;Counterparty;Reference\n03/01/2018;ROUX;a\n04/01/2018;ROUX;b\n"
    entries = check_statement(write(tmp_path, content.encode(), "bank.csv"))
    assert problems_of(entries) == {
        2: "missing 'Amount' column",
        3: "missing 'Amount' column",
    }


def test_an_invoice_on_the_last_day_there_is(tmp_path: Path) -> None:
    """30 days of payment terms after 9999-12-31 are past the calendar."""
    content = (
        b"date,invoice,client,amount\n9999-12-31,A1,Roux,10\n9999-12-31,A2,Roux,10\n"
    )
    path = write(tmp_path.joinpath(), content)
    content_due = content.replace(b"amount\n", b"amount,due\n").replace(
        b",10\n9999", b",10,9999-12-31\n9999", 1
    )
    entries = check_register(path)
    assert problems_of(entries) == {
        2: "no due date after 9999-12-31 in the calendar",
        3: "no due date after 9999-12-31 in the calendar",
    }
    # With its own due date, it imports.
    entries = check_register(write(tmp_path, content_due, "due.csv"))
    assert [e.meta["invoice"] for e in entries if e.postings] == ["A1"]
    (statement,) = check_statement(
        write(
            tmp_path,
            (BANK_HEADER + "\n31/12/9999;ROUX;a;300,00;1 300,00\n").encode(),
            "bank.csv",
        )
    )
    assert statement.date == datetime.date.max  # no day after it for a balance


def test_a_descending_statement_is_booked_oldest_first(tmp_path: Path) -> None:
    lines = [
        BANK_HEADER,
        "05/01/2018;ROUX;c;2,00;1 303,00",
        "04/01/2018;ROUX;b;1,00;1 301,00",
        "03/01/2018;ROUX;a;300,00;1 300,00",
    ]
    entries = check_statement(write(tmp_path, "\n".join(lines).encode()))
    assert [e.narration for e in entries if isinstance(e, data.Transaction)] == [
        "a",
        "b",
        "c",
    ]
    (balance,) = [e for e in entries if isinstance(e, data.Balance)]
    assert (balance.date, balance.amount.number) == (datetime.date(2018, 1, 6), 1303)
