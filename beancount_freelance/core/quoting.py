"""User values quoted in messages, cut short so that a huge one stays readable.

Every message that echoes what a user wrote (a config key or value, a client id,
an account, a payee, a regex) quotes it with `quoted`: a 200 kB config key or a
5,000-character id then gives a message of a line, which still says how long the
value was. A short value is quoted exactly as `repr` quotes it.
"""

from __future__ import annotations

MAX_QUOTED_CHARS = 80
# What is kept of a long string: the start, enough to recognise it.
_KEPT_CHARS = 60


def quoted(value: object) -> str:
    """`repr(value)`, or for a long value its start, `…` and its length."""
    text = repr(value)
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    if isinstance(value, str):
        return f"{value[:_KEPT_CHARS]!r}… ({len(value):,} characters)"
    return cut(text)


def cut(text: str) -> str:
    """Text already quoted (or not to be quoted), cut to MAX_QUOTED_CHARS."""
    if len(text) <= MAX_QUOTED_CHARS:
        return text
    return f"{text[:_KEPT_CHARS]}… ({len(text):,} characters)"
