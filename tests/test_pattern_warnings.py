"""No Python warning reaches a user: a regex Python warns about is a message.

Python's `re` warns (FutureWarning "Possible nested set", "Possible set
difference"…) about a regex it will read differently in a later version:
`[[:alpha:]]` is a class of letters to RE2 and to POSIX tools, but to Python a
set of `[`, `:` and letters followed by a `]`. The package refuses such a regex
with a message at the declaration's line (or the plugin line for a setting),
and Python's warning is never printed. The tests run with warnings turned into
errors, so that any warning left would fail them.
"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from beancount import loader

from beancount_freelance.core.ledger.patterns import (
    AmbiguousPattern,
    compile_pattern,
)

pytestmark = pytest.mark.filterwarnings("error")

CORPUS = Path(__file__).resolve().parent / "data" / "errors"
WHAT = "is read one way by Python today and another way later"


@pytest.mark.parametrize(
    ("regex", "reason"),
    [
        ("[[:alpha:]]", "Possible nested set at position 1"),
        ("^Income:[a--z]", "Possible set difference at position 10"),
        ("[a&&b]", "Possible set intersection at position 2"),
        ("[a~~b]", "Possible set symmetric difference at position 2"),
        ("[a||b]", "Possible set union at position 2"),
    ],
)
def test_a_regex_python_warns_about_is_refused_by_name(regex: str, reason: str) -> None:
    for ignore_case in (False, True):
        with pytest.raises(AmbiguousPattern) as raised:
            compile_pattern(regex, "The payee regex of 'X'", ignore_case=ignore_case)
        assert raised.value.reason == reason
        assert str(raised.value).startswith(f"The payee regex of 'X' {WHAT}")


def test_the_escaped_regexes_are_accepted_quietly() -> None:
    letters = compile_pattern(r"^\w+ SARL$", "payee", ignore_case=True)
    assert letters.search("Lefèvre SARL")
    assert not letters.search("L-3 SARL")
    assert compile_pattern(r"[\[:a]", "payee").search("[")
    assert compile_pattern(r"[a\-\-z]", "payee").search("-")


def test_refused_even_after_python_compiled_it_elsewhere() -> None:
    # Python's own cache of compiled regexes would skip the parse, and its
    # warning with it: the package's check parses the regex itself.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        re.compile("[[:digit:]]")
    with pytest.raises(AmbiguousPattern):
        compile_pattern("[[:digit:]]", "payee")


def test_the_declarations_and_the_setting_say_it_at_their_lines() -> None:
    _, errors, _ = loader.load_file(str(CORPUS / "payee-nested-set.beancount"))
    said = sorted((error.source["lineno"], str(error.message)) for error in errors)
    assert [line for line, _ in said] == [10, 12]
    assert all(WHAT in text for _, text in said)
    assert "client 'Alpha'" in said[0][1] and "nested set" in said[0][1]
    _, errors, _ = loader.load_file(str(CORPUS / "config-regex-nested-set.beancount"))
    assert [(error.source["lineno"], WHAT in error.message) for error in errors] == [
        (5, True)
    ]


@pytest.mark.parametrize("name", ["payee-nested-set", "config-regex-nested-set"])
def test_bean_check_prints_no_python_warning(name: str) -> None:
    ledger = CORPUS / f"{name}.beancount"
    # Python's default shows a FutureWarning once per place: "always" shows all.
    check = [sys.executable, "-W", "always", "-m", "beancount.scripts.check", "-C"]
    result = subprocess.run(
        [*check, str(ledger)], capture_output=True, text=True, timeout=120
    )
    assert "Warning" not in result.stderr + result.stdout
    assert WHAT in result.stderr + result.stdout
