"""One analysis of a ledger for every face: the typed `Report`.

The CLI and the Fava page both call `analyse_report`: it asks the question once
(`question.ask`: configuration, currency, period, `as_of`, the ledger read once).
The `Report` holds its parts — the revenue streams (`portfolio`), the
`receivables`, the `outlook` (at risk, survival, forecast) and the `plan`
(pipeline, targets, ceilings) — each computed the first time a face asks for it,
so that a view showing one part computes that part only. The faces read these
typed values; `core.document.report_document` writes the one JSON document of
`--json` and the endpoints (docs/metrics.md, docs/receivables.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ahead.outlook import forecast_without, outlook_of
from beancount_freelance.core.ahead.plan import Plan, plan_of
from beancount_freelance.core.question import Question, ask
from beancount_freelance.core.receivables.analysis import (
    ClientReceivables,
    ReceivablesAsOf,
    analyse_receivables,
)
from beancount_freelance.core.receivables.reminders import reminders_of
from beancount_freelance.core.receivables.statements import statements_of
from beancount_freelance.core.revenue import movements, retention, streams
from beancount_freelance.core.revenue.advice import ordered
from beancount_freelance.core.time.hours import Hours, hours_of
from beancount_freelance.core.time.reading import HoursRead, read_hours
from beancount_freelance.core.time.replacing import (
    ReplacementHours,
    replacement_hours,
    replacements_hours,
)

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.ahead.outlook import Outlook
    from beancount_freelance.core.ledger.book import ClientBook, FreelanceError
    from beancount_freelance.core.receivables.reminders import Reminders
    from beancount_freelance.core.receivables.statements import Statements
    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.movements import Movements
    from beancount_freelance.core.revenue.portfolio import ClientStream, Portfolio
    from beancount_freelance.core.revenue.replacement import Replacement
    from beancount_freelance.core.revenue.retention import Cohort

__all__ = ["Report", "analyse_report"]


@dataclass(frozen=True)
class Report:
    """Everything the faces show of a ledger, as of one date, part by part."""

    question: Question
    #: The revenue lines a face's filters keep (None: every line).
    select: Callable[[RevenueLine], bool] | None = field(default=None, compare=False)

    @cached_property
    def portfolio(self) -> Portfolio:
        """The revenue streams: clients, totals, concentration, replacements."""
        return streams.analyse(self.question)

    @cached_property
    def receivables(self) -> ReceivablesAsOf:
        """Every invoice issued up to `as_of`, valued in the report's currency."""
        return analyse_receivables(self.question)

    @cached_property
    def outlook(self) -> Outlook:
        """At risk, survival and forecast, from every revenue line."""
        return outlook_of(self.portfolio)

    @cached_property
    def plan(self) -> Plan:
        """The pipeline against the gap, the income targets and the ceilings."""
        return plan_of(
            self.question.scan,
            self.portfolio,
            filtered=self.select is not None,
            ceilings_currency=self.question.ledger_currency,
        )

    @cached_property
    def hours_read(self) -> HoursRead:
        """The books' hours as read, and the `hours:` that do not read."""
        return read_hours(self.question.scan)

    @cached_property
    def hours(self) -> Hours | None:
        """The hours part (docs/time.md): None when the books record no hours."""
        return hours_of(self.question, self.portfolio.lines, self.hours_read)

    @cached_property
    def replacement_hours(self) -> tuple[ReplacementHours, ...]:
        """Each replacement's numbers in hours, when the books record hours."""
        hours = self.hours
        if hours is None:
            return ()
        return replacements_hours(
            hours, self.portfolio.replacements, self.portfolio.lines
        )

    @property
    def book(self) -> ClientBook:
        """The clients the analysis read, for the faces' names and links."""
        return self.question.scan.book

    @property
    def as_of(self) -> datetime.date:
        return self.portfolio.as_of

    @property
    def currency(self) -> str:
        return self.portfolio.currency

    @cached_property
    def names(self) -> Mapping[str, str]:
        """Each client's name (its id when it has none), by id."""
        return {c.id: c.name or c.id for c in self.portfolio.clients}

    @cached_property
    def _clients(self) -> Mapping[str, ClientStream]:
        return {client.id: client for client in self.portfolio.clients}

    def client(self, client_id: str) -> ClientStream | None:
        """The client of that id, or None."""
        return self._clients.get(client_id)

    @cached_property
    def _paid(self) -> Mapping[str, ClientReceivables]:
        return {item.client: item for item in self.receivables.clients}

    def client_receivables(self, client_id: str) -> ClientReceivables:
        """A client's invoices and payments; zeros for a client with none."""
        found = self._paid.get(client_id)
        return found if found is not None else self.receivables.client(client_id)

    def replacement_of(self, client_id: str) -> Replacement | None:
        """The client's replacement in the period, if it was lost or went quiet."""
        found = self.portfolio.replacements
        return next((r for r in found if r.client == client_id), None)

    def what_if(self, client_id: str) -> Replacement:
        """The replacement of an active client, were it lost at `as_of`.

        Raises `streams.UnknownClient` or `streams.NotActive`.
        """
        return streams.what_if(self.portfolio, client_id)

    def forecast_without(self, client_id: str) -> Forecast:
        """The forecast without that client's run rate (raises `NoRunRate`)."""
        return forecast_without(self.portfolio, client_id)

    @cached_property
    def analysis_warnings(self) -> tuple[FreelanceError, ...]:
        """The streams' and the receivables' warnings, the most consequential first."""
        found = (*self.portfolio.warnings, *self.receivables.warnings)
        return tuple(ordered(found))

    @property
    def plan_warnings(self) -> tuple[FreelanceError, ...]:
        plan = self.plan
        return (*plan.pipeline.warnings, *plan.targets.warnings)

    def reminders(self, min_days: int = 1) -> Reminders:
        """A reminder per client with an invoice overdue by `min_days` or more."""
        config = self.question.config
        return reminders_of(self.receivables, self.book, config.reminders, min_days)

    @cached_property
    def _statements(self) -> dict[str, Statements]:
        return {}

    def statement(self, client_id: str) -> Statements:
        """The client's statements of account, from the period's start to `as_of`
        (made once per client: a view asks for it in two places)."""
        found = self._statements.get(client_id)
        if found is None:
            question = self.question
            found = statements_of(
                question.scan, self.receivables, client_id, question.start
            )
            self._statements[client_id] = found
        return found

    def hours_replacing(self, replacement: Replacement) -> ReplacementHours | None:
        """A replacement's numbers in hours; None when the books record none."""
        hours = self.hours
        if hours is None:
            return None
        return replacement_hours(hours, replacement, self.portfolio.lines)

    @cached_property
    def movements(self) -> Movements:
        """What moved the revenue, quarter by quarter (computed when asked)."""
        return movements.movements(self.portfolio, "quarter")

    @cached_property
    def monthly_movements(self) -> Movements:
        """The same, month by month (`bean-clients movements --by month`)."""
        return movements.movements(self.portfolio, "month")

    @cached_property
    def cohorts(self) -> tuple[Cohort, ...]:
        """The clients by year of first revenue, over the whole history."""
        return retention.cohorts(self.portfolio)

    @cached_property
    def warnings(self) -> tuple[FreelanceError, ...]:
        """Every warning, in the document's order: the analysis', then the plan's."""
        hours = self.hours_read.warnings
        return (*self.analysis_warnings, *self.plan_warnings, *hours)


def analyse_report(
    entries: Sequence[data.Directive],
    options_map: Mapping[str, Any],
    *,
    currency: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    as_of: datetime.date | None = None,
    select: Callable[[RevenueLine], bool] | None = None,
) -> Report:
    """The question asked of all of the ledger's `entries`; its parts come later.

    The period and `select` narrow the revenue figures only: the receivables are
    every invoice issued up to `as_of`, valued in the report's currency.
    """
    question = ask(
        entries,
        options_map,
        currency=currency,
        start=start,
        end=end,
        as_of=as_of,
        select=select,
    )
    return Report(question, select)
