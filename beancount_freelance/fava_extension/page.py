"""The Clients page, section by section, from the typed report.

Each function turns the `Report` (its `ClientStream`s, totals, receivables)
into what one section of the page shows. Numbers are the core's, rounded as
the document rounds them; this module chooses words, order and layout only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fava.core.charts import DateAndBalanceWithBudget
from fava.core.inventory import SimpleCounterInventory
from fava.internal_api import BarChart

from beancount_freelance.core.money import cents, share, whole_days
from beancount_freelance.fava_extension.panel import percent
from beancount_freelance.i18n import _, ngettext

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.portfolio import ClientStream

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
    last_payment: str  # the last revenue (an invoice's date in accrual books)
    recurring: bool = False
    last_paid: str = ""  # money received, when the receivables know it


@dataclass(frozen=True)
class Event:
    """Something that happened in one relationship."""

    date: str
    what: str
    note: str = ""


@dataclass(frozen=True)
class RevenueEntry:
    """One transaction that brought a client revenue."""

    date: str
    payee: str
    narration: str
    links: tuple[str, ...]
    amount: Decimal
    entry: Any


def iso(value: datetime.date | None) -> str:
    """A date as the page writes it; "" for none."""
    return value.isoformat() if value is not None else ""


def headline(
    report: Report,
    shown: Sequence[ClientStream],
    money: Callable[[Decimal], str],
    number: Callable[[Decimal], str] = str,
) -> tuple[Figure, ...]:
    """The figures at the top of the page (`number` formats a plain number)."""
    portfolio = report.portfolio
    totals, concentration = portfolio.totals, portfolio.concentration
    top = next((c for c in shown if share(c.share_t12m)), None)
    effective = concentration.effective_clients
    since = iso(portfolio.start)
    until = iso(portfolio.end) or portfolio.as_of.isoformat()
    period = (
        _("{since} to {until}").format(since=since, until=until)
        if since
        else _("all revenue to {until}").format(until=until)
    )
    return (
        Figure(
            _("Active clients"),
            str(totals.active_clients),
            ngettext(
                "of {count} client in the ledger",
                "of {count} clients in the ledger",
                len(shown),
            ).format(count=len(shown)),
        ),
        Figure(
            _("Revenue in period"),
            money(cents(totals.revenue_period)),
            period,
        ),
        Figure(
            _("Trailing 12 months"),
            money(cents(totals.revenue_t12m)),
            _("to {as_of}").format(as_of=portfolio.as_of),
        ),
        Figure(
            _("Recurring, 12 months"),
            money(cents(totals.recurring.revenue_t12m)),
            _("one-off: {amount}").format(
                amount=money(cents(totals.one_off.revenue_t12m))
            ),
        ),
        Figure(
            _("Top client share"),
            percent(share(concentration.top1_share)),
            top.name if top else _("no revenue in the last 12 months"),
        ),
        Figure(
            _("Effective clients"),
            number(effective_decimal(effective)) if effective is not None else "—",
            _("as many equal clients would spread the risk as much"),
        ),
        _gap_figure(report, money),
    )


def effective_decimal(effective: float) -> Decimal:
    """Effective clients to 2 decimals, as the document rounds them."""
    return Decimal(repr(round(effective, 2)))


def _gap_figure(report: Report, money: Callable[[Decimal], str]) -> Figure:
    count = len(report.portfolio.replacements)
    return Figure(
        _("Open replacement gap"),
        _("{amount} / month").format(
            amount=money(cents(report.plan.pipeline.open_gap))
        ),
        ngettext(
            "{count} client lost or gone quiet in the period",
            "{count} clients lost or gone quiet in the period",
            count,
        ).format(count=count),
    )


def client_headline(
    report: Report, client: ClientStream, money: Callable[[Decimal], str]
) -> tuple[Figure, ...]:
    """The figures at the top of the per-client view."""
    tenure = client.tenure_months
    figures = [
        Figure(_("Status"), status_text(client.status), _span_note(client)),
        Figure(
            _("Tenure"),
            ngettext("{count} month", "{count} months", tenure).format(count=tenure)
            if tenure is not None
            else "—",
            rhythm_text(report, client),
        ),
        Figure(_("Revenue in period"), money(cents(client.revenue_period))),
        Figure(_("Trailing 12 months"), money(cents(client.revenue_t12m))),
        Figure(_("Share of 12 months"), percent(share(client.share_t12m))),
        Figure(_("Lifetime"), money(cents(client.revenue_total))),
        Figure(_("Last revenue"), iso(client.last_revenue) or "—"),
    ]
    last_paid = report.client_receivables(client.id).last_paid
    if last_paid:
        figures.append(Figure(_("Last paid"), last_paid.isoformat()))
    return tuple(figures)


def rhythm_text(report: Report, client: ClientStream) -> str:
    """How often revenue comes: invoiced (invoices in the books) or booked."""
    cadence = whole_days(client.cadence_days)
    if cadence is None:
        return ""
    if report.client_receivables(client.id).invoices:
        return _("invoiced every {days} days (median)").format(days=cadence)
    return _("revenue every {days} days (median)").format(days=cadence)


def status_text(status: str) -> str:
    """A status of the document in the page's words."""
    words = {
        "active": _("active"),
        "dormant": _("dormant"),
        "lost": _("lost"),
        "prospect": _("prospect"),
    }
    return words.get(status, status)


def invoice_status_text(status: str) -> str:
    """An invoice's status of the document in the page's words."""
    words = {
        "paid": _("paid"),
        "open": _("open"),
        "overdue": _("overdue"),
        "cancelled": _("cancelled"),
        "written_off": _("written off"),
    }
    return words.get(status, status)


def kind_text(recurring: bool | None) -> str:
    return _("recurring") if recurring else _("one-off")


def _span_note(client: ClientStream) -> str:
    if client.start is None:
        return _("no revenue yet")
    until = iso(client.end) or _("now")
    return f"{client.start} → {until}"


def table_rows(report: Report, shown: Sequence[ClientStream]) -> tuple[TableRow, ...]:
    """The client table, in the report's order (largest first)."""
    return tuple(
        TableRow(
            id=client.id,
            name=client.name or client.id,
            status=client.status,
            since=iso(client.start),
            until=iso(client.end),
            tenure=client.tenure_months,
            revenue_period=cents(client.revenue_period),
            revenue_t12m=cents(client.revenue_t12m),
            share=share(client.share_t12m),
            last_payment=iso(client.last_revenue),
            recurring=client.recurring,
            last_paid=iso(report.client_receivables(client.id).last_paid),
        )
        for client in shown
    )


def stacked_chart(
    label: str,
    by_client: Mapping[str | None, Sequence[Decimal]],
    intervals: Sequence[Interval],
    accounts: Mapping[str | None, str],
    currency: str,
    every_account: Sequence[str] = (),
) -> list[Any]:
    """Fava's bar chart: one bar per interval, stacked by client account.

    Fava colours the stacks by the chart's sorted accounts: `every_account`
    (every client's, at zero in the first bar) keeps each client's colour the
    same in every chart of the page (story.colour_key). Amounts to the cent,
    as every amount of the page.
    """
    data = []
    for index, (_begin, end) in enumerate(intervals):
        account_balances: dict[str, SimpleCounterInventory] = {}
        total = Decimal(0)
        for client, series in by_client.items():
            value = series[index]
            total += value
            if value:
                account = accounts.get(client) or "Income:(no client)"
                account_balances[account] = SimpleCounterInventory(
                    {currency: cents(value)}
                )
        if index == 0:
            for account in every_account:
                account_balances.setdefault(
                    account, SimpleCounterInventory({currency: Decimal(0)})
                )
        data.append(
            DateAndBalanceWithBudget(
                end - datetime.timedelta(days=1),
                SimpleCounterInventory({currency: cents(total)}),
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


def client_events(
    client: ClientStream, book: ClientBook, last_paid: datetime.date | None
) -> tuple[Event, ...]:
    """The declaration, first and last revenue, losses and returns of a client."""
    events: list[Event] = []
    declared = book.clients.get(client.id)
    if declared is not None and declared.declared is not None:
        events.append(Event(declared.declared.isoformat(), _("declared")))
    if client.start:
        events.append(Event(client.start.isoformat(), _("first revenue")))
    for event in client.events:
        what = _("lost") if event.kind == "lost" else _("came back")
        events.append(Event(event.date.isoformat(), what, event.note or ""))
    if client.last_revenue:
        events.append(Event(client.last_revenue.isoformat(), _("last revenue")))
    if last_paid:
        events.append(Event(last_paid.isoformat(), _("last paid")))
    if client.status == "dormant" and client.end:
        events.append(Event(client.end.isoformat(), _("gone quiet since")))
    return tuple(sorted(events, key=lambda event: event.date))


def client_invoices(
    lines: Sequence[RevenueLine],
    client_id: str,
    period: tuple[datetime.date | None, datetime.date | None],
) -> tuple[RevenueEntry, ...]:
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
        RevenueEntry(
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
