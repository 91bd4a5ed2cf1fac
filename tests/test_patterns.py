"""A user's regex never hangs anything; it matches what Python's `re` would.

Every regex from the books goes through `core.patterns.compile_pattern` (RE2,
linear time). `(a+)+$` against forty `a`s and a `!` backtracks 2**40 times in
Python's `re`: each face is run on it in a subprocess with a timeout.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.core.ledger.config import ConfigError, parse_config
from beancount_freelance.core.ledger.patterns import (
    InvalidPattern,
    UnsupportedPattern,
    compile_pattern,
    searcher,
)

HOSTILE_PAYEE = "a" * 40 + "!"
# Finishing in this long, loading included, is finishing: Python's `re` would
# take hours on any of these.
FINISHES_WITHIN = 60.0

HOSTILE_LEDGER = f"""
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin" "{{'require_client': '^Income:(A|a+)+$'}}"
2014-09-01 custom "fava-extension" "beancount_freelance.fava_extension"

2014-01-01 open Assets:Bank
2014-01-01 open Income:Freelance
2014-01-01 open Income:A{"a" * 40}1
2014-01-01 custom "client" "Hostile" "A payee regex that backtracks"
  payee: "(a+)+$"
2014-01-01 custom "client" "Plain"

2014-02-01 * "{HOSTILE_PAYEE}" "paid on the shared account"
  Income:Freelance  -100.00 EUR
  Assets:Bank

2014-03-01 * "Plain" "an account the require_client regex backtracks on"
  client: "Plain"
  Income:A{"a" * 40}1  -50.00 EUR
  Assets:Bank
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.beancount"
    path.write_text(HOSTILE_LEDGER, encoding="utf-8")
    return path


def finished(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=FINISHES_WITHIN
    )
    assert time.monotonic() - started < FINISHES_WITHIN
    return result


def test_bean_check_finishes(hostile: Path, command: Callable[[str], str]) -> None:
    result = finished([command("bean-check"), "-C", str(hostile)], hostile.parent)
    assert result.returncode == 0, result.stderr


def test_bean_clients_finishes(hostile: Path, command: Callable[[str], str]) -> None:
    result = finished([command("bean-clients"), "report", str(hostile)], hostile.parent)
    assert result.returncode == 0, result.stderr
    assert "Plain" in result.stdout


IMPORT_HOOK = """
import datetime, sys
from decimal import Decimal
from beancount import loader
from beancount.core import data
from beancount.core.amount import Amount
from beancount_freelance.importers import UNATTRIBUTED_KEY, assign_clients

existing, _, _ = loader.load_file(sys.argv[1])
posting = data.Posting(
    "Assets:Bank", Amount(Decimal("100.00"), "EUR"), None, None, None, None
)
new = data.Transaction(
    data.new_metadata("bank.csv", 2), datetime.date(2014, 4, 1), "*",
    sys.argv[2], "transfer", data.EMPTY_SET, data.EMPTY_SET, [posting],
)
((_, entries, _, _),) = assign_clients([("bank.csv", [new], "Assets:Bank", None)],
                                       existing)
print(entries[0].meta.get(UNATTRIBUTED_KEY, "attributed"))
"""


def test_the_import_hook_finishes(hostile: Path) -> None:
    script = [sys.executable, "-c", IMPORT_HOOK, str(hostile), HOSTILE_PAYEE]
    result = finished(script, hostile.parent)
    assert result.returncode == 0, result.stderr
    assert "no client for 'aaaa" in result.stdout


FAVA_PAGE = """
import sys
from fava.application import create_app
client = create_app([sys.argv[1]], load=True).test_client()
print(client.get(f"/{sys.argv[2]}/extension/FreelanceClients/").status_code)
"""


def test_the_clients_page_finishes(hostile: Path) -> None:
    script = [sys.executable, "-c", FAVA_PAGE, str(hostile), "beancount"]
    result = finished(script, hostile.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200"


# --- What the regexes match -------------------------------------------------


def test_payee_matching_ignores_case_beyond_ascii() -> None:
    pattern = compile_pattern("lefèvre|cabinet lef", "payee", ignore_case=True)
    assert pattern.search("CABINET LEFÈVRE AVOCATS")
    assert pattern.search("M. LEFÈVRE")
    assert not pattern.search("LEFEBVRE")


_PIECES = st.sampled_from(
    ["a", "b", "é", "É", "^", "$", ".", "a+", "b*", "(a|b)", "[ab]", r"\w", r"\d", " "]
)
_REGEXES = st.lists(_PIECES, min_size=1, max_size=5).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    regexes=st.lists(_REGEXES, max_size=6),
    text=st.text(alphabet="abéÉ 1A", max_size=8),
    ignore_case=st.booleans(),
)
def test_one_search_of_all_patterns_finds_what_each_finds(
    regexes: list[str], text: str, ignore_case: bool
) -> None:
    """The payees are matched against every client's regex in one RE2 set: it
    finds the same patterns as searching them one by one, in the same order."""
    patterns = [compile_pattern(r, "x", ignore_case=ignore_case) for r in regexes]
    expected = [i for i, pattern in enumerate(patterns) if pattern.search(text)]
    assert searcher(patterns)(text) == expected
    # Python's own patterns have no RE2 options: searched one by one, alike.
    flags = re.IGNORECASE if ignore_case else 0
    plain = [re.compile(r, flags) for r in regexes]
    assert searcher(plain)(text) == [i for i, p in enumerate(plain) if p.search(text)]


def test_word_and_digit_classes_are_unicode_as_in_python() -> None:
    client = compile_pattern(r"^Income:Clients:(?P<client>\w+)$", "income")
    match = client.search("Income:Clients:Société")
    assert match is not None and match.group("client") == "Société"
    assert compile_pattern(r"[\w-]+\Z", "x").fullmatch("Café-Crème")
    assert compile_pattern(r"^\d+$", "x").search("٣٤")  # Arabic-Indic digits
    assert not compile_pattern(r"^\W$", "x").search("é")
    assert compile_pattern(r"\u00e9", "x").search("é")
    assert compile_pattern(r"[^]a]", "x").search("b")
    assert not compile_pattern(r"[]a]", "x").search("b")


REFUSED = {
    r"(a)\1": "a backreference",
    r"(?P<x>a)(?P=x)": "a backreference",
    r"Income:(?!Interest)": "a negative lookahead",
    r"Income(?=:)": "a lookahead",
    r"(?<=Income:)Clients": "a lookbehind",
    r"(?<!Assets:)Clients": "a negative lookbehind",
    r"(?>a+)b": "an atomic group",
    r"a++": "a possessive quantifier",
    r"(a)?(?(1)b|c)": "a conditional group",
}


@pytest.mark.parametrize(("regex", "construct"), REFUSED.items())
def test_constructs_without_linear_time_are_refused_by_name(
    regex: str, construct: str
) -> None:
    with pytest.raises(UnsupportedPattern) as raised:
        compile_pattern(regex, "beancount_freelance config 'income'")
    assert str(raised.value).startswith(
        f"beancount_freelance config 'income' uses {construct} ("
    )
    assert "linear time" in str(raised.value)


def test_a_refused_config_regex_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config("{'income': '^Income:(?!Interest)'}")
    assert str(raised.value) == (
        "beancount_freelance config 'income' uses a negative lookahead ('(?!'), "
        "which the package does not run: it matches every regex in linear time; "
        "match what you want rather than exclude"
    )


def test_a_refused_payee_regex_is_an_error_at_its_declaration() -> None:
    _, errors, _ = loader.load_string(
        textwrap.dedent("""
        plugin "beancount_freelance.plugin"
        2014-01-01 custom "client" "Lefevre"
          payee: "^(LEF)\\\\1"
        """)
    )
    (error,) = errors
    assert error.source["lineno"] == 3
    assert error.message.startswith(
        "The payee regex of client 'Lefevre' uses a backreference ('\\\\1')"
    )


def test_an_invalid_regex_keeps_pythons_explanation() -> None:
    with pytest.raises(InvalidPattern) as raised:
        compile_pattern("LEF(", "payee")
    assert str(raised.value) == (
        "payee is not a valid regex: missing ), unterminated subpattern at position 3"
    )


# Regexes built from pieces whose meaning both dialects share once translated;
# texts from the characters those pieces are about.
ATOMS = ["a", "b", "é", "É", "1", "٣", "_", "-", ".", r"\w", r"\W", r"\d", r"\D"]
ATOMS += [r"\s", "[ab]", "[^a]", r"[\w-]", r"[é\d]", r"\.", r"\-", r"\u00e9"]
TEXT = st.text(alphabet="abéÉ1٣_-. :", max_size=12)


@st.composite
def regexes(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 5))):
        piece = draw(st.sampled_from(ATOMS))
        if draw(st.booleans()):
            piece = f"(?:{piece}|{draw(st.sampled_from(ATOMS))})"
        pieces.append(piece + draw(st.sampled_from(["", "*", "+", "?", "{1,2}"])))
    anchors = draw(st.sampled_from([("", ""), ("^", ""), ("", "$"), ("^", r"\Z")]))
    return anchors[0] + "".join(pieces) + anchors[1]


@settings(max_examples=300, deadline=None)
@given(regexes(), TEXT, st.booleans())
def test_matches_what_pythons_re_matches(regex: str, text: str, fold: bool) -> None:
    ours = compile_pattern(regex, "x", ignore_case=fold).search(text)
    theirs = re.compile(regex, re.IGNORECASE if fold else 0).search(text)
    assert (ours is None) == (theirs is None)
    if ours is not None and theirs is not None:
        assert ours.span() == theirs.span()


def test_patterns_an_re2_set_refuses_are_searched_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A set RE2 cannot build (too big, say) falls back to one search each."""
    import re2

    def refuse(self: object, pattern: str) -> int:
        raise re2.error("set too big")

    monkeypatch.setattr(re2.Set, "Add", refuse)
    patterns = [compile_pattern(r, "x", ignore_case=True) for r in ("acme", "^b")]
    assert searcher(patterns)("ACME Bank") == [0]
    assert searcher(patterns)("bacme") == [0, 1]
