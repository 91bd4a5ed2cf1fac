"""Every row counts, whatever the lines around it: stray quotes, line endings.

The reading rule (docs/importing.md): a quoted field left open at the end of a
line goes on to the next line only if that line does not read as a row of its
own, for at most a hundred lines. So a good row is never swallowed by a bad
line before it, whichever of `\\n`, `\\r\\n` or a lone `\\r` ends the lines, and
every record that cannot be read is reported at the line it starts on.
"""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance.importers import (
    BankStatementImporter,
    InvoiceRegisterImporter,
)
from beancount_freelance.importers.reading import (
    MAX_LINE_BYTES,
    MAX_RECORD_LINES,
    csv_rows,
)

DATA = Path(__file__).parent / "data" / "importers"
BOOKS = list(loader.load_file(str(DATA / "ledger.beancount"))[0])
INVOICE_HEADER = "date,invoice,client,amount,currency,due,description"
BANK_HEADER = "Date;Counterparty;Reference;Amount;Balance"
PROFILE = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
# Text that a broken export holds: quotes, delimiters, letters, digits, spaces.
GARBAGE = st.text(alphabet='"",;ab1 \t.-', max_size=40)


def good_invoice(number: int) -> str:
    return f"2018-01-{number % 28 + 1:02d},G{number},Roux,{number + 1}.00,EUR,,ok"


def good_bank_line(number: int) -> str:
    return f"{number % 28 + 1:02d}/01/2018;VIR ROUX;ref {number};{number + 1},00;"


def mixed_lines(good: object) -> st.SearchStrategy[list[tuple[bool, str]]]:
    """Lines, each a good row (True) or garbage (False)."""
    return st.lists(st.tuples(st.booleans(), GARBAGE), max_size=25).map(
        lambda drawn: [
            (True, good(i)) if is_good else (False, text)  # type: ignore[operator]
            for i, (is_good, text) in enumerate(drawn)
        ]
    )


def file_of(tmp: Path, header: str, lines: list[tuple[bool, str]], eol: str) -> str:
    path = tmp / "file.csv"
    text = eol.join([header, *(line for _, line in lines)]) + eol
    path.write_bytes(text.encode("utf-8"))
    return str(path)


@PROFILE
@given(mixed_lines(good_invoice), ENDINGS)
def test_no_invoice_is_lost_after_a_bad_line(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[bool, str]],
    eol: str,
) -> None:
    path = file_of(tmp_path_factory.mktemp("reg"), INVOICE_HEADER, lines, eol)
    report = InvoiceRegisterImporter().read_register(path, BOOKS)
    assert report.balanced
    assert all(1 < p.row <= len(lines) + 1 and p.message for p in report.problems)
    imported = {
        entry.meta["invoice"]: entry.meta["lineno"] for entry in report.invoices
    }
    for index, (is_good, _) in enumerate(lines):
        if is_good:
            assert imported[f"G{index}"] == index + 2  # the header is line 1


@PROFILE
@given(mixed_lines(good_bank_line), ENDINGS)
def test_no_bank_line_is_lost_after_a_bad_line(
    tmp_path_factory: pytest.TempPathFactory,
    lines: list[tuple[bool, str]],
    eol: str,
) -> None:
    path = file_of(tmp_path_factory.mktemp("bank"), BANK_HEADER, lines, eol)
    report = BankStatementImporter("Assets:Bank:Checking").read_statement(path)
    assert report.balanced
    assert all(1 < p.row <= len(lines) + 1 and p.message for p in report.problems)
    imported = {entry.narration: entry.meta["lineno"] for entry in report.transactions}
    for index, (is_good, _) in enumerate(lines):
        if is_good:
            assert imported[f"ref {index}"] == index + 2


@PROFILE
@given(st.binary(max_size=2000), ENDINGS)
def test_random_bytes_between_rows(
    tmp_path_factory: pytest.TempPathFactory, noise: bytes, eol: str
) -> None:
    tmp = tmp_path_factory.mktemp("noise")
    content = eol.join([INVOICE_HEADER, good_invoice(0)]).encode()
    content += eol.encode() + noise + eol.encode() + good_invoice(1).encode()
    path = tmp / "file.csv"
    path.write_bytes(content)
    report = InvoiceRegisterImporter().read_register(str(path), BOOKS)
    assert report.balanced
    assert all(p.row > 1 and p.message for p in report.problems)
    numbers = [entry.meta["invoice"] for entry in report.invoices]
    assert numbers[0] == "G0" and numbers[-1] == "G1"


def test_old_mac_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    lines = [INVOICE_HEADER, good_invoice(0), good_invoice(1), good_invoice(2)]
    path.write_bytes("\r".join(lines).encode())
    report = InvoiceRegisterImporter().read_register(str(path), BOOKS)
    assert [(e.meta["invoice"], e.meta["lineno"]) for e in report.invoices] == [
        ("G0", 2),
        ("G1", 3),
        ("G2", 4),
    ]


def test_an_unclosed_quote_costs_its_own_row(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    lines = [
        INVOICE_HEADER,
        good_invoice(0),
        '2018-01-10,B1,Roux,10.00,EUR,,"Atelier sans fin',
        good_invoice(2),
        good_invoice(3),
    ]
    path.write_bytes("\n".join(lines).encode())
    report = InvoiceRegisterImporter().read_register(str(path), BOOKS)
    assert [(e.meta["invoice"], e.narration) for e in report.invoices] == [
        ("G0", "ok"),
        ("G2", "ok"),
        ("G3", "ok"),
    ]
    ((row, message),) = [(p.row, p.message) for p in report.problems]
    assert row == 3
    assert "quoted field opened on this line is not closed" in message


def test_a_quoted_line_break_is_still_one_field(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    lines = [
        INVOICE_HEADER,
        '2018-01-10,M1,Roux,10.00,EUR,,"Atelier janvier',
        'suite, et fin"',
        good_invoice(3),
    ]
    path.write_bytes("\r\n".join(lines).encode())
    report = InvoiceRegisterImporter().read_register(str(path), BOOKS)
    assert [(e.narration, e.meta["lineno"]) for e in report.invoices] == [
        ("Atelier janvier\nsuite, et fin", 2),
        ("ok", 4),
    ]


def test_a_quote_never_closed_runs_a_hundred_lines_at_most() -> None:
    lines = [b"a,b", b'1,"open'] + [b"text"] * (MAX_RECORD_LINES + 5) + [b"2"]
    rows = list(csv_rows(io.BytesIO(b"\n".join(lines)), "utf-8", None))
    assert [(row.line, row.error is not None) for row in rows[:3]] == [
        (1, False),
        (2, True),  # lines 2 to 101: one record, not readable
        (MAX_RECORD_LINES + 2, False),  # from here on, each line its own record
    ]
    assert rows[-1].fields == ("2",) and rows[-1].line == len(lines)


def test_a_line_longer_than_the_limit_is_cut_and_reported() -> None:
    content = b"a,b\n" + b"x" * (MAX_LINE_BYTES + 10) + b"\n1,2\n"
    rows = list(csv_rows(io.BytesIO(content), "utf-8", None))
    assert [(row.line, row.fields, row.error is not None) for row in rows] == [
        (1, ("a", "b"), False),
        (2, (), True),
        (3, ("1", "2"), False),
    ]


def _stream_peak(tmp_path: Path, rows: int) -> int:
    path = tmp_path / f"bank-{rows}.csv"
    path.write_text(
        BANK_HEADER + "\n" + "\n".join(good_bank_line(i) for i in range(rows)) + "\n"
    )
    importer = BankStatementImporter("Assets:Bank:Checking")
    tracemalloc.start()
    for _ in importer.stream(str(path)):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_the_stream_holds_neither_the_file_nor_its_rows(tmp_path: Path) -> None:
    small, large = _stream_peak(tmp_path, 2_000), _stream_peak(tmp_path, 20_000)
    # Ten times the rows: the peak is the chunk and one record, not the file.
    assert large < 1.5 * small
