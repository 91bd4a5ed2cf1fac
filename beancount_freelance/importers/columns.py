"""CSV columns that read dates and amounts the way people write them.

Two `beangulp.importers.csvbase.Column` descriptors: `LenientDate` parses with a
`strptime` format when one is given and with dateutil otherwise (refusing dates
with a missing day, month or year rather than filling them from today), and
`LocaleAmount` reads "1 234,50", "1.234,50", "1,234.50", "-450", "(450.00)" and
"450,00 €". Both raise ValueError with a message fit for the user. And header
names that match whatever their case, and the flagged entries that show each
row not imported (`reading` reads the records themselves).
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from beancount.core import data, flags
from beangulp.importers import csvbase
from dateutil import parser as date_parser

from beancount_freelance.core.messages import quoted

if TYPE_CHECKING:
    from collections.abc import Iterable

DecimalMark = str  # "." or ","
ERROR_KEY = "freelance_import_error"

_GROUPING_SPACES = " \u00a0\u202f'’"
# The longest amount text read: "-1 234 567 890 123,45 EUR" is 25 characters.
MAX_AMOUNT_CHARS = 100
_CURRENCY_SIGNS = re.compile(r"^(?:[€$£¥]|[A-Z]{3})\s*|\s*(?:[€$£¥]|[A-Z]{3})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DIGITS = re.compile(r"^\d+(\.\d+)?$")
_FAR_APART = (datetime.datetime(2001, 1, 1), datetime.datetime(2002, 2, 2))
# The amounts most files hold: digits, perhaps grouped by spaces, one or two
# decimals. Read without the general parser's steps.
_PLAIN_AMOUNT = re.compile(
    r"^(-?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:([.,])(\d{1,2}))?$"
)
# A statement repeats its dates: each distinct text is parsed once.
_DATES_KEPT = 4096


@functools.lru_cache(maxsize=_DATES_KEPT)
def parse_date(
    text: str, date_format: str | None = None, dayfirst: bool = False
) -> datetime.date:
    """A date from a CSV field: strict with a format, lenient without one."""
    value = text.strip()
    if not value:
        raise ValueError("empty date")
    if date_format:
        try:
            return datetime.datetime.strptime(value, date_format).date()
        except ValueError:
            raise ValueError(
                f"bad date {quoted(value)} (expected the format {quoted(date_format)})"
            ) from None
    year_first = _YEAR_FIRST.match(value)
    if year_first:
        # dateutil reads 2018-01-05 as 1 May with dayfirst; year-first is Y-M-D.
        try:
            return datetime.date(*(int(part) for part in year_first.groups()))
        except ValueError:
            raise ValueError(f"bad date {quoted(value)}") from None
    try:
        # Parsed twice with two defaults: a date that needs a default is incomplete.
        first, second = (
            date_parser.parse(value, dayfirst=dayfirst, default=default)
            for default in _FAR_APART
        )
    except (ValueError, OverflowError):
        raise ValueError(f"bad date {quoted(value)}") from None
    if first.date() != second.date():
        raise ValueError(f"bad date {quoted(value)} (day, month or year missing)")
    return first.date()


def parse_amount(text: str, decimal_mark: DecimalMark | None = None) -> Decimal:
    """A Decimal from an amount written with grouping and a decimal point or comma.

    With `decimal_mark` None, the last of `,` and `.` is the decimal mark unless it
    is followed by exactly three digits and is the only one of its kind (then it
    groups thousands: "1,234" is 1234); give `decimal_mark` to be explicit.
    """
    value = text.strip()
    plain = _PLAIN_AMOUNT.match(value)
    if plain is not None and (plain[3] is None or decimal_mark in (None, plain[3])):
        sign, integral, _, fraction = plain.groups()
        digits = integral.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        return Decimal(f"{sign}{digits}.{fraction}" if fraction else sign + digits)
    if not value:
        raise ValueError("empty amount")
    if len(value) > MAX_AMOUNT_CHARS:
        # No amount is this long, and _CURRENCY_SIGNS takes quadratic time on
        # a long run of spaces.
        raise ValueError(f"bad amount {quoted(value)}")
    body, negative = _unsigned(_CURRENCY_SIGNS.sub("", value).strip())
    for space in _GROUPING_SPACES:
        body = body.replace(space, "")
    mark = decimal_mark if decimal_mark is not None else _guess_mark(body)
    if mark not in (",", ".", ""):
        raise ValueError(f"decimal mark must be ',' or '.', not {quoted(mark)}")
    grouping = {",": ".", ".": ",", "": ",."}[mark]
    integral, _, fraction = (
        body.rpartition(mark) if mark and mark in body else (body, "", "")
    )
    if not _grouped_well(integral, grouping) or any(c in fraction for c in ",."):
        raise ValueError(f"bad amount {quoted(value)}")
    digits = integral.translate({ord(c): None for c in grouping})
    digits = f"{digits}.{fraction}" if fraction else digits
    if not _DIGITS.match(digits):
        raise ValueError(f"bad amount {quoted(value)}")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"bad amount {quoted(value)}") from None
    return -number if negative else number


def _unsigned(body: str) -> tuple[str, bool]:
    if body.startswith("(") and body.endswith(")"):
        return body[1:-1].strip(), True
    if body[:1] in "-−":
        return body[1:].strip(), True
    if body.endswith("-"):
        return body[:-1].strip(), True
    if body.startswith("+"):
        return body[1:].strip(), False
    return body, False


def _guess_mark(body: str) -> DecimalMark:
    last = max(body.rfind(","), body.rfind("."))
    if last < 0:
        return ""
    mark = body[last]
    other = "." if mark == "," else ","
    after = body[last + 1 :]
    if other not in body and body.count(mark) == 1 and len(after) == 3:
        return ""
    if other not in body and body.count(mark) > 1:
        return ""
    return mark


def _grouped_well(integral: str, grouping: str) -> bool:
    """Grouping separators, if any, split the digits into groups of three."""
    groups = re.split("[" + re.escape(grouping) + "]", integral)
    if len(groups) == 1:
        return True
    return bool(groups[0]) and all(len(group) == 3 for group in groups[1:])


def column_key(name: str) -> str:
    """Header names match whatever their case and surrounding spaces."""
    return name.strip().casefold()


class LenientDate(csvbase.Column):  # type: ignore[misc]  # beangulp is untyped
    """A date column: `strptime` with a format, dateutil without one."""

    def __init__(
        self, name: str, date_format: str | None = None, dayfirst: bool = False
    ) -> None:
        super().__init__(name)
        self.date_format = date_format
        self.dayfirst = dayfirst

    def parse(self, value: str) -> datetime.date:
        return parse_date(value, self.date_format, self.dayfirst)


class LocaleAmount(csvbase.Column):  # type: ignore[misc]  # beangulp is untyped
    """An amount column with decimal commas or points and grouped thousands."""

    def __init__(self, name: str, decimal_mark: DecimalMark | None = None) -> None:
        super().__init__(name)
        self.decimal_mark = decimal_mark

    def parse(self, value: str) -> Decimal:
        return parse_amount(value, self.decimal_mark)


# --- Rows that were not imported ------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """A row that was not imported, and why."""

    row: int
    message: str
    date: datetime.date | None = None


def problem_markers(
    filename: str, problems: Iterable[RowProblem], first: datetime.date | None
) -> list[data.Transaction]:
    """One flagged, posting-less transaction per problem, dated near its row.

    A problem without a date of its own takes `first` (the first imported
    entry's date), else the file's modification date.
    """
    fallback = first if first is not None else _file_date(filename)
    base = os.path.basename(filename)
    return [
        data.Transaction(
            data.new_metadata(filename, problem.row, {ERROR_KEY: problem.message}),
            problem.date or fallback,
            flags.FLAG_WARNING,
            None,
            f"NOT IMPORTED: {base} row {problem.row}: {problem.message}",
            data.EMPTY_SET,
            data.EMPTY_SET,
            [],
        )
        for problem in problems
    ]


def _file_date(filename: str) -> datetime.date:
    try:
        return datetime.date.fromtimestamp(os.path.getmtime(filename))
    except (OSError, ValueError, OverflowError):
        return datetime.date.today()
