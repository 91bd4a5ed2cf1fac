"""Shared test fixtures: inline ledgers, their line numbers, installed commands.

Kept small and generic; add fixtures here only when several test modules need them.
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from beancount import loader

# Beancount's pickle cache would hide a change to the plugin between runs.
os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent

Loaded = tuple[list[Any], list[Any], dict[str, Any]]


@pytest.fixture
def repo_root() -> Path:
    """The checkout's top directory (where example_ledger/ lives)."""
    return REPO_ROOT


@pytest.fixture
def load_doc() -> Callable[[str], Loaded]:
    """Load a dedented inline ledger: `entries, errors, options = load_doc(text)`."""

    def load(text: str) -> Loaded:
        entries, errors, options = loader.load_string(textwrap.dedent(text))
        return entries, errors, options

    return load


@pytest.fixture
def line_of() -> Callable[[str, str], int]:
    """The 1-based line of the first line of `text` (dedented) containing `snippet`.

    Tests assert an error's line without counting lines by hand.
    """

    def find(text: str, snippet: str) -> int:
        for lineno, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
            if snippet in line:
                return lineno
        raise AssertionError(f"{snippet!r} is not in the ledger")

    return find


@pytest.fixture
def command() -> Callable[[str], str]:
    """The path of an installed console script (`bean-check`…), next to Python first."""

    def find(name: str) -> str:
        beside = Path(sys.executable).parent / name
        if beside.exists():
            return str(beside)
        found = shutil.which(name)
        if found is None:
            pytest.skip(f"{name} is not installed")
        return found

    return find
