"""What each client brings in, and when: the analysis core (docs/metrics.md).

`analyse` reads a ledger's entries once (declarations, attribution, conversion),
groups the revenue lines by client in one pass, and returns a `Portfolio`: per
client its lifecycle (start, last revenue, cadence, status, end, tenure) and its
revenue (lifetime, period, trailing 12 months, share, monthly series); the
portfolio's totals, concentration and replacements. Lifecycle always comes from
all revenue lines up to `as_of`; the `select` predicate and the report period only
restrict the figures shown. Pure functions over immutable values: no I/O.
"""

from __future__ import annotations

import datetime
from bisect import bisect_right
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core.data import Open

from beancount_freelance.core.ledger.book import FreelanceError, LifecycleEvent
from beancount_freelance.core.ledger.evidence import ReceivableLike
from beancount_freelance.core.messages import quoted
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.revenue.advice import (
    UnattributedAccount,
    closing_warnings,
    discovery_warnings,
    fix,
    unattributed_accounts,
    unattributed_warnings,
)
from beancount_freelance.core.revenue.concentration import (
    concentration,
)
from beancount_freelance.core.revenue.lifecycle import (
    ClientEvent,
    events_by_client,
    lifecycle,
)
from beancount_freelance.core.revenue.lines import Revenue, RevenueLine, revenue_lines
from beancount_freelance.core.revenue.portfolio import (
    ClientStream,
    Portfolio,
    Totals,
    revenue_sums,
)
from beancount_freelance.core.revenue.replacement import (
    LOOKBACK_MONTHS,
    History,
    Replacement,
    client_history,
    month_index,
    month_label,
    months_before,
    replacement,
    replacement_history,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.book import Client, ClientBook
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.question import Question

__all__ = [
    "NotActive",
    "UnknownClient",
    "analyse",
    "revenue_by_interval",
    "what_if",
]


class UnknownClient(ValueError):
    """`what_if` was asked about a client id the ledger does not know."""

    def __init__(self, client: str) -> None:
        super().__init__(f"Unknown client {quoted(client)}")
        self.client = client


class NotActive(ValueError):
    """`what_if` only applies to an active client."""

    def __init__(self, client: str, status: str) -> None:
        super().__init__(
            f"Client {quoted(client)} is {status}, not active: what-if applies to an "
            "active client"
        )
        self.client = client
        self.status = status


class _Tally:
    """Running sums of one client (or of the unattributed revenue)."""

    __slots__ = (
        "dates",
        "last_line",
        "months",
        "period",
        "selected",
        "shown",
        "t12m",
        "total",
    )

    def __init__(self) -> None:
        self.dates: set[datetime.date] = set()
        self.months: dict[int, Decimal] = {}  # all lines
        self.shown: dict[int, Decimal] = {}  # selected lines in the period
        self.total = ZERO
        self.period = ZERO
        self.t12m = ZERO
        self.selected = False
        self.last_line: RevenueLine | None = None


def analyse(question: Question) -> Portfolio:
    """Analyse a ledger's clients as the question asks (`question.ask`)."""
    scan, config, currency = question.scan, question.config, question.currency
    as_of, start, end, select = (
        question.as_of,
        question.start,
        question.end,
        question.select,
    )
    book = scan.book
    revenue = revenue_lines(
        scan.attributed,
        scan.rates,
        currency,
        as_of,
        hours=config.is_hours,
        vat=scan.vat,
    )
    tallies: dict[str, _Tally] = {client: _Tally() for client in book.clients}
    unattributed = _Tally()
    shown = _tally(revenue.lines, tallies, unattributed, as_of, start, end, select)
    tallies = _kept(tallies, _known_since(scan.opens, book), book, as_of)
    events = events_by_client(book.events, as_of)
    streams = _streams(tallies, events, question)
    history = _history(as_of, tallies)
    unattributed_by_account = unattributed_accounts(shown)
    # The evidence of receivables under other names, when advice is due.
    receivables = scan.receivable_like() if unattributed_by_account else ()
    return Portfolio(
        as_of=as_of,
        currency=currency,
        start=start,
        end=end,
        clients=tuple(streams),
        totals=_totals(streams, unattributed),
        concentration=concentration([(s.id, s.revenue_t12m) for s in streams]),
        replacements=_replacements(streams, events, history, start, end),
        warnings=_warnings(
            question, revenue, shown, unattributed_by_account, receivables
        ),
        lines=tuple(shown),
        history=history,
        replacement_history=replacement_history(streams, events, history),
        unattributed_accounts=unattributed_by_account,
        unattributed_fix=fix(unattributed_by_account, shown, config, receivables),
        vat_included=revenue.vat_included,
    )


def _kept(
    tallies: dict[str, _Tally],
    known: Mapping[str, datetime.date],
    book: ClientBook,
    as_of: datetime.date,
) -> dict[str, _Tally]:
    """The clients with revenue, those declared or known by `as_of`, prospects."""
    prospects = book.proposals.prospects_on(as_of)
    return {
        client: tally
        for client, tally in tallies.items()
        if tally.months
        or (client in known and known[client] <= as_of)
        or client in prospects
    }


def _streams(
    tallies: Mapping[str, _Tally],
    events: Mapping[str, tuple[LifecycleEvent, ...]],
    question: Question,
) -> list[ClientStream]:
    """Each client's stream, by trailing 12 months' revenue then id."""
    book, as_of = question.scan.book, question.as_of
    t12m_sum = sum((tally.t12m for tally in tallies.values()), ZERO)
    return sorted(
        (
            _stream(
                book.clients.get(client_id),
                client_id,
                tally,
                events.get(client_id, ()),
                as_of,
                t12m_sum,
                question.config,
                question.select is None,
            )
            for client_id, tally in tallies.items()
        ),
        key=lambda stream: (-stream.revenue_t12m, stream.id),
    )


def _warnings(
    question: Question,
    revenue: Revenue,
    shown: Sequence[RevenueLine],
    unattributed: Sequence[UnattributedAccount],
    receivables: Sequence[ReceivableLike] = (),
) -> tuple[FreelanceError, ...]:
    """The question's own, the income without client and the clients found from
    receivables, the amounts that could not be converted up to `as_of`."""
    warnings = list(question.warnings)
    warnings.extend(
        unattributed_warnings(
            unattributed, shown, question.currency, question.config, receivables
        )
    )
    warnings.extend(discovery_warnings(shown, question.scan.book, question.config))
    warnings.extend(closing_warnings(question.scan.closing, question.as_of))
    warnings.extend(question.scan.vat.problems)
    warnings.extend(
        w for w in revenue.warnings if w.entry is None or w.entry.date <= question.as_of
    )
    return tuple(warnings)


def _tally(
    lines: Iterable[RevenueLine],
    tallies: dict[str, _Tally],
    unattributed: _Tally,
    as_of: datetime.date,
    start: datetime.date | None,
    end: datetime.date | None,
    select: Callable[[RevenueLine], bool] | None,
) -> list[RevenueLine]:
    """Add every line up to `as_of` to its client's tally; return the shown lines.

    The one pass over all revenue lines: kept flat, as it runs once per posting.
    """
    t12m_after = months_before(as_of, 12)
    first_day = start or datetime.date.min
    last_day = end or datetime.date.max
    shown: list[RevenueLine] = []
    for line in lines:
        day = line.date
        if day > as_of:
            continue
        client = line.client
        if client is None:
            tally = unattributed
        else:
            tally = tallies.get(client) or tallies.setdefault(client, _Tally())
            tally.last_line = line
        amount = line.revenue
        month = day.year * 12 + day.month - 1  # replacement.month_index
        tally.months[month] = tally.months.get(month, ZERO) + amount
        if amount > 0:
            tally.dates.add(day)
        if select is not None and not select(line):
            continue
        shown.append(line)
        tally.selected = True
        tally.total += amount
        if day > t12m_after:
            tally.t12m += amount
        if first_day <= day <= last_day:
            tally.period += amount
            tally.shown[month] = tally.shown.get(month, ZERO) + amount
    return shown


def what_if(portfolio: Portfolio, client_id: str) -> Replacement:
    """The replacement numbers as if an active client were lost at `as_of`."""
    stream = next((c for c in portfolio.clients if c.id == client_id), None)
    if stream is None:
        raise UnknownClient(client_id)
    if stream.status != "active":
        raise NotActive(client_id, stream.status)
    return replacement(
        portfolio.history,
        client_id,
        portfolio.as_of,
        "what-if",
        recurring=stream.recurring,
    )


def revenue_by_interval(
    portfolio: Portfolio, intervals: Sequence[tuple[datetime.date, datetime.date]]
) -> dict[str, list[Decimal]]:
    """Client id -> its shown revenue in each `[begin, end)` interval, zeros kept.

    Intervals must not overlap (Fava's never do); unattributed lines are left out.
    """
    result = {stream.id: [ZERO] * len(intervals) for stream in portfolio.clients}
    order = sorted(range(len(intervals)), key=lambda index: intervals[index][0])
    begins = [intervals[index][0] for index in order]
    for line in portfolio.lines:
        position = bisect_right(begins, line.date) - 1
        if line.client is None or position < 0:
            continue
        index = order[position]
        if line.date < intervals[index][1]:
            result[line.client][index] += line.revenue
    return result


# --- One client --------------------------------------------------------------


def _stream(
    client: Client | None,
    client_id: str,
    tally: _Tally,
    events: tuple[LifecycleEvent, ...],
    as_of: datetime.date,
    t12m_sum: Decimal,
    config: Config,
    unfiltered: bool,
) -> ClientStream:
    dates = sorted(tally.dates)
    life = lifecycle(dates, events, as_of, config.dormant_after_days)
    source = client.source if client is not None else None
    if source is None and tally.last_line is not None:
        source = tally.last_line.entry.meta
    return ClientStream(
        id=client_id,
        name=client.name if client is not None else client_id,
        kind=client.kind if client is not None else None,
        status=life.status,
        start=life.start,
        end=life.end,
        last_revenue=life.last_revenue,
        tenure_months=life.tenure_months,
        cadence_days=life.cadence_days,
        recurring=life.recurring,
        revenue_total=tally.total,
        revenue_period=tally.period,
        revenue_t12m=tally.t12m,
        share_t12m=float(tally.t12m / t12m_sum) if t12m_sum > 0 else None,
        monthly={
            month_label(month): amount
            for month, amount in sorted(tally.shown.items())
            if amount != 0
        },
        events=tuple(ClientEvent(e.date, e.kind, e.note) for e in events),
        selected=unfiltered or tally.selected,
        source=source,
    )


# --- The portfolio -----------------------------------------------------------


def _known_since(opens: Iterable[Open], book: ClientBook) -> dict[str, datetime.date]:
    """When each client became known: its declaration, else its account's opening.

    A client known only after `as_of`, with no revenue by then, is left out.
    """
    since = {
        client.id: client.declared
        for client in book.clients.values()
        if client.declared is not None
    }
    for entry in opens:
        owner = book.owner_of(entry.account)
        if owner is not None and owner not in since:
            since[owner] = entry.date
    return since


def _history(as_of: datetime.date, tallies: Mapping[str, _Tally]) -> History:
    everyone: dict[int, Decimal] = {}
    for tally in tallies.values():
        for month, amount in tally.months.items():
            everyone[month] = everyone.get(month, ZERO) + amount
    clients = {
        client: client_history(client, sorted(tally.dates), tally.months, as_of)
        for client, tally in tallies.items()
    }
    firsts = [
        month_index(item.first_revenue)
        for item in clients.values()
        if item.first_revenue is not None
    ]
    return History(as_of, clients, everyone, min(firsts) if firsts else None)


def _totals(streams: Sequence[ClientStream], unattributed: _Tally) -> Totals:
    return Totals(
        revenue_total=sum((s.revenue_total for s in streams), ZERO),
        revenue_period=sum((s.revenue_period for s in streams), ZERO),
        revenue_t12m=sum((s.revenue_t12m for s in streams), ZERO),
        unattributed_total=unattributed.total,
        unattributed_period=unattributed.period,
        unattributed_t12m=unattributed.t12m,
        active_clients=sum(1 for s in streams if s.status == "active"),
        recurring=revenue_sums(streams, recurring=True),
        one_off=revenue_sums(streams, recurring=False),
    )


def _replacements(
    streams: Sequence[ClientStream],
    events: Mapping[str, tuple[LifecycleEvent, ...]],
    history: History,
    start: datetime.date | None,
    end: datetime.date | None,
) -> tuple[Replacement, ...]:
    """One per lost, or dormant and recurring, client ending in the period."""
    as_of = history.as_of
    after = None if start is not None else months_before(as_of, LOOKBACK_MONTHS)
    until = end if end is not None else as_of
    found = []
    for stream in streams:
        ended = stream.end
        if ended is None or not (
            stream.status == "lost" or (stream.status == "dormant" and stream.recurring)
        ):
            continue
        if (start is not None and ended < start) or (after and ended <= after):
            continue
        if ended > until:
            continue
        client_events = events.get(stream.id, ())
        if stream.status == "lost":
            note = client_events[-1].note if client_events else ""
            found.append(
                replacement(
                    history,
                    stream.id,
                    ended,
                    "lost",
                    note,
                    recurring=stream.recurring,
                )
            )
        else:
            found.append(replacement(history, stream.id, ended, "dormant"))
    return tuple(sorted(found, key=lambda item: (item.ended, item.client)))
