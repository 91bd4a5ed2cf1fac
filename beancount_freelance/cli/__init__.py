"""The `bean-clients` command: click commands and their text formatting."""

from __future__ import annotations

from beancount_freelance.cli.commands import main

__all__ = ["main"]
