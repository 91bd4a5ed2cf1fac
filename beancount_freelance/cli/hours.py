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
from beancount_freelance.cli.ledger import load_ledger, run_analysis
from beancount_freelance.cli.text_report import period_text, table, wrapped
from beancount_freelance.core.document.hours import (
    figures_document,
    hours_document,
    replacement_hours_document,
)
from beancount_freelance.core.document.values import date_or_none
from beancount_freelance.core.money import amount
from beancount_freelance.i18n import _
from beancount_freelance.text.hours_sentences import (
    hours_word,
    money_word,
    replacement_hours_sentence,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from beancount_freelance.core.report import Report
    from beancount_freelance.core.time.hours import HourFigures

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


def _row(label: str, figures: HourFigures) -> list[str]:
    return [
        label,
        hours_word(figures.worked_period),
        hours_word(figures.billed_period),
        hours_word(figures.worked_t12m),
        hours_word(figures.unbilled_hours),
        _money(figures.unbilled_value),
        _money(figures.effective_rate_t12m),
        _money(figures.billed_rate_t12m),
    ]


def _money(value: Decimal | None) -> str:
    return "–" if value is None else amount(value)


def hours_text(report: Report, document: dict[str, Any]) -> str:
    """The hours as a table, the median rate, and the replacements in hours."""
    hours = report.hours
    if hours is None:
        return _("The books record no hours (docs/time.md says how to).") + "\n"
    names = {stream.id: stream.name for stream in report.portfolio.clients}
    lines = [
        _("Hours as of {as_of}, period {period}, rates in {currency} an hour").format(
            as_of=hours.as_of, period=period_text(document), currency=hours.currency
        ),
        "",
    ]
    rows = [
        [
            _("Client"),
            _("Worked"),
            _("Billed"),
            _("Worked 12m"),
            _("Unbilled"),
            _("Value"),
            _("Rate 12m"),
            _("Billed rate 12m"),
        ]
    ]
    for client, figures in hours.clients.items():
        rows.append(_row(names.get(client, client), figures))
    if hours.no_client is not None:
        rows.append(_row(_("(no client)"), hours.no_client))
    rows.append(_row(_("Total"), hours.totals))
    lines.extend(table(rows, [False, *[True] * 7]))
    lines.append("")
    median = hours.median_effective_rate_t12m
    lines.append(
        _("Median effective rate over the last 12 months: {rate}.").format(
            rate=_money(median)
        )
    )
    money = money_word(hours.currency)
    for item in report.replacement_hours:
        said = replacement_hours_sentence(
            names.get(item.client, item.client), item, money
        )
        if said is not None:
            lines.append(wrapped(said, 0))
    return "\n".join(lines) + "\n"
