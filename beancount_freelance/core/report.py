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

from beancount_freelance.core import streams
from beancount_freelance.core.document import to_document
from beancount_freelance.core.question import Question, ask
from beancount_freelance.core.receivables import Receivables, analyse_receivables

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.book import ClientBook
    from beancount_freelance.core.revenue import RevenueLine
    from beancount_freelance.core.streams import Portfolio

__all__ = ["Report", "analyse_report"]


@dataclass(frozen=True)
class Report:
    """The revenue streams and the receivables of a ledger, as of one date."""

    portfolio: Portfolio
    receivables: Receivables
    question: Question

    @property
    def book(self) -> ClientBook:
        """The clients the analysis read, for the faces' names and links."""
        return self.question.scan.book

    def document(self) -> dict[str, Any]:
        """The JSON document, with `receivables` and `overdue_invoices`."""
        return to_document(self.portfolio, self.receivables)


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
    return Report(streams.analyse(question), analyse_receivables(question), question)
