"""The page's look ahead: clients at risk, how long relationships last, next year.

`build_outlook` turns the document's `at_risk_clients`, `survival` and
`forecast` (and, for the what-if, the forecast without one client, computed by
the core) into the page's three sections: the at-risk sentences above the
table, the survival step chart with its sentence, and the forecast as Fava's
stacked bar chart, a table and its sentences. Words come from
`beancount_freelance.text.outlook`, as the CLI's do.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fava.core.charts import DateAndBalanceWithBudget
from fava.core.inventory import SimpleCounterInventory
from fava.internal_api import BarChart

from beancount_freelance.core.ahead.forecast import NoRunRate, forecast
from beancount_freelance.core.document import forecast_document
from beancount_freelance.core.messages import N_
from beancount_freelance.fava_extension.survival_chart import (
    SurvivalChart,
    survival_chart,
)
from beancount_freelance.i18n import translated
from beancount_freelance.text.outlook import (
    at_risk_heading,
    at_risk_sentence,
    clients_at_risk,
    gettext,
    one_off_sentence,
    retention_sentence,
    survival_sentence,
    total_sentence,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from beancount_freelance.core.revenue.portfolio import Portfolio

#: The two stacks of the forecast chart, as Fava's chart names its series.
RECURRING_SERIES = N_("Recurring")
ONE_OFF_SERIES = N_("One-off")


@dataclass(frozen=True)
class AtRiskEntry:
    """One client at risk, in words."""

    client: str
    sentence: str


@dataclass(frozen=True)
class ForecastRow:
    """One month of the forecast table."""

    month: str
    recurring: Decimal
    one_off: Decimal
    total: Decimal


@dataclass(frozen=True)
class Outlook:
    """The page's three sections that look ahead."""

    at_risk_heading: str
    at_risk: tuple[AtRiskEntry, ...]
    survival_sentence: str
    survival: SurvivalChart | None
    forecast_heading: str
    survival_n: int
    survival_events: int
    forecast_chart: list[Any]
    forecast_rows: tuple[ForecastRow, ...]
    forecast_sentences: tuple[str, ...]
    without_options: tuple[tuple[str, str], ...] = ()
    without_id: str = ""
    without_error: str | None = None
    without_name: str | None = None
    run_rates: tuple[tuple[str, Decimal], ...] = field(default_factory=tuple)


def build_outlook(
    document: Mapping[str, Any],
    portfolio: Portfolio,
    money: Callable[[Decimal], str],
    without: str = "",
) -> Outlook:
    """The sections for one request; `without`: the what-if's client id, if any."""
    names = {c["id"]: c.get("name") or c["id"] for c in document.get("clients", [])}
    found = clients_at_risk(document)
    predicted: Mapping[str, Any] = document["forecast"]
    error = None
    if without:
        try:
            predicted = forecast_without(portfolio, without)
        except NoRunRate as exc:
            error, without = f"{translated(exc.args[0])}.", ""
    survival = document.get("survival") or {}
    name = names.get(without, without) if without else None
    return Outlook(
        at_risk_heading=at_risk_heading(len(found), document["as_of"]),
        at_risk=tuple(AtRiskEntry(c["id"], at_risk_sentence(c)) for c in found),
        survival_sentence=survival_sentence(survival),
        survival=survival_chart(survival, document.get("clients", [])),
        forecast_heading=_forecast_heading(name),
        survival_n=int(survival.get("n", 0)),
        survival_events=int(survival.get("events", 0)),
        forecast_chart=forecast_chart(predicted, document["currency"]),
        forecast_rows=tuple(
            ForecastRow(
                m["month"],
                Decimal(m["recurring"]),
                Decimal(m["one_off"]),
                Decimal(m["total"]),
            )
            for m in predicted["months"]
        ),
        forecast_sentences=(
            total_sentence(predicted, money, name),
            retention_sentence(predicted, document["as_of"]),
            one_off_sentence(predicted, money),
        ),
        without_options=tuple(
            (client, names.get(client, client))
            for client in sorted(document["forecast"]["run_rates"])
        ),
        without_id=without,
        without_error=error,
        without_name=name,
        run_rates=tuple(
            (names.get(client, client), Decimal(rate))
            for client, rate in sorted(predicted["run_rates"].items())
        ),
    )


def forecast_without(portfolio: Portfolio, client_id: str) -> dict[str, Any]:
    """The document's forecast without one client (raises NoRunRate)."""
    return forecast_document(
        forecast(
            portfolio.clients, portfolio.history, portfolio.as_of, without=client_id
        )
    )


def _forecast_heading(name: str | None) -> str:
    if name is None:
        return gettext("The next twelve months")
    return gettext("The next twelve months without {name}").format(name=name)


def forecast_chart(forecast: Mapping[str, Any], currency: str) -> list[Any]:
    """Fava's bar chart: one bar per month ahead, recurring and one-off stacked."""
    data = []
    for month in forecast["months"]:
        year, number = (int(part) for part in month["month"].split("-"))
        # Fava dates a bar by the last day of its interval.
        last_day = _next_month(year, number) - datetime.timedelta(days=1)
        recurring = SimpleCounterInventory({currency: Decimal(month["recurring"])})
        one_off = SimpleCounterInventory({currency: Decimal(month["one_off"])})
        data.append(
            DateAndBalanceWithBudget(
                last_day,
                SimpleCounterInventory({currency: Decimal(month["total"])}),
                {
                    gettext(RECURRING_SERIES): recurring,
                    gettext(ONE_OFF_SERIES): one_off,
                },
                {},
            )
        )
    return [BarChart(gettext("Forecast by month"), data)]


def _next_month(year: int, month: int) -> datetime.date:
    try:
        return datetime.date(year + month // 12, month % 12 + 1, 1)
    except ValueError:  # after December 9999: the last day there is
        return datetime.date.max
