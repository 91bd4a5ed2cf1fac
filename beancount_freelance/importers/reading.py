"""CSV records read as a stream from a file's bytes, every line accounted for.

The file is read in chunks and split into lines at `\\n`, `\\r\\n` or a lone
`\\r` (old Mac exports), each line decoded alone (a bad byte costs its record,
not the rest), and the lines handed to `csv.reader` one record at a time; no
more than one chunk and one record are held at any time.

A quoted field may run over several lines (a description with a line break),
but a quote left open must not swallow the rows after it. The rule: when a
record is still inside a quoted field at the end of a line, it goes on to the
next line only if that line does not read as a row of its own (as many fields
as the header, before the header two or more, and where the importer says
how its rows start, such as a date that reads, that too), and for at most
`MAX_RECORD_LINES` lines. Otherwise the record ends there, is reported as
unreadable on the line it started on, and the next line starts a new record. A
line longer than `MAX_LINE_BYTES` is cut there and reported. docs/importing.md
states the rule for users.
"""

from __future__ import annotations

import csv
import logging
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount_freelance.importers.encodings import Readable, sniffed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

CHUNK_BYTES = 1 << 16
MAX_LINE_BYTES = 1 << 20
MAX_RECORD_LINES = 100
_EOL = re.compile(rb"\r\n|\r|\n")
_AFTER_FIRST_LINE = {"utf-8-sig": "utf-8"}
_UNCLOSED = {
    "row": "a quoted field opened on this line is not closed on it, and the next "
    "line reads as a row of its own (close the quote, or double a quote inside "
    'a quoted field: "")',
    "end": "a quoted field opened on this line is never closed (close the quote, "
    'or double a quote inside a quoted field: "")',
    "long": f"a quoted field opened on this line runs over {MAX_RECORD_LINES} "
    "lines without being closed (close the quote)",
}


class CsvRow(NamedTuple):
    """One record of a CSV file as the reader gave it (a tuple: one per row)."""

    line: int  # the line it starts on, as a person counts them
    fields: tuple[str, ...]
    error: str | None = None  # why the record cannot be read (it is not imported)
    undecodable: bool = False  # one of its lines is not in the file's encoding


def physical_lines(file: Readable) -> Iterator[tuple[bytes, bool]]:
    """The file's lines without their line ends, each with "was it cut short"."""
    pending = b""
    skipping = False  # the rest of a line cut short, up to its end
    while chunk := file.read(CHUNK_BYTES):
        text = pending + chunk
        carry = b""
        if text.endswith(b"\r"):  # perhaps the first half of a \r\n
            text, carry = text[:-1], b"\r"
        parts = _EOL.split(text)
        pending = parts.pop() + carry
        for part in parts:
            if skipping:
                skipping = False
                continue
            yield part, False
        if len(pending) > MAX_LINE_BYTES:
            if not skipping:
                yield pending[:MAX_LINE_BYTES], True
            pending, skipping = b"", True
    if pending and not skipping:
        for part in _EOL.split(pending):
            if part:
                yield part, False


class _Feed:
    """The lines `csv.reader` reads, ending a record where the rule says."""

    def __init__(
        self,
        file: Readable,
        encoding: str,
        options: dict[str, Any],
        starts_row: Callable[[Sequence[str], Sequence[str]], bool] | None,
    ) -> None:
        self._lines = physical_lines(file)
        self._encoding = encoding
        self._options = options
        self._peeked: tuple[str, bool, bool] | None = None
        self._starts_row = starts_row
        self.number = 0  # the last line handed out
        self.fields_wanted = 2  # what makes a line a row of its own
        self.header: tuple[str, ...] | None = None
        self.start()

    def start(self) -> None:
        """A new record begins with the next line."""
        self.first = self.number + 1
        self.taken = 0
        self.undecodable = False
        self.too_long = False
        self.cut: str | None = None  # why the record was ended early

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        try:
            text, undecodable, too_long = self._take()
        except StopIteration:
            if self.taken:  # inside a quoted field at the end of the file
                self.cut = "end"
            raise
        if self.taken:
            # csv asks for another line within a record: a quoted field is open.
            reason = self._reason_to_cut(text)
            if reason is not None:
                self._peeked = (text, undecodable, too_long)
                self.cut = reason
                raise StopIteration
        else:
            self.first = self.number + 1
        self.number += 1
        self.taken += 1
        self.undecodable = self.undecodable or undecodable
        self.too_long = self.too_long or too_long
        return text + "\n"

    def _take(self) -> tuple[str, bool, bool]:
        if self._peeked is not None:
            taken, self._peeked = self._peeked, None
            return taken
        raw, too_long = next(self._lines)
        encoding = self._encoding
        if self.number:
            # Only a file's first line starts with a byte order mark.
            encoding = _AFTER_FIRST_LINE.get(encoding, encoding)
        try:
            return raw.decode(encoding), False, too_long
        except UnicodeDecodeError:
            return raw.decode(encoding, errors="replace"), True, too_long

    def _reason_to_cut(self, text: str) -> str | None:
        if self.taken >= MAX_RECORD_LINES:
            return "long"
        try:
            alone = next(csv.reader([text], **self._options), [])
        except csv.Error:
            return None
        if len(alone) < self.fields_wanted:
            return None
        if self.header is None or self._starts_row is None:
            return "row"
        return "row" if self._starts_row(self.header, alone) else None


def csv_rows(
    file: Readable,
    encoding: str,
    comments: str | None,
    starts_row: Callable[[Sequence[str], Sequence[str]], bool] | None = None,
    **options: Any,
) -> Iterator[CsvRow]:
    """Every record that is neither blank nor a comment, the header included.

    A record that cannot be read (a huge field, a quote left open, a line cut
    short) comes back with its `error` and the reading goes on; a bad byte marks
    its record `undecodable`. `options` are `csv.reader`'s (dialect, delimiter).
    A file with a UTF-16 or UTF-32 byte order mark is read in that encoding
    (encodings.py); the header's empty names at its end (`;;;`) are left out,
    and Excel's `="0124"` cells read `0124`.

    starts_row(header, fields): whether a line starts a row of its own (its
    date reads, say). A line inside a quoted field that does not is part of
    that field, however many delimiters it holds; without it, any line with
    as many fields as the header starts a row.
    """
    file, encoding = sniffed(file, encoding)
    feed = _Feed(file, encoding, options, starts_row)
    reader = csv.reader(feed, **options)
    header_seen = False
    while True:
        feed.start()
        try:
            record = next(reader)
        except StopIteration:
            if not feed.taken:
                return
            record = []  # a record csv dropped at the end: still reported
        except csv.Error as exc:
            yield CsvRow(feed.first, (), error=str(exc))
            continue
        if feed.cut is not None:
            yield CsvRow(feed.first, (), error=_UNCLOSED[feed.cut])
            continue
        if feed.too_long:
            error = f"the line is longer than {MAX_LINE_BYTES} bytes"
            yield CsvRow(feed.first, (), error=error)
            continue
        if not "".join(record).strip():
            continue
        if comments and record[0].startswith(comments):
            continue
        fields = tuple(_excel_text(field) for field in record)
        if not header_seen:
            header_seen = True
            fields = _named(fields)
            feed.header = fields
            feed.fields_wanted = max(2, len(fields))
        yield CsvRow(feed.first, fields, undecodable=feed.undecodable)


def _named(header: tuple[str, ...]) -> tuple[str, ...]:
    """The header without the empty names at its end: `Date;Amount;;;`."""
    end = len(header)
    while end and not header[end - 1].strip():
        end -= 1
    return header[:end]


def _excel_text(field: str) -> str:
    """Excel's `="0124"` (a number kept as text, leading zero and all): `0124`."""
    text = field.strip()
    if len(text) >= 3 and text.startswith('="') and text.endswith('"'):
        return text[2:-1].replace('""', '"')
    return field


def header_problem(header: CsvRow | None, encoding: str) -> str | None:
    """Why a file's first record cannot be read as a header, if it cannot.

    Such a file is no importer's: each says so (said_unreadable), rather than
    pass it over without a word.
    """
    if header is None:
        return None
    if header.error is not None:
        return f"its first line cannot be read: {header.error}"
    if header.undecodable:
        return (
            f"it is not {encoding} text: save it as UTF-8 (or UTF-16 with a "
            "byte order mark)"
        )
    if any("\x00" in name for name in header.fields):
        return (
            "it holds NUL bytes, as UTF-16 without a byte order mark does: save "
            "it as UTF-8 (or UTF-16 with a byte order mark)"
        )
    return None


def said_unreadable(log: logging.Logger, filepath: str, problem: str) -> bool:
    """Log that the importer cannot tell whether a file is its own; False."""
    log.warning("%s: not imported: %s", filepath, problem)
    return False
