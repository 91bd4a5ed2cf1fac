"""One analysis of a ledger for every face: revenue streams and receivables.

The CLI and the Fava page both call `analyse_report`: it runs the streams
analysis, then the receivables as of the same date and in the same currency,
from all of the ledger's entries and one configuration. `Report.document()` is
DESIGN §3's JSON document with issue 6's receivables keys, the one document that
`bean-clients report --json` prints and the Fava endpoint returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount_freelance.core import streams
from beancount_freelance.core.config import ledger_config
from beancount_freelance.core.document import to_document
from beancount_freelance.core.plan import Plan, plan_document, plan_of
from beancount_freelance.core.receivables import Receivables, analyse_receivables
from beancount_freelance.core.revenue import reporting_currency
from beancount_freelance.core.scan import scan_ledger

if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.clients import ClientBook, RevenueLine
    from beancount_freelance.core.config import Config
    from beancount_freelance.core.streams import Portfolio

__all__ = ["Report", "analyse_report"]


@dataclass(frozen=True)
class Report:
    """The revenue streams and the receivables of a ledger, as of one date."""

    portfolio: Portfolio
    receivables: Receivables
    book: ClientBook  # the clients the analysis read, for the faces' names and links
    plan: Plan | None = None  # pipeline, targets and ceilings (docs/metrics.md)

    def document(self) -> dict[str, Any]:
        """DESIGN §3's document, with `receivables` and `overdue_invoices`, and
        the plan's `open_gap`, `pipeline`, `targets` and `ceilings`."""
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
    config: Config | None = None,
) -> Report:
    """`streams.analyse` (same arguments), then the receivables at its `as_of`.

    `entries` are all of the ledger's entries. The period and `select` narrow
    the revenue figures only: the receivables are every invoice issued up to
    `as_of`, valued in the report's currency.
    """
    scan = scan_ledger(
        entries,
        config or ledger_config(options_map),
        operating=options_map.get("operating_currency") or (),
    )
    portfolio = streams.analyse(
        entries,
        options_map,
        currency=currency,
        start=start,
        end=end,
        as_of=as_of,
        select=select,
        scan=scan,
    )
    receivables = analyse_receivables(
        entries,
        options_map,
        as_of=portfolio.as_of,
        currency=portfolio.currency,
        scan=scan,
    )
    plan = plan_of(
        entries,
        scan,
        portfolio,
        filtered=select is not None,
        # The config's ceilings are written in the ledger's own currency.
        ceilings_currency=reporting_currency(options_map, None),
    )
    return Report(portfolio, receivables, scan.book, plan)


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
