"""Dates and amounts as people write them in CSV files."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from decimal import Decimal

import pytest

from beancount_freelance.importers.columns import parse_amount, parse_date
from beancount_freelance.importers.reading import CsvRow, csv_rows


@pytest.mark.parametrize(
    ("text", "mark", "number"),
    [
        ("1 234,50", None, "1234.50"),
        ("1\u00a0234,50", None, "1234.50"),  # non-breaking space
        ("1.234,50", None, "1234.50"),
        ("1,234.50", None, "1234.50"),
        ("450,00 €", None, "450.00"),
        ("EUR 12.5", None, "12.5"),
        ("-450", None, "-450"),
        ("(450.00)", None, "-450.00"),
        ("450.00-", None, "-450.00"),
        ("1,5", None, "1.5"),
        ("1,234", None, "1234"),  # one separator and three digits: thousands
        ("1,234", ",", "1.234"),  # ...unless the decimal mark says otherwise
        ("1.234", ".", "1.234"),
        ("1.234.567,8", ",", "1234567.8"),
    ],
)
def test_amounts(text: str, mark: str | None, number: str) -> None:
    assert parse_amount(text, mark) == Decimal(number)


@pytest.mark.parametrize(
    "text", ["", "12,3x", "abc", "1,23,4", "1..2", "1,2.3", "12,34,567", "--1"]
)
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "dayfirst", "date"),
    [
        ("2018-01-05", False, "2018-01-05"),
        ("2018-01-05", True, "2018-01-05"),  # year first is always Y-M-D
        ("2018/1/5", True, "2018-01-05"),
        ("5 Jan 2018", False, "2018-01-05"),
        ("05/01/2018", True, "2018-01-05"),
        ("05/01/2018", False, "2018-05-01"),
    ],
)
def test_lenient_dates(text: str, dayfirst: bool, date: str) -> None:
    assert parse_date(text, None, dayfirst) == datetime.date.fromisoformat(date)


def test_a_format_makes_dates_strict() -> None:
    assert parse_date("05.01.2018", "%d.%m.%Y") == datetime.date(2018, 1, 5)
    with pytest.raises(ValueError, match="expected the format"):
        parse_date("2018-01-05", "%d.%m.%Y")


@pytest.mark.parametrize("text", ["", "soon", "2018-02-30", "2018-13-01", "Jan 2018"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


# --- Reading the records of a file ------------------------------------------------


@pytest.fixture
def small_fields() -> Iterator[None]:
    """Fields of at most 25 characters, so that a longer one is a reader error."""
    limit = csv.field_size_limit(25)
    yield
    csv.field_size_limit(limit)


def test_csv_rows_skip_blanks_and_comments_and_count_lines(small_fields: None) -> None:
    lines = [
        b"# exported 2024-01-31\n",  # line 1: a comment
        b"Date;Amount\n",  # line 2: the header
        b"\n",  # line 3: blank
        b'2024-01-05;"12\n',  # lines 4-5: one record over two lines
        b',50"\n',
        b"2024-01-06;" + b"9" * 30 + b"\n",  # line 6: a field too large
        b"2024-01-07;caf\xe9\n",  # line 7: not UTF-8
        b" ; \n",  # line 8: blank fields only
        b"2024-01-08;3\n",  # line 9
    ]
    file = io.BytesIO(b"".join(lines))
    rows = list(csv_rows(file, "utf-8", "#", delimiter=";"))
    assert rows[:2] == [
        CsvRow(2, ("Date", "Amount")),
        CsvRow(4, ("2024-01-05", "12\n,50")),
    ]
    assert rows[2].line == 6
    assert rows[2].fields == ()
    assert rows[2].error is not None and "field larger than field limit" in (
        rows[2].error
    )
    assert rows[3:] == [
        CsvRow(7, ("2024-01-07", "caf\ufffd"), undecodable=True),
        CsvRow(9, ("2024-01-08", "3")),
    ]
