"""The encodings exports come in: UTF-8 with or without a BOM, UTF-16 and UTF-32
with one.

Excel's "Unicode text" and several banks write UTF-16 with a byte order mark;
its lines cannot be split at `\\n` bytes, nor decoded one by one as UTF-8. A file
that starts with a UTF-16 or UTF-32 byte order mark is read through
`Transcoded`, which turns it into UTF-8 a chunk at a time (never the whole
file), so that the reader (`reading.csv_rows`) goes on as for any UTF-8 file.
A byte sequence that is not in the file's encoding comes out as bytes that are
not UTF-8 either: its line is reported as not in the file's encoding, as a bad
byte of a UTF-8 file is.
"""

from __future__ import annotations

import codecs
from typing import Protocol

__all__ = ["Readable", "Transcoded", "sniffed"]


class Readable(Protocol):
    """What the reader needs of a file: its bytes, a chunk at a time."""

    def read(self, size: int = -1, /) -> bytes: ...


# Longest first: a UTF-32 mark (little-endian) starts as a UTF-16 one does.
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ERRORS = "beancount_freelance.not-in-encoding"


def _not_in_encoding(exc: UnicodeError) -> tuple[str, int]:
    """A lone surrogate: written with `surrogatepass`, bytes no UTF-8 reads."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "\udcff", exc.end


codecs.register_error(_ERRORS, _not_in_encoding)


class _Prefixed:
    """The bytes already read from a file, then the rest of it."""

    def __init__(self, head: bytes, file: Readable) -> None:
        self._head = head
        self._file = file

    def read(self, size: int = -1, /) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            return head
        return self._file.read(size)


class Transcoded:
    """A file in `encoding`, read as UTF-8 bytes, a chunk at a time."""

    def __init__(self, file: Readable, encoding: str) -> None:
        self._file = file
        self._decoder = codecs.getincrementaldecoder(encoding)(errors=_ERRORS)

    def read(self, size: int = -1, /) -> bytes:
        while True:
            chunk = self._file.read(size)
            text = self._decoder.decode(chunk, final=not chunk)
            if text or not chunk:
                return text.encode("utf-8", errors="surrogatepass")


def sniffed(file: Readable, encoding: str) -> tuple[Readable, str]:
    """The file to read and its encoding: UTF-8 for a UTF-16 or UTF-32 one."""
    head = file.read(4)
    for mark, marked in _MARKS:
        if head.startswith(mark):
            rest = _Prefixed(head[len(mark) :], file)
            return Transcoded(rest, marked), "utf-8"
    return _Prefixed(head, file), encoding
