"""The regexes a user writes, run by an engine whose time is linear in the text.

Every regex that comes from the books (a client's `payee:`, the config's
`income`, `require_client`, `receivables`, and any regex key added later) is
compiled by `compile_pattern`, never by `re.compile`. Python's `re` backtracks:
`(a+)+$` against forty `a`s and a `!` would run for longer than the universe has
existed, inside bean-check, bean-clients, Fava and the importers alike. RE2 (the
`google-re2` package) matches in time linear in the text for every regex it
accepts; what it cannot do so (backreferences, lookaround, possessive and atomic
groups) it refuses, and so does this module, with a message naming the construct.
`docs/reliability.md` says why this engine, and what differs from Python's `re`.

A regex is first checked with Python's `re` (which only parses it: no match is
run), so that a plain mistake gets Python's familiar explanation; it is then
translated where the two dialects read the same text differently (`\\w` and `\\d`
are Unicode in Python, ASCII in RE2; Python's `\\Z` is RE2's `\\z`).
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import TYPE_CHECKING, Any, Protocol

import re2

from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence


class Match(Protocol):
    """What a successful search gives: the same methods as `re.Match`."""

    def group(self, *groups: int | str) -> Any: ...
    def groupdict(self) -> dict[str, str | None]: ...
    def span(self, group: int | str = 0) -> tuple[int, int]: ...


class Pattern(Protocol):
    """A compiled regex: the methods of `re.Pattern` the package uses."""

    @property
    def pattern(self) -> str: ...
    @property
    def groupindex(self) -> Mapping[str, int]: ...
    def search(self, text: str) -> Match | None: ...
    def match(self, text: str) -> Match | None: ...
    def fullmatch(self, text: str) -> Match | None: ...


class PatternError(ValueError):
    """A regex the package will not run. `reason` says why; the message, where."""

    def __init__(self, said: str, reason: str) -> None:
        super().__init__(said)
        #: The message as made (a `core.messages.Message`); str(exc) is English.
        self.message = said
        self.reason = reason


class InvalidPattern(PatternError):
    """Not a regex at all: Python's `re` does not parse it."""


class AmbiguousPattern(PatternError):
    """A regex Python warns it will read differently later: `[[:alpha:]]`."""


class UnsupportedPattern(PatternError):
    """A regex with a construct that no linear-time engine can run."""


# RE2's error text names the construct after a colon: what it is, and the fix
# (message templates: a literal brace is doubled).
_CONSTRUCTS = (
    ("(?=", N_("a lookahead"), N_("match the text itself, not what follows it")),
    ("(?!", N_("a negative lookahead"), N_("match what you want rather than exclude")),
    ("(?<=", N_("a lookbehind"), N_("match the text itself, not what precedes it")),
    (
        "(?<!",
        N_("a negative lookbehind"),
        N_("match what you want rather than exclude"),
    ),
    ("(?P", N_("a backreference"), N_("write the repeated text out")),
    ("(?>", N_("an atomic group"), N_("write it as a plain group `(?:...)`")),
    ("(?(", N_("a conditional group"), N_("write the alternatives out with `|`")),
    ("++", N_("a possessive quantifier"), N_("drop the second `+`, `*` or `?`")),
    ("*+", N_("a possessive quantifier"), N_("drop the second `+`, `*` or `?`")),
    ("?+", N_("a possessive quantifier"), N_("drop the second `+`, `*` or `?`")),
    ("}+", N_("a possessive quantifier"), N_("drop the `+` after `}}`")),
)
_NO_OPTIONS = re2.Options()
_NO_OPTIONS.log_errors = False  # RE2 would also print each refusal to stderr
_CASE_INSENSITIVE = re2.Options()
_CASE_INSENSITIVE.log_errors = False
_CASE_INSENSITIVE.case_sensitive = False


def compile_pattern(text: str, where: str, *, ignore_case: bool = False) -> Pattern:
    """Compile a user's regex for linear-time matching.

    `where` names it in messages (`beancount_freelance config 'income'`).
    Raises InvalidPattern or UnsupportedPattern; the caller adds file and line.
    """
    return _compiled(text, where, ignore_case)


@functools.lru_cache(maxsize=1024)
def _compiled(text: str, where: str, ignore_case: bool) -> Pattern:
    _parsed_by_python(text, where, ignore_case)
    options = _CASE_INSENSITIVE if ignore_case else _NO_OPTIONS
    try:
        compiled: Pattern = re2.compile(for_re2(text), options)
    except re2.error as exc:
        raise _unsupported(where, _re2_reason(exc)) from None
    return compiled


def _parsed_by_python(text: str, where: str, ignore_case: bool) -> None:
    """Python's `re` parses the regex: its error, or its warning, is a message.

    Python warns (FutureWarning "Possible nested set", and so on) about a regex
    it will read differently in a later version, such as `[[:alpha:]]`; RE2
    reads that one as a class of letters, Python as a set of `[`, `:` and
    letters followed by `]`. Such a regex is refused at its line, and no
    warning reaches the user.
    """
    # re.UNICODE (the default for text) makes re's cache key the package's
    # own, so that Python parses the regex here and says what it warns of.
    flags = re.UNICODE | (re.IGNORECASE if ignore_case else 0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(text, flags)
    except (re.error, OverflowError, RecursionError) as exc:
        reason = str(exc)
        raise InvalidPattern(
            message(
                N_("{where} is not a valid regex: {reason}"), where=where, reason=reason
            ),
            reason,
        ) from None
    except Warning as exc:
        reason = str(exc)
        raise AmbiguousPattern(
            message(
                N_(
                    "{where} is read one way by Python today and another way "
                    "later ({reason}): escape the character with a backslash "
                    "(`\\[` for a `[` in a set, `\\-` for a `-`); for letters, "
                    "`\\w` (letters, digits and `_`) rather than `[[:alpha:]]`"
                ),
                where=where,
                reason=reason,
            ),
            reason,
        ) from None


def finds(pattern: Pattern) -> Callable[[str], bool]:
    """Whether the pattern finds a match in a text, each text asked once.

    For account names: the same few come back in every transaction.
    """
    return functools.cache(lambda text: pattern.search(text) is not None)


def searcher(patterns: Sequence[Pattern]) -> Callable[[str], list[int]]:
    """The positions of the patterns that find a match in a text, in order.

    Patterns compiled alike (compile_pattern, all with or all without
    `ignore_case`) are searched in one pass of one RE2 set; others one by one.
    """
    # An RE2 pattern knows its options; Python's `re` has none: one by one.
    cases = {
        getattr(getattr(pattern, "options", None), "case_sensitive", None)
        for pattern in patterns
    }
    if len(cases) == 1 and None not in cases:
        options = _NO_OPTIONS if cases.pop() else _CASE_INSENSITIVE
        together = re2.Set.SearchSet(options)
        try:
            for pattern in patterns:
                together.Add(pattern.pattern)
            together.Compile()
        except re2.error:
            pass
        else:
            return lambda text: sorted(together.Match(text) or ())
    return lambda text: [
        position for position, pattern in enumerate(patterns) if pattern.search(text)
    ]


def _re2_reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else ""
    return (
        reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    )


_BACKREFERENCE = re.compile(r"\\[0-9]")


def _unsupported(where: str, reason: str) -> UnsupportedPattern:
    _, _, snippet = reason.partition(": ")
    for start, construct, fix in _CONSTRUCTS:
        if snippet.startswith(start) or (
            construct == "a backreference" and _BACKREFERENCE.match(snippet)
        ):
            return UnsupportedPattern(
                message(
                    N_(
                        "{where} uses {construct} ({snippet!r}), which the package "
                        "does not run: it matches every regex in linear time; {fix}"
                    ),
                    where=where,
                    construct=message(construct),
                    snippet=snippet,
                    fix=message(fix),
                ),
                f"{construct} ({snippet})",
            )
    return UnsupportedPattern(
        message(
            N_(
                "{where} is not accepted by RE2, the package's linear-time regex "
                "engine ({reason!r}); rewrite that part of the regex, or simplify it"
            ),
            where=where,
            reason=reason,
        ),
        reason,
    )


# Python reads these escapes as Unicode classes (or `\Z` as the very end); RE2
# reads `\w` and `\d` as ASCII only, and writes a code point `\x{...}`.
# Outside and inside a character class.
_OUTSIDE = {
    "w": r"[\pL\pN_]",
    "W": r"[^\pL\pN_]",
    "d": r"\p{Nd}",
    "D": r"\P{Nd}",
    "Z": r"\z",
}
_INSIDE = {"w": r"\pL\pN_", "d": r"\p{Nd}"}
_CODE_POINT_DIGITS = {"u": 4, "U": 8}


def for_re2(text: str) -> str:
    """The regex, rewritten so that RE2 matches what Python's `re` would."""
    pieces: list[str] = []
    in_class = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            escape = text[index + 1]
            digits = _CODE_POINT_DIGITS.get(escape, 0)
            if digits and len(text) >= index + 2 + digits:
                pieces.append(f"\\x{{{text[index + 2 : index + 2 + digits]}}}")
                index += 2 + digits
                continue
            table = _INSIDE if in_class else _OUTSIDE
            pieces.append(table.get(escape, char + escape))
            index += 2
            continue
        pieces.append(char)
        index += 1
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # `[^]...]` and `[]...]`: a `]` first in a class is a literal one.
            if text.startswith("^", index):
                pieces.append("^")
                index += 1
            if text.startswith("]", index):
                pieces.append(r"\]")
                index += 1
    return "".join(pieces)
