"""The package's words in the reader's language: one catalogue for every face.

English is the source text; the translations live in
`beancount_freelance/locale/<lang>/LC_MESSAGES/beancount_freelance.po`, compiled
to the `.mo` next to it (docs/translations.md). Code wraps a sentence in `_`,
a sentence with a count in `ngettext`, and gets it in the language in use:

- the CLI chooses it for the command (`--lang`, else the locale variables);
- the Fava page renders inside `using(...)` with the translations Flask-Babel
  chose for the request (Fava's `language` option, else `Accept-Language`);
- anything else, the plugin inside `bean-check` or Fava, follows the locale
  variables of the process.

Messages that also go into the JSON document (which is English in every
language) are built with `message`: a string that is the English text and can
give its translation, so that the plugin translates what it reports and the
document keeps the English.
"""

from __future__ import annotations

import gettext
import os
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.quoting import cut, quoted

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

DOMAIN = "beancount_freelance"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The locale variables, in the order gettext reads them.
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_current: ContextVar[gettext.NullTranslations | None] = ContextVar(
    "beancount_freelance_translations", default=None
)


@lru_cache(maxsize=32)
def _catalogue(languages: tuple[str, ...]) -> gettext.NullTranslations:
    return gettext.translation(
        DOMAIN, str(LOCALE_DIR), languages=list(languages), fallback=True
    )


def translations(languages: Iterable[str]) -> gettext.NullTranslations:
    """The catalogue for the first of `languages` we have; English otherwise."""
    return _catalogue(tuple(language for language in languages if language))


def environment_languages(environ: Mapping[str, str] | None = None) -> list[str]:
    """The languages the locale variables ask for, as gettext reads them.

    The first variable set wins; `LANGUAGE` may list several, colon-separated.
    """
    environ = os.environ if environ is None else environ
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable)
        if value:
            return value.split(":") if variable == "LANGUAGE" else [value]
    return []


@contextmanager
def using(found: gettext.NullTranslations) -> Iterator[None]:
    """Speak `found` inside the block (a page rendering, a CLI command)."""
    token = _current.set(found)
    try:
        yield
    finally:
        _current.reset(token)


def active() -> gettext.NullTranslations:
    """The translations in use: chosen by a face, else the process locale's."""
    chosen = _current.get()
    return chosen if chosen is not None else translations(environment_languages())


def _(text: str) -> str:
    """`text` in the language in use."""
    return active().gettext(text)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a sentence with a count, in the language in use."""
    return active().ngettext(singular, plural, count)


def N_(text: str) -> str:
    """Mark `text` for the catalogue; translated later, where it is said."""
    return text


class Short(str):
    """A user's value in a message: `{x!r}` quotes it, `{x}` shows it, both cut short.

    A 5,000-character id or a 200 kB config key then gives a message of a line
    that still says how long the value was (core/quoting.py).
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

    def translated(self, found: gettext.NullTranslations | None = None) -> str:
        """The message in `found` (default: the language in use).

        A value that is itself a `Message` (a usage hint, a part said apart)
        is translated too.
        """
        found = found or active()
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


def translated(text: str) -> str:
    """A `Message` in the language in use; any other string as it is."""
    return text.translated() if isinstance(text, Message) else text
