"""The page's look ahead: clients at risk, how long relationships last, next year.

`build_outlook` turns the report's typed outlook (at risk, survival,
forecast) and, for the what-if, the forecast without one client (the core's
`Report.forecast_without`) into the page's three sections: the at-risk
sentences above the table, the survival step chart with its sentence, and the
forecast as Fava's stacked bar chart, a table and its sentences. Words come from
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

from beancount_freelance.core.ahead.forecast import NoRunRate
from beancount_freelance.core.messages import N_
from beancount_freelance.core.money import exact_cents
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
    from collections.abc import Callable

    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.report import Report

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
class OutlookSection:
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
    report: Report, money: Callable[[Decimal], str], without: str = ""
) -> OutlookSection:
    """The sections for one request; `without`: the what-if's client id, if any."""
    names = report.names
    found = clients_at_risk(report)
    ahead = report.outlook
    predicted, error = ahead.forecast, None
    if without:
        try:
            predicted = report.forecast_without(without)
        except NoRunRate as exc:
            error, without = f"{translated(exc.args[0])}.", ""
    name = names.get(without, without) if without else None
    as_of = report.as_of.isoformat()
    return OutlookSection(
        at_risk_heading=at_risk_heading(len(found), as_of),
        at_risk=tuple(AtRiskEntry(c.id, at_risk_sentence(c, o)) for c, o in found),
        survival_sentence=survival_sentence(ahead.survival),
        survival=survival_chart(ahead.survival, report.portfolio.clients),
        forecast_heading=_forecast_heading(name),
        survival_n=ahead.survival.relationships,
        survival_events=ahead.survival.ended,
        forecast_chart=forecast_chart(predicted, report.currency),
        forecast_rows=forecast_rows(predicted),
        forecast_sentences=(
            total_sentence(predicted, money, name),
            retention_sentence(predicted, as_of),
            one_off_sentence(predicted, money),
        ),
        without_options=tuple(
            (client, names.get(client, client))
            for client in sorted(ahead.forecast.run_rates)
        ),
        without_id=without,
        without_error=error,
        without_name=name,
        run_rates=tuple(
            (names.get(client, client), exact_cents(rate))
            for client, rate in sorted(predicted.run_rates.items())
        ),
    )


def forecast_rows(forecast: Forecast) -> tuple[ForecastRow, ...]:
    """The forecast's months in cents, as the table shows them."""
    return tuple(
        ForecastRow(
            month.month,
            exact_cents(month.recurring),
            exact_cents(month.one_off),
            exact_cents(month.total),
        )
        for month in forecast.months
    )


def _forecast_heading(name: str | None) -> str:
    if name is None:
        return gettext("The next twelve months")
    return gettext("The next twelve months without {name}").format(name=name)


def forecast_chart(forecast: Forecast, currency: str) -> list[Any]:
    """Fava's bar chart: one bar per month ahead, recurring and one-off stacked."""
    data = []
    for month in forecast_rows(forecast):
        year, number = (int(part) for part in month.month.split("-"))
        # Fava dates a bar by the last day of its interval.
        last_day = _next_month(year, number) - datetime.timedelta(days=1)
        recurring = SimpleCounterInventory({currency: month.recurring})
        one_off = SimpleCounterInventory({currency: month.one_off})
        data.append(
            DateAndBalanceWithBudget(
                last_day,
                SimpleCounterInventory({currency: month.total}),
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
