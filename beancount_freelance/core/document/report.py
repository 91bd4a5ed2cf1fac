"""The documents of a `Report`: what `--json` prints and the endpoints return.

`report_document` is the whole analysis (docs/metrics.md); the others are the
parts that one command prints: one client, the invoices, the plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.core.document.hours import (
    add_hours,
    figures_document,
    hours_document,
    replacement_hours_document,
)
from beancount_freelance.core.document.movements import (
    cohorts_document,
    movements_document,
)
from beancount_freelance.core.document.outlook import forecast_document
from beancount_freelance.core.document.plan import plan_document
from beancount_freelance.core.document.receivables import (
    client_receivables_document,
    invoices_document,
    overdue_document,
    unapplied_document,
)
from beancount_freelance.core.document.streams import (
    replacement_document,
    to_document,
)
from beancount_freelance.core.document.values import date_or_none
from beancount_freelance.core.messages import warning_text

if TYPE_CHECKING:
    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.receivables.analysis import ReceivablesAsOf
    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.replacement import Replacement

__all__ = [
    "client_document",
    "endpoint_document",
    "invoices_command_document",
    "movements_command_document",
    "pipeline_command_document",
    "report_document",
]

#: The plan's keys of the report, as `pipeline --json` prints them.
PLAN_KEYS = ("as_of", "currency", "period", "open_gap", "pipeline", "targets")


def report_document(report: Report) -> dict[str, Any]:
    """The JSON document: the streams, the outlook, `receivables` and
    `overdue_invoices`, and the plan's `open_gap`, `pipeline`, `targets` and
    `ceilings` right after the replacements they are about."""
    document = to_document(report.portfolio, report.receivables, report.outlook)
    planned = plan_document(report.plan)
    document["warnings"].extend(planned.pop("warnings"))
    added = {
        "replacements": planned,
        "replacement_history": {
            "movements": movements_document(report.movements),
            "cohorts": cohorts_document(report.cohorts),
        },
    }
    document = _with_added(document, added)
    if report.hours is not None:
        add_hours(document, report.hours, report.replacement_hours)
    document["warnings"].extend(warning_text(w) for w in report.hours_read.warnings)
    return document


def _with_added(
    document: dict[str, Any], added: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The document with each part of `added` right after the key it follows
    (the plan after the replacements it is about, the movements after the
    losses), so that the document's last keys stay last."""
    ordered: dict[str, Any] = {}
    for key, value in document.items():
        ordered[key] = value
        ordered.update(added.get(key, {}))
    return ordered


def endpoint_document(
    report: Report,
    *,
    what_if: Replacement | None = None,
    forecast_without: Forecast | None = None,
) -> dict[str, Any]:
    """The page's `report` endpoint: the report's document, with the what-if
    and the forecast without a client when the request asks for them."""
    document = report_document(report)
    if what_if is not None:
        document["what_if"] = replacement_document(what_if)
    if forecast_without is not None:
        document["forecast_without"] = forecast_document(forecast_without)
    return document


def client_document(report: Report, client_id: str) -> dict[str, Any]:
    """`bean-clients client ID --json`: the client's object of the report, its
    replacement and its overdue invoices."""
    document = report_document(report)
    return {
        "as_of": document["as_of"],
        "currency": document["currency"],
        "period": document["period"],
        "client": next(c for c in document["clients"] if c["id"] == client_id),
        "replacement": next(
            (r for r in document["replacements"] if r["client"] == client_id), None
        ),
        "overdue_invoices": [
            i for i in document["overdue_invoices"] if i["client"] == client_id
        ],
        "warnings": document["warnings"],
    }


def invoices_command_document(
    receivables: ReceivablesAsOf, *, overdue_only: bool = False
) -> dict[str, Any]:
    """`bean-clients invoices --json`: per client, overdue, every invoice."""
    document: dict[str, Any] = {
        "as_of": receivables.as_of.isoformat(),
        "currency": receivables.currency,
        "overdue_invoices": overdue_document(receivables),
    }
    if not overdue_only:
        document["clients"] = {
            item.client: client_receivables_document(receivables, item.client)
            for item in receivables.clients
        }
        document["invoices"] = invoices_document(receivables)
        document["unapplied_credits"] = unapplied_document(receivables)
    document["warnings"] = [warning_text(w) for w in receivables.warnings]
    return document


def pipeline_command_document(report: Report) -> dict[str, Any]:
    """`bean-clients pipeline --json`: the plan's keys of the report, built
    from the plan alone (the streams' and outlook's documents are not made)."""
    planned = plan_document(report.plan)
    planned.pop("warnings")
    return {
        **_heading(report),
        **{key: planned[key] for key in PLAN_KEYS if key in planned},
        "ceilings": planned["ceilings"],
        "warnings": _warnings(report),
    }


def _heading(report: Report) -> dict[str, Any]:
    """The keys every document starts with: `as_of`, `currency`, `period`."""
    portfolio = report.portfolio
    return {
        "as_of": portfolio.as_of.isoformat(),
        "currency": portfolio.currency,
        "period": {
            "start": date_or_none(portfolio.start),
            "end": date_or_none(portfolio.end),
        },
    }


def _warnings(report: Report) -> list[str]:
    """Every warning of the report, in the document's order."""
    return [warning_text(w) for w in report.warnings]


def movements_command_document(report: Report, by: str) -> dict[str, Any]:
    """`bean-clients movements --json`: the report's keys of the movements, the
    movements by month with `--by month`."""
    found = report.movements if by == "quarter" else report.monthly_movements
    return {
        **_heading(report),
        "movements": movements_document(found),
        "cohorts": cohorts_document(report.cohorts),
        "warnings": _warnings(report),
    }


def what_if_document(report: Report, replacement: Replacement) -> dict[str, Any]:
    """`bean-clients what-if --json`: the replacement, with its hours when the
    books record hours (docs/time.md)."""
    document = replacement_document(replacement)
    found = report.hours_replacing(replacement)
    if found is not None:
        document.update(replacement_hours_document(found))
    return document


def hours_command_document(report: Report) -> dict[str, Any]:
    """`bean-clients hours --json`: the hours keys of the report's document,
    with the clients that have hours."""
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
        "warnings": [warning_text(w) for w in report.warnings],
    }
