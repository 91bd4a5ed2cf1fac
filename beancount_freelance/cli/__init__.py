"""The `bean-clients` command: click commands and their text formatting."""

from __future__ import annotations

from beancount_freelance.cli.commands import main
from beancount_freelance.cli.hours import hours_command

# Registered here: `cli.hours` uses the options of `cli.commands`.
main.add_command(hours_command)

__all__ = ["main"]
