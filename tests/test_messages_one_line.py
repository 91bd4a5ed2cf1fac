"""Every value a message echoes is shown on one line.

A directive's value may hold a newline, a tab, a NUL or a right-to-left mark
(U+202E turns the rest of a line around on screen, U+200F is invisible): a
message that echoes it escapes them (`\\n`, `\\t`, `\\x00`, `\\u202e`), as `repr`
does, so that the message stays one line that starts with its file:line. The
property runs over every message of the package's catalogue (each template of
`beancount_freelance.pot`, as the core builds it with `message`, in English and
in French) and over every template of docs/errors.md.
"""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st
from test_errors_catalogue import CATALOGUE, read_catalogue

from beancount_freelance.core.messages import (
    MAX_QUOTED_CHARS,
    cut,
    message,
    message_n,
    one_line,
    quoted,
)
from beancount_freelance.i18n import translations

REPO = Path(__file__).resolve().parent.parent
POT = REPO / "beancount_freelance" / "locale" / "beancount_freelance.pot"
FRENCH = translations(["fr"])
# What no line may hold: control and format characters, line separators.
HIDDEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def _templates() -> list[str | tuple[str, str]]:
    with POT.open("rb") as file:
        return [entry.id for entry in read_po(file) if entry.id]


TEMPLATES = _templates()
SINGULAR = [template for template in TEMPLATES if isinstance(template, str)]
PLURAL = [template for template in TEMPLATES if isinstance(template, tuple)]


def _fields(template: str) -> list[str]:
    return sorted(
        {name for _, name, _, _ in string.Formatter().parse(template) if name}
    )


def _documented() -> list[str]:
    """docs/errors.md's templates, each `<placeholder>` a `{field}`."""
    found = []
    for entry in read_catalogue(CATALOGUE.read_text(encoding="utf-8")):
        parts = entry.template.replace("{", "{{").replace("}", "}}")
        for number, placeholder in enumerate(sorted(set(_placeholders(parts)))):
            parts = parts.replace(placeholder, f"{{value{number}}}")
        found.append(parts)
    return found


def _placeholders(text: str) -> list[str]:
    return re.findall(r"<[A-Za-z][A-Za-z0-9 _-]*>", text)


DOCUMENTED = _documented()

HOSTILE = st.text(
    st.sampled_from(["\n", "\r", "\t", "\x00", "\u202e", "\u200f", "\u2028", "\x1b"])
    | st.characters(),
    max_size=120,
)


def is_one_line(text: str) -> bool:
    return not any(unicodedata.category(char) in HIDDEN for char in text)


def test_the_catalogue_is_read() -> None:
    assert len(SINGULAR) > 300
    assert PLURAL
    assert len(DOCUMENTED) > 100


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SINGULAR + DOCUMENTED), st.data())
def test_every_message_is_one_line(template: str, draw: st.DataObject) -> None:
    values = {name: draw.draw(HOSTILE, label=name) for name in _fields(template)}
    english = message(template, **values)
    assert is_one_line(english), english
    assert is_one_line(english.translated(FRENCH))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PLURAL), st.integers(0, 3), st.data())
def test_every_count_message_is_one_line(
    forms: tuple[str, str], count: int, draw: st.DataObject
) -> None:
    names = set(_fields(forms[0])) | set(_fields(forms[1]))
    values = {name: draw.draw(HOSTILE, label=name) for name in names - {"count"}}
    english = message_n(forms[0], forms[1], count, **values)
    assert is_one_line(english), english
    assert is_one_line(english.translated(FRENCH))


@settings(max_examples=300, deadline=None)
@given(HOSTILE)
def test_quoting_is_one_line_short_and_like_repr(value: str) -> None:
    for shown in (quoted(value), cut(value), one_line(value)):
        assert is_one_line(shown)
    assert len(quoted(value)) <= 2 * MAX_QUOTED_CHARS or "characters)" in quoted(value)
    assert len(cut(value)) <= MAX_QUOTED_CHARS + 30
    if value.isprintable():
        assert one_line(value) == value


def test_the_escapes_are_those_of_repr() -> None:
    assert cut("a\nb\tc\x00d\u202ee\u200ff") == "a\\nb\\tc\\x00d\\u202ee\\u200ff"
    assert quoted("Lef\u202eevre") == "'Lef\\u202eevre'"
    # Spaces, accents and other scripts stay as they are.
    assert cut("Cabinet Lefèvre\xa0& Fils 東京") == "Cabinet Lefèvre\xa0& Fils 東京"
    # A long value of escapes is cut after 60 characters of what is shown.
    assert cut("\u202e" * 100) == "\\u202e" * 10 + "… (100 characters)"


DIRECTIVES = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2016-01-01 open Assets:Bank EUR
2016-01-01 open Income:Clients:Lefevre EUR
2016-01-01 custom "client" "Lefevre" "Cabinet Lefèvre"
2016-01-05 * "Lefevre" "Retainer"
  Assets:Bank             400.00 EUR
  Income:Clients:Lefevre -400.00 EUR
2016-01-31 custom "client-lost" "Lef
evre\tx" "Moving
to an agency"
2016-02-01 custom "client" "Ab
cd\u202e" "x"
2016-02-01 custom "client" "Roux" "x
y" "z\u200fw"
2016-02-01 custom "proposal" "Ver
dier" 400.00 EUR "monthly"
2016-02-01 custom "proposal" "Verdier" 400.00 EUR "month
ly"
2016-02-01 custom "proposal" "Dupont" 400.00 EUR "monthly" 0.5 "x
y"
2016-02-02 custom "proposal-won" "Mer
cier"
2016-02-02 custom "proposal-declined" "Mer\tcier" "a
b"
"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_directives_with_newlines_give_messages_of_one_line(
    tmp_path: Path, language: str
) -> None:
    ledger = tmp_path / "ledger.beancount"
    ledger.write_text(DIRECTIVES, encoding="utf-8")
    _, errors, _ = loader.load_file(str(ledger))
    # One error per directive above, after the retainer: the loss, the two
    # clients, the three proposals and the two outcomes.
    assert len(errors) == 8, [error.message for error in errors]
    catalogue = FRENCH if language == "fr" else translations(["en"])
    for error in errors:
        said = error.message
        if hasattr(said, "translated"):
            said = said.translated(catalogue)
        assert is_one_line(said), said
