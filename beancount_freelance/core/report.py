"""One analysis of a ledger for every face: revenue streams and receivables.

The CLI and the Fava page both call `analyse_report`: it asks the question once
(`question.ask`: configuration, currency, period, `as_of`, the ledger read once),
then runs the streams analysis and the receivables on it. `Report.document()` is
the one JSON document that `bean-clients report --json` prints and the Fava
endpoint returns (docs/metrics.md, docs/receivables.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ahead.plan import Plan, plan_of
from beancount_freelance.core.document import plan_document, to_document
from beancount_freelance.core.question import Question, ask
from beancount_freelance.core.receivables.analysis import (
    ReceivablesAsOf,
    analyse_receivables,
)
from beancount_freelance.core.revenue import streams

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.streams import Portfolio

__all__ = ["Report", "analyse_report"]


@dataclass(frozen=True)
class Report:
    """The revenue streams and the receivables of a ledger, as of one date."""

    portfolio: Portfolio
    receivables: ReceivablesAsOf
    question: Question
    plan: Plan | None = None  # pipeline, targets and ceilings (docs/metrics.md)

    @property
    def book(self) -> ClientBook:
        """The clients the analysis read, for the faces' names and links."""
        return self.question.scan.book

    def document(self) -> dict[str, Any]:
        """The JSON document: the streams, `receivables` and `overdue_invoices`,
        and the plan's `open_gap`, `pipeline`, `targets` and `ceilings`."""
        document = to_document(self.portfolio, self.receivables)
        if self.plan is not None:
            planned = plan_document(self.plan)
            document["warnings"].extend(planned.pop("warnings"))
            document = _after_replacements(document, planned)
        return document


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
    """The question asked of all of the ledger's `entries`, then its analyses.

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
    portfolio = streams.analyse(question)
    plan = plan_of(
        question.scan,
        portfolio,
        filtered=select is not None,
        ceilings_currency=question.ledger_currency,
    )
    return Report(portfolio, analyse_receivables(question), question, plan)


def _after_replacements(
    document: dict[str, Any], added: dict[str, Any]
) -> dict[str, Any]:
    """The document with `added` right after `replacements`: the plan follows
    the replacements it is about, and the document's last keys stay last."""
    ordered: dict[str, Any] = {}
    for key, value in document.items():
        ordered[key] = value
        if key == "replacements":
            ordered.update(added)
    return ordered
