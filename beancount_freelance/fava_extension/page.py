"""The Clients page, section by section, from the analysis document.

Each function turns the JSON document (docs/metrics.md) (and, for the chart and the
per-client view, the Portfolio it came from) into what one section of the page
shows. Numbers are taken from the document as they are; this module chooses
words, order and layout only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fava.core.charts import DateAndBalanceWithBudget
from fava.core.inventory import SimpleCounterInventory
from fava.internal_api import BarChart

from beancount_freelance.fava_extension.panel import open_gap, percent

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from beancount_freelance.core.clients import ClientBook
    from beancount_freelance.core.revenue import RevenueLine

Interval = tuple[datetime.date, datetime.date]


@dataclass(frozen=True)
class Figure:
    """One headline figure."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class TableRow:
    """One client in the client table, with the values to sort by."""

    id: str
    name: str
    status: str
    since: str
    until: str
    tenure: int | None
    revenue_period: Decimal
    revenue_t12m: Decimal
    share: float | None
    last_payment: str


@dataclass(frozen=True)
class Event:
    """Something that happened in one relationship."""

    date: str
    what: str
    note: str = ""


@dataclass(frozen=True)
class Invoice:
    """One transaction that brought a client revenue."""

    date: str
    payee: str
    narration: str
    links: tuple[str, ...]
    amount: Decimal
    entry: Any


def amount(value: Any) -> Decimal:
    """An amount of the document ("300.00") as a Decimal (0 when missing)."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def headline(
    document: Mapping[str, Any], money: Callable[[Decimal], str]
) -> tuple[Figure, ...]:
    """The six figures at the top of the page."""
    clients = document.get("clients", [])
    totals = document.get("totals", {})
    concentration = document.get("concentration", {})
    active = sum(1 for client in clients if client.get("status") == "active")
    top = next((c for c in clients if c.get("share_t12m")), None)
    effective = concentration.get("effective_clients")
    replacements = document.get("replacements", [])
    gap = open_gap(replacements)
    period = document.get("period") or {}
    since = period.get("start") or "all revenue"
    return (
        Figure("Active clients", str(active), f"of {len(clients)} in the ledger"),
        Figure(
            "Revenue in period",
            money(amount(totals.get("revenue_period"))),
            f"{since} to {period.get('end') or document.get('as_of')}",
        ),
        Figure(
            "Trailing 12 months",
            money(amount(totals.get("revenue_t12m"))),
            f"to {document.get('as_of')}",
        ),
        Figure(
            "Top client share",
            percent(concentration.get("top1_share")),
            top["name"] if top else "no revenue in the last 12 months",
        ),
        Figure(
            "Effective clients",
            f"{float(effective):.1f}" if effective is not None else "—",
            "as many equal clients would spread the risk as much",
        ),
        Figure(
            "Open replacement gap",
            f"{money(gap)} / month",
            f"{len(replacements)} client(s) lost or gone quiet in the period",
        ),
    )


def client_headline(
    client: Mapping[str, Any], money: Callable[[Decimal], str]
) -> tuple[Figure, ...]:
    """The figures at the top of the per-client view."""
    cadence = client.get("cadence_days")
    tenure = client.get("tenure_months")
    return (
        Figure("Status", str(client.get("status")), _span_note(client)),
        Figure(
            "Tenure",
            f"{tenure} months" if tenure is not None else "—",
            f"paid every {cadence} days" if cadence is not None else "",
        ),
        Figure("Revenue in period", money(amount(client.get("revenue_period")))),
        Figure("Trailing 12 months", money(amount(client.get("revenue_t12m")))),
        Figure("Share of 12 months", percent(client.get("share_t12m"))),
        Figure("Lifetime", money(amount(client.get("revenue_total")))),
    )


def _span_note(client: Mapping[str, Any]) -> str:
    since = client.get("start")
    if not since:
        return "no revenue yet"
    return f"{since} → {client.get('end') or 'now'}"


def table_rows(document: Mapping[str, Any]) -> tuple[TableRow, ...]:
    """The client table, in the document's order (largest first)."""
    return tuple(
        TableRow(
            id=client["id"],
            name=client.get("name") or client["id"],
            status=client.get("status", ""),
            since=client.get("start") or "",
            until=client.get("end") or "",
            tenure=client.get("tenure_months"),
            revenue_period=amount(client.get("revenue_period")),
            revenue_t12m=amount(client.get("revenue_t12m")),
            share=client.get("share_t12m"),
            last_payment=client.get("last_revenue") or "",
        )
        for client in document.get("clients", [])
    )


def stacked_chart(
    label: str,
    by_client: Mapping[str | None, Sequence[Decimal]],
    intervals: Sequence[Interval],
    accounts: Mapping[str | None, str],
    currency: str,
) -> list[Any]:
    """Fava's bar chart: one bar per interval, stacked by client account."""
    data = []
    for index, (_, end) in enumerate(intervals):
        account_balances: dict[str, SimpleCounterInventory] = {}
        total = Decimal(0)
        for client, series in by_client.items():
            value = series[index]
            total += value
            if value:
                account = accounts.get(client) or "Income:(no client)"
                account_balances[account] = SimpleCounterInventory({currency: value})
        data.append(
            DateAndBalanceWithBudget(
                end - datetime.timedelta(days=1),
                SimpleCounterInventory({currency: total}),
                account_balances,
                {},
            )
        )
    return [BarChart(label, data)]


def month_intervals(first: datetime.date, last: datetime.date) -> list[Interval]:
    """Calendar months from the month of `first` to the month of `last`."""
    intervals: list[Interval] = []
    begin = datetime.date(first.year, first.month, 1)
    while begin <= last:
        year, month = divmod(begin.month, 12)
        try:
            end = datetime.date(begin.year + year, month + 1, 1)
        except ValueError:  # December 9999: the last month there is
            intervals.append((begin, datetime.date.max))
            break
        intervals.append((begin, end))
        begin = end
    return intervals


def client_events(client: Mapping[str, Any], book: ClientBook) -> tuple[Event, ...]:
    """The declaration, first and last revenue, losses and returns of a client."""
    events: list[Event] = []
    declared = book.clients.get(client["id"])
    if declared is not None and declared.declared is not None:
        events.append(Event(declared.declared.isoformat(), "declared"))
    if client.get("start"):
        events.append(Event(client["start"], "first payment"))
    for event in client.get("events", ()):
        what = "lost" if event["kind"] == "lost" else "came back"
        events.append(Event(event["date"], what, event.get("note") or ""))
    if client.get("last_revenue"):
        events.append(Event(client["last_revenue"], "last payment"))
    if client.get("status") == "dormant" and client.get("end"):
        events.append(Event(client["end"], "gone quiet since"))
    return tuple(sorted(events, key=lambda event: event.date))


def client_invoices(
    lines: Sequence[RevenueLine],
    client_id: str,
    period: tuple[datetime.date | None, datetime.date | None],
) -> tuple[Invoice, ...]:
    """The client's transactions in the period, newest first, one per entry.

    `lines` are the analysis' shown lines: Fava's filters are already applied.
    """
    start, end = period
    totals: dict[int, Decimal] = {}
    entries: dict[int, RevenueLine] = {}
    for line in lines:
        if line.client != client_id:
            continue
        if (start and line.date < start) or (end and line.date > end):
            continue
        key = id(line.entry)
        totals[key] = totals.get(key, Decimal(0)) + line.revenue
        entries.setdefault(key, line)
    invoices = [
        Invoice(
            date=line.date.isoformat(),
            payee=line.entry.payee or "",
            narration=line.entry.narration or "",
            links=tuple(sorted(line.entry.links or ())),
            amount=totals[key],
            entry=line.entry,
        )
        for key, line in entries.items()
    ]
    return tuple(sorted(invoices, key=lambda invoice: invoice.date, reverse=True))
