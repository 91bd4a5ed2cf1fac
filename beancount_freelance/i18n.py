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
from typing import TYPE_CHECKING

from beancount_freelance.core.messages import Message

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

__all__ = [
    "DOMAIN",
    "LOCALE_DIR",
    "active",
    "environment_languages",
    "ngettext",
    "translated",
    "translations",
    "using",
]

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


def translated(text: str) -> str:
    """A `Message` in the language in use; any other string as it is."""
    return text.translated(active()) if isinstance(text, Message) else text
