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
import sys
from typing import TYPE_CHECKING, Any

import click

from beancount_freelance.cli.commands import (
    LEDGER,
    common_options,
    period_options,
    print_json,
    print_warnings,
)
from beancount_freelance.cli.hours_text import hours_text
from beancount_freelance.cli.ledger import load_ledger, run_analysis
from beancount_freelance.core.document.hours import (
    figures_document,
    hours_document,
    replacement_hours_document,
)
from beancount_freelance.core.document.values import date_or_none

if TYPE_CHECKING:
    from beancount_freelance.core.report import Report

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
    loaded = load_ledger(ledger, sys.stderr)
    found = run_analysis(loaded, currency=currency, as_of=as_of, start=start, end=end)
    document = found.document()
    if as_json:
        print_json(hours_json(found, document))
    else:
        click.echo(hours_text(found, document), nl=False)
    print_warnings(document)


def hours_json(report: Report, document: dict[str, Any]) -> dict[str, Any]:
    """The hours keys of the report's document, with the clients that have hours."""
    hours = report.hours
    names = {stream.id: stream.name for stream in report.portfolio.clients}
    clients = []
    if hours is not None:
        for client, figures in hours.clients.items():
            clients.append(
                {
                    "id": client,
                    "name": names.get(client, client),
                    "hours": figures_document(figures),
                }
            )
    return {
        "as_of": report.portfolio.as_of.isoformat(),
        "currency": report.portfolio.currency,
        "period": {
            "start": date_or_none(report.portfolio.start),
            "end": date_or_none(report.portfolio.end),
        },
        "hours": None if hours is None else hours_document(hours),
        "clients": clients,
        "replacements": [
            {
                "client": item.client,
                "ended": item.ended.isoformat(),
                **replacement_hours_document(item),
            }
            for item in report.replacement_hours
        ],
        "warnings": document["warnings"],
    }
