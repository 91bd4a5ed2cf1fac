"""User values quoted in messages: on one line, cut short when long.

Every message that echoes what a user wrote (a config key or value, a client id,
an account, a payee, a regex, a directive's values) quotes it with `quoted`, or
shows it with `cut`. Either way the value stays on one line: a newline, a tab,
a NUL or any other control character, a line or paragraph separator and the
invisible format characters (the right-to-left marks U+200F, U+202E…, which
would turn the rest of the line around) are written as escapes (`\\n`, `\\t`,
`\\x00`, `\\u202e`), as `repr` writes them. And a 200 kB config key or a
5,000-character id gives a message of a line, which still says how long the
value was. A short value is quoted exactly as `repr` quotes it.
"""

from __future__ import annotations

import unicodedata

MAX_QUOTED_CHARS = 80
# What is kept of a long string: the start, enough to recognise it.
_KEPT_CHARS = 60
# Control, format (bidi marks), line and paragraph separators, surrogates,
# private use, unassigned: nothing a reader can see on one line.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quoted(value: object) -> str:
    """`repr(value)`, or for a long value its start, `…` and its length."""
    text = one_line(repr(value))
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    if isinstance(value, str):
        return f"{value[:_KEPT_CHARS]!r}… ({len(value):,} characters)"
    return cut(text)


def cut(text: str) -> str:
    """Text already quoted (or not to be quoted) on one line, cut to
    MAX_QUOTED_CHARS."""
    shown = one_line(text)
    if len(shown) <= MAX_QUOTED_CHARS:
        return shown
    kept = text[:_KEPT_CHARS]
    while len(one_line(kept)) > _KEPT_CHARS:  # escapes are longer than the text
        kept = kept[:-1]
    return f"{one_line(kept)}… ({len(text):,} characters)"


def one_line(text: str) -> str:
    """`text` with every character a reader cannot see on one line escaped."""
    if text.isprintable():  # the usual case, and quick
        return text
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    if char.isprintable() or unicodedata.category(char) not in _HIDDEN:
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
