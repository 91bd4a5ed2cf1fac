"""The closest known name to a misspelt one: the one typo hint of every face.

The plugin (an unknown client id, an unknown config key) and the CLI (an unknown
client on the command line) suggest the same name for the same typo.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["closest"]


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name equal to `name` but for case, else the closest by difflib."""
    names = list(known)
    lowered = name.lower()
    for candidate in names:
        if candidate.lower() == lowered:
            return candidate
    matches = difflib.get_close_matches(name, names, n=1)
    return matches[0] if matches else None
