"""`bean-clients hours`: what an hour with each client earns (docs/time.md).

    bean-clients hours LEDGER [--from DATE] [--to DATE] [--as-of DATE]
                              [--currency CUR] [--json]

Per client the hours worked and billed in the period and the trailing 12
months, the unbilled hours and their value, the effective and billed rates;
the totals, the median rate, and each lost client's revenue in hours of new
work. Reads the report's typed hours part; `--json` prints its `hours` keys.
"""

from __future__ import annotations

import datetime

import click

from beancount_freelance.cli.commands import (
    LEDGER,
    common_options,
    period_options,
    print_answer,
)
from beancount_freelance.cli.hours_text import hours_text
from beancount_freelance.cli.ledger import ledger_report
from beancount_freelance.core.document.report import hours_command_document

__all__ = ["hours_command"]


@click.command("hours")
@LEDGER
@period_options
@common_options
def hours_command(
    ledger: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """Hours worked, billed and unbilled, and what an hour with each client earns."""
    found = ledger_report(ledger, currency=currency, as_of=as_of, start=start, end=end)
    print_answer(
        as_json,
        lambda: hours_command_document(found),
        lambda: hours_text(found),
        found.warnings,
    )
