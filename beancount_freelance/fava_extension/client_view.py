"""The per-client view of the Clients page (`?client=<id>`).

Its headline is `page.client_headline`'s; here: the client's chart by month,
its events, its revenue transactions, its replacement (or its what-if while it
is active) and its receivables, all from the typed report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ledger.book import income_account_of
from beancount_freelance.core.revenue.setup import rules_by_client
from beancount_freelance.core.revenue.streams import revenue_by_interval
from beancount_freelance.fava_extension import page as sections
from beancount_freelance.fava_extension.filters import client_filter
from beancount_freelance.fava_extension.invoices import (
    ClientInvoices,
    client_invoices,
)
from beancount_freelance.fava_extension.navigation import (
    CLIENT_SECTIONS,
    NavLink,
    links,
)
from beancount_freelance.fava_extension.panel import PanelEntry, describe
from beancount_freelance.i18n import _
from beancount_freelance.text.rules import found_by_text

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.portfolio import ClientStream
    from beancount_freelance.fava_extension import Analysis

__all__ = ["MAX_BARS", "ClientView", "client_accounts", "client_view"]

#: Fava draws at most this many bars; so does the Clients page.
MAX_BARS = 100


@dataclass(frozen=True)
class ClientView:
    """The per-client view (`?client=<id>`)."""

    client: ClientStream
    chart: list[Any]
    events: tuple[sections.Event, ...]
    invoices: tuple[sections.RevenueEntry, ...]
    journal_filter: str
    account: str
    replacement: PanelEntry | None = None
    receivables: ClientInvoices | None = None
    navigation: tuple[NavLink, ...] = ()  # the row of links to its sections

    # By which rules its revenue was found, in words: `account (12)`.
    found_by: str = ""


def client_accounts(analysis: Analysis) -> dict[str | None, str]:
    book = analysis.book
    return {
        stream.id: (
            book.clients[stream.id].income_account
            if stream.id in book.clients
            else income_account_of(stream.id)
        )
        for stream in analysis.portfolio.clients
    }


def _replacement(
    analysis: Analysis,
    client: ClientStream,
    money: Callable[[Decimal], str],
    worded_what_if: Callable[[Analysis, str], PanelEntry],
) -> PanelEntry | None:
    """The client's replacement in the period, else its what-if when active."""
    found = analysis.report.replacement_of(client.id)
    if found is not None:
        return describe(found, client.name or client.id, money)
    if client.status == "active":
        return worded_what_if(analysis, client.id)
    return None


def client_view(
    analysis: Analysis,
    client: ClientStream,
    money: Callable[[Decimal], str],
    worded_what_if: Callable[[Analysis, str], PanelEntry],
) -> ClientView:
    """Everything the per-client view shows of `client`."""
    replacement = _replacement(analysis, client, money, worded_what_if)
    filters, report = analysis.filters, analysis.report
    portfolio = report.portfolio
    accounts = client_accounts(analysis)
    account = accounts.get(client.id, "")
    first = filters.start or client.start or portfolio.as_of
    last = filters.end or portfolio.as_of
    intervals = sections.month_intervals(first, last)[-MAX_BARS:]
    series = revenue_by_interval(portfolio, intervals).get(client.id, [])
    chart = sections.stacked_chart(
        _("Revenue by month"),
        {client.id: series} if series else {},
        intervals,
        {client.id: account},
        portfolio.currency,
    )
    ids = [c.id for c in portfolio.clients]
    last_paid = report.client_receivables(client.id).last_paid
    return ClientView(
        client=client,
        chart=chart,
        events=sections.client_events(client, analysis.book, last_paid),
        invoices=sections.client_invoices(
            portfolio.lines, client.id, (filters.start, filters.end)
        ),
        journal_filter=client_filter(client.id, ids, filters.filter),
        account=account,
        replacement=replacement,
        receivables=client_invoices(report, client, money),
        navigation=_navigation(report, client.id, replacement is not None),
        found_by=found_by_text(rules_by_client(portfolio.lines).get(client.id, ())),
    )


def _navigation(
    report: Report, client_id: str, replacement: bool
) -> tuple[NavLink, ...]:
    """The links to the sections the view draws (clients_page.html)."""
    hours = report.hours
    left_out = {
        "freelance-client-time": hours is None or hours.of(client_id) is None,
        "freelance-client-replacement": not replacement,
        "freelance-statement": not report.statement(client_id).statements,
    }
    return links(CLIENT_SECTIONS, {anchor for anchor, out in left_out.items() if out})
