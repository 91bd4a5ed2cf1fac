"""Messages of the core: English text that carries what a face needs to translate it.

The JSON document is English in every language, so the core never translates:
it builds each message with `message(N_("… {client!r} …"), client=…)` (or
`message_n` for a count), a `str` that is the English text and keeps its
template and values. A face (`beancount_freelance.i18n`) says it in the reader's
language. User values are quoted short by `message` itself: every message that
echoes what a user wrote (a config key or value, a client id, an account, a
payee, a regex) quotes it with `quoted`, so that a 200 kB config key or a
5,000-character id gives a message of a line, which still says how long the
value was (a short value is quoted exactly as `repr` quotes it). `closest` is
the one typo hint ("did you mean") of every face: the plugin and the CLI suggest
the same name for the same typo.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from beancount_freelance.core.ledger.book import FreelanceError

__all__ = [
    "MAX_QUOTED_CHARS",
    "N_",
    "Message",
    "Short",
    "Translations",
    "closest",
    "cut",
    "message",
    "message_n",
    "quoted",
    "short",
    "verbatim",
    "warning_text",
]

# --- User values, quoted short ---------------------------------------------------

MAX_QUOTED_CHARS = 80
# What is kept of a long string: the start, enough to recognise it.
_KEPT_CHARS = 60


def quoted(value: object) -> str:
    """`repr(value)` on one line, or for a long value its start, `…` and its
    length."""
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
    """`text` with every character a reader cannot see on one line escaped:
    control characters, line and paragraph separators, the invisible format
    characters (right-to-left marks U+200F, U+202E…), as `repr` writes them."""
    if text.isprintable():  # the usual case, and quick
        return text
    return "".join(_escaped(char) for char in text)


# Control, format (bidi marks), line and paragraph separators, surrogates,
# private use, unassigned: nothing a reader can see on one line.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escaped(char: str) -> str:
    if char.isprintable() or unicodedata.category(char) not in _HIDDEN:
        return char
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# --- The typo hint -----------------------------------------------------------------


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name equal to `name` but for case, else the closest by difflib."""
    names = list(known)
    lowered = name.lower()
    for candidate in names:
        if candidate.lower() == lowered:
            return candidate
    matches = difflib.get_close_matches(name, names, n=1)
    return matches[0] if matches else None


# --- Messages ----------------------------------------------------------------------


class Translations(Protocol):
    """A catalogue, as `gettext.NullTranslations` is one."""

    def gettext(self, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


def N_(text: str) -> str:
    """Mark `text` for the catalogue; translated later, where it is said."""
    return text


class Short(str):
    """A user's value in a message: `{x!r}` quotes it, `{x}` shows it, both cut short.

    A 5,000-character id or a 200 kB config key then gives a message of a line
    that still says how long the value was (`quoted`).
    """

    def __repr__(self) -> str:
        return quoted(str(self))

    def __format__(self, spec: str) -> str:
        return format(cut(str(self)), spec)


def short(value: Any) -> Any:
    """A string value as a `Short`; a `Message` or any other value as it is."""
    if isinstance(value, Message):
        return value
    return Short(value) if isinstance(value, str) else value


class Message(str):
    """An English message that knows its translation: `message(...)` makes one."""

    template: str
    values: Mapping[str, Any]
    #: (singular, plural, count) of a message made by `message_n`.
    forms: tuple[str, str, int] | None = None

    def translated(self, found: Translations) -> str:
        """The message in `found`, a catalogue (`i18n.translated` gives the one
        in use).

        A value that is itself a `Message` (a usage hint, a part said apart)
        is translated too.
        """
        values = {
            name: value.translated(found) if isinstance(value, Message) else value
            for name, value in self.values.items()
        }
        if self.forms is not None:
            return found.ngettext(*self.forms).format(**values)
        return found.gettext(self.template).format(**values)


def message(template: str, **values: Any) -> Message:
    """`template.format(**values)` in English, translatable later.

    Wrap the template in `N_` at the call, so that `pybabel extract` finds it:
    `message(N_("Unknown client {client!r}"), client=client_id)`.
    """
    shortened = {name: short(value) for name, value in values.items()}
    made = Message(template.format(**shortened))
    made.template = template
    made.values = shortened
    return made


def message_n(singular: str, plural: str, count: int, **values: Any) -> Message:
    """`message` with a count: the singular or plural form, `{count}` given.

    `pybabel extract` finds it by name (babel.cfg): write it as
    `message_n("{count} credit from {date}", "{count} credits from {date}", n,
    date=…)`.
    """
    made = message(singular if count == 1 else plural, count=count, **values)
    made.forms = (singular, plural, count)
    return made


def verbatim(text: str) -> Message:
    """A value said whole in a message (a ready config line), never cut short."""
    made = Message(text)
    made.template = "{text}"
    made.values = {"text": text}
    return made


def warning_text(warning: FreelanceError) -> str:
    """`file:line: message`, as bean-check prints an error (English; a face
    translates it with `i18n.translated`)."""
    source = warning.source or {}
    filename, lineno = source.get("filename"), source.get("lineno")
    if filename is None:
        return warning.message
    if isinstance(warning.message, Message):
        return message(
            N_("{where}: {message}"),
            where=verbatim(f"{filename}:{lineno}"),
            message=warning.message,
        )
    return f"{filename}:{lineno}: {warning.message}"
