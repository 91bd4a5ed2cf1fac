"""One question asked of a ledger: its configuration, currency, period and date.

`ask` works out, once, everything every analysis needs to agree on: the ledger's
configuration (read from its own plugin line), the ledger read once for it (the
scan), the reporting currency (asked, else the first `operating_currency`, else
the currency most income is worth in), the period, `as_of` (asked, else the
period's end, else the date of the last transaction or client event) and the
`select` predicate.
The streams, the receivables and the report each take this one value.
docs/metrics.md describes `as_of` and the currency.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from beancount.core import data
from beancount.core.position import Cost

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.ledger.config import ledger_config
from beancount_freelance.core.ledger.scan import Scan, scan_ledger
from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.revenue.lines import RevenueLine

__all__ = ["CURRENCY_INFERRED", "Question", "ask"]

CURRENCY_INFERRED = "The ledger has no operating_currency"


@dataclass(frozen=True)
class Question:
    """What is asked of a ledger, worked out once for every analysis."""

    config: Config
    currency: str
    start: datetime.date | None
    end: datetime.date | None
    as_of: datetime.date
    select: Callable[[RevenueLine], bool] | None
    scan: Scan = field(compare=False, repr=False)
    filename: str = "<ledger>"  # of the top file, for a warning about the ledger
    # About the question itself (the currency it inferred), shown with the
    # analysis' warnings.
    warnings: tuple[FreelanceError, ...] = ()
    # The ledger's own currency (its operating currency, else inferred), whatever
    # was asked: the config's ceilings are amounts in it.
    ledger_currency: str = ""
    # The entries asked about, for the advice's evidence (accounts that behave
    # like receivables), walked only when some income has no client.
    entries: Sequence[data.Directive] = field(default=(), compare=False, repr=False)


def ask(
    entries: Sequence[data.Directive],
    options_map: Mapping[str, Any],
    *,
    currency: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    as_of: datetime.date | None = None,
    select: Callable[[RevenueLine], bool] | None = None,
    config: Config | None = None,
    scan: Scan | None = None,
) -> Question:
    """The question, and the ledger read once for it.

    `config` and `scan` are for the plugin, which has its own string parsed
    and the ledger read already (`scan.scan_of`); every other caller leaves
    them out and gets the ledger's plugin line and a scan of the entries.
    """
    settings = config if config is not None else ledger_config(options_map)
    if scan is None:
        scan = scan_ledger(
            entries, settings, operating=options_map.get("operating_currency") or ()
        )
    filename = str(options_map.get("filename") or "<ledger>")
    warnings: list[FreelanceError] = []
    own = _operating(options_map)
    chosen = currency or own
    if chosen is None or (own is None and settings.ceilings):
        inferred = inferred_currency(
            entries, scan.attributed, scan.rates, hours=settings.is_hours
        )
        own = own or inferred
        if chosen is None:
            chosen = inferred
            warnings.append(_inferred_warning(chosen, filename))
    return Question(
        config=settings,
        currency=chosen,
        start=start,
        end=end,
        as_of=as_of or end or _last_date(scan, entries),
        select=select,
        scan=scan,
        filename=filename,
        warnings=tuple(warnings),
        ledger_currency=own or chosen,
        entries=entries,
    )


def _operating(options_map: Mapping[str, Any]) -> str | None:
    operating = options_map.get("operating_currency") or []
    return str(operating[0]) if operating else None


def _last_date(scan: Scan, entries: Sequence[data.Directive]) -> datetime.date:
    """The last transaction's (or client event's) date: real books open accounts
    and fetch prices ahead of it. Without any, the last entry's, else today."""
    if scan.last_activity is not None:
        return scan.last_activity
    return entries[-1].date if entries else datetime.date.today()


def inferred_currency(
    entries: Iterable[data.Directive],
    income: Iterable[Attributed],
    rates: Rates,
    *,
    hours: Callable[[str], bool] | None = None,
) -> str:
    """The currency most income postings are worth in.

    Each posting votes for its `@` price's currency, else its cost's, else its
    units'; pseudo-commodities (nothing prices them: `Rates.is_priced`, the
    rule the conversion warnings follow too) do not vote; a tie goes
    to the first alphabetically. A ledger without income: the currency most
    postings are in. "EUR" for a ledger without any amount. The commodities
    `hours` says count hours never vote.
    """
    entries = list(entries)

    def not_hours(commodity: str) -> bool:
        return hours is None or not hours(commodity)

    votes: Counter[str] = Counter()
    for item in income:
        posting = item.posting
        worth = _worth_currency(posting)
        if worth is not None and rates.is_priced(worth) and not_hours(worth):
            votes[worth] += 1
    if not votes:
        for entry in entries:
            if isinstance(entry, data.Transaction):
                votes.update(
                    p.units.currency
                    for p in entry.postings
                    if p.units is not None and not_hours(p.units.currency)
                )
    if not votes:
        return "EUR"
    return min(votes, key=lambda name: (-votes[name], name))


def _worth_currency(posting: data.Posting) -> str | None:
    if posting.price is not None and isinstance(posting.price.currency, str):
        return posting.price.currency
    if isinstance(posting.cost, Cost):
        return posting.cost.currency
    units = posting.units
    return units.currency if units is not None else None


def _inferred_warning(currency: str, filename: str) -> FreelanceError:
    return FreelanceError(
        data.new_metadata(filename, 1),
        # Starts with CURRENCY_INFERRED, which `advice.ordered` looks for.
        message(
            N_(
                "The ledger has no operating_currency: amounts are reported in "
                "{currency}, the currency most income is worth in; add "
                '`option "operating_currency" "{currency}"` to the ledger to say so, '
                "or to choose another"
            ),
            currency=currency,
        ),
        None,
    )
