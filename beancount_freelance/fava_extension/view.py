"""The Clients page as one value: every section the template draws.

`build_page` gathers the sections of `page`, `timeline` and `invoices` for one
request: headline, stacked chart, timeline, table, replacement panel and
what-if, receivables, or the per-client view when `?client=<id>` asks for it.
Unknown clients and filters that match nothing become messages on the page,
never errors.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fava.util.date import dateranges

from beancount_freelance.core.document import invoices_document
from beancount_freelance.core.ledger.book import income_account_of
from beancount_freelance.core.revenue.recurring import split_by_interval
from beancount_freelance.core.revenue.setup import rules_by_client
from beancount_freelance.core.revenue.streams import (
    NotActive,
    UnknownClient,
    revenue_by_interval,
)
from beancount_freelance.fava_extension import page as sections
from beancount_freelance.fava_extension.filters import PageFilters, client_filter
from beancount_freelance.fava_extension.invoices import (
    ClientInvoices,
    Receivables,
    client_invoices,
    receivables_section,
)
from beancount_freelance.fava_extension.panel import PanelEntry, describe
from beancount_freelance.fava_extension.plan import PlanSection, plan_section
from beancount_freelance.fava_extension.story import (
    FlagRule,
    KeyItem,
    StoryEntry,
    colour_key,
    flag_rules,
    story_entries,
)
from beancount_freelance.fava_extension.timeline import Timeline, build_timeline
from beancount_freelance.i18n import _, ngettext, short, translated
from beancount_freelance.text.rules import found_by_text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from decimal import Decimal

    from beancount_freelance.fava_extension import Analysis

#: Fava draws at most this many bars; so does the Clients page.
MAX_BARS = 100


@dataclass(frozen=True)
class ClientView:
    """The per-client view (`?client=<id>`)."""

    client: Mapping[str, Any]
    chart: list[Any]
    events: tuple[sections.Event, ...]
    invoices: tuple[sections.RevenueEntry, ...]
    journal_filter: str
    account: str
    replacement: PanelEntry | None = None
    receivables: ClientInvoices | None = None
    # By which rules its revenue was found, in words: `account (12)`.
    found_by: str = ""


@dataclass(frozen=True)
class ClientsPage:
    """Everything the Clients page shows for one request."""

    filters: PageFilters
    error: str | None = None
    empty: str | None = None
    document: Mapping[str, Any] = field(default_factory=dict)
    headline: tuple[sections.Figure, ...] = ()
    chart: list[Any] = field(default_factory=list)
    timeline: Timeline | None = None
    rows: tuple[sections.TableRow, ...] = ()
    panel: tuple[PanelEntry, ...] = ()
    what_if_options: tuple[tuple[str, str], ...] = ()
    what_if_id: str = ""
    what_if: PanelEntry | None = None
    what_if_error: str | None = None
    plan: PlanSection | None = None  # pipeline, targets, ceilings (plan.py)
    receivables: Receivables | None = None
    client_id: str = ""
    client: ClientView | None = None
    client_error: str | None = None
    warnings: tuple[str, ...] = ()
    # The story sections (story.py).
    flag_rules: tuple[FlagRule, ...] = ()
    history: tuple[StoryEntry, ...] = ()
    colour_key: tuple[KeyItem, ...] = ()

    @property
    def currency(self) -> str:
        return str(self.document.get("currency", ""))


def build_page(
    analysis: Analysis,
    *,
    interval: Any,
    filtered: Any,
    money: Callable[[Decimal], str],
    client_id: str,
    what_if_id: str,
    worded_what_if: Callable[[Analysis, str], PanelEntry],
    number: Callable[[Decimal], str] = str,
) -> ClientsPage:
    """Gather the sections of the page for one request."""
    document = analysis.document
    filters = analysis.filters
    shown = [c for c in document["clients"] if c.get("selected", True)]
    common: dict[str, Any] = {
        "filters": filters,
        "document": document,
        "warnings": tuple(translated(w) for w in document.get("warnings", ())),
        "client_id": client_id,
    }
    if client_id:
        return _client_page(analysis, common, client_id, money, worded_what_if)
    if not _has_revenue(analysis):
        unattributed_fix = analysis.portfolio.unattributed_fix
        empty = _empty_message(filters, unattributed_fix)
        if common["warnings"] and unattributed_fix is None:
            empty += " " + ngettext(
                "{count} amount could not be counted in {currency} (see the "
                "warnings below): choose its currency in Fava's conversion, or "
                "add prices to the ledger.",
                "{count} amounts could not be counted in {currency} (see the "
                "warnings below): choose their currency in Fava's conversion, or "
                "add prices to the ledger.",
                len(common["warnings"]),
            ).format(count=len(common["warnings"]), currency=document["currency"])
        return ClientsPage(empty=empty, **common)
    shown_document = {**document, "clients": shown}
    names = {c["id"]: c.get("name") or c["id"] for c in document["clients"]}
    what_if, what_if_error = None, None
    if what_if_id:
        try:
            what_if = worded_what_if(analysis, what_if_id)
        except ValueError as exc:
            what_if_error = what_if_problem(exc)
    accounts = _accounts(analysis)
    return ClientsPage(
        headline=sections.headline(shown_document, money, number),
        chart=_stacked_chart(analysis, interval, filtered),
        flag_rules=flag_rules(document, names),
        history=story_entries(
            document,
            names,
            lambda replacement, name: describe(replacement, name, money),
        ),
        colour_key=colour_key(
            {client: account for client, account in accounts.items() if client},
            names,
        ),
        timeline=build_timeline(shown_document, (filters.start, filters.end)),
        rows=sections.table_rows(shown_document),
        panel=tuple(
            describe(r, names.get(r["client"], r["client"]), money)
            for r in document.get("replacements", [])
        ),
        what_if_options=tuple(
            (c["id"], names[c["id"]]) for c in shown if c.get("status") == "active"
        ),
        what_if_id=what_if_id,
        what_if=what_if,
        what_if_error=what_if_error,
        plan=plan_section(document, money, names),
        receivables=receivables_section(document, shown),
        **common,
    )


def what_if_problem(exc: ValueError) -> str:
    """Why there is no what-if, in the page's language."""
    if isinstance(exc, NotActive):
        return _(
            "Client {client!r} is {status}, not active: what-if applies to an "
            "active client"
        ).format(client=exc.client, status=sections.status_text(exc.status))
    if isinstance(exc, UnknownClient):
        return _("Unknown client {client!r}").format(client=exc.client)
    return str(exc)


def _has_revenue(analysis: Analysis) -> bool:
    start = analysis.filters.start
    return any(
        line.client is not None and (start is None or line.date >= start)
        for line in analysis.portfolio.lines
    )


def _empty_message(filters: PageFilters, unattributed_fix: str | None) -> str:
    parts = []
    if filters.time:
        parts.append(_("the time filter {value!r}").format(value=short(filters.time)))
    if filters.account:
        parts.append(
            _("the account filter {value!r}").format(value=short(filters.account))
        )
    if filters.filter:
        parts.append(_("the filter {value!r}").format(value=short(filters.filter)))
    if not parts and unattributed_fix is not None:
        # The same fix as the first warning: the line the books need.
        return _("No revenue from clients in this ledger yet: {fix}.").format(
            fix=unattributed_fix
        )
    if not parts:
        return _(
            "No revenue from clients in this ledger yet. Book income to "
            "Income:Clients:<Name> accounts, or declare clients with "
            'custom "client" directives.'
        )
    return _("No revenue from clients matches {filters}.").format(
        filters=_(" and ").join(parts)
    )


def _accounts(analysis: Analysis) -> dict[str | None, str]:
    book = analysis.book
    return {
        stream.id: (
            book.clients[stream.id].income_account
            if stream.id in book.clients
            else income_account_of(stream.id)
        )
        for stream in analysis.portfolio.clients
    }


def _stacked_chart(analysis: Analysis, interval: Any, filtered: Any) -> list[Any]:
    intervals = [(r.begin, r.end) for r in last_ranges(filtered, interval)]
    by_client = revenue_by_interval(analysis.portfolio, intervals)
    accounts = _accounts(analysis)
    currency = analysis.portfolio.currency
    by_client_chart = sections.stacked_chart(
        _("Revenue by client"),
        {client: series for client, series in by_client.items() if any(series)},
        intervals,
        accounts,
        currency,
        every_account=sorted(set(accounts.values())),
    )
    # The same bars, split into recurring and one-off: Fava's chart switcher.
    recurring, one_off = split_by_interval(
        by_client, {c.id: c.recurring for c in analysis.portfolio.clients}
    )
    kinds: dict[str | None, str] = {
        "recurring": _("Recurring"),
        "one-off": _("One-off"),
    }
    split_chart = sections.stacked_chart(
        _("Recurring and one-off"),
        {"recurring": recurring, "one-off": one_off},
        intervals,
        kinds,
        currency,
        every_account=sorted(set(kinds.values())),
    )
    return by_client_chart + split_chart


def last_ranges(filtered: Any, interval: Any) -> list[Any]:
    """The last MAX_BARS of Fava's interval ranges for the filtered ledger.

    Found from the end of the period, so that a time filter of many years by
    day costs MAX_BARS steps, not one per day.
    """
    if filtered is None:  # Fava could not filter the ledger: no bars
        return []
    date_range = filtered.date_range
    if date_range is None:
        return list(deque(filtered.interval_ranges(interval), maxlen=MAX_BARS))
    begin, current = date_range.begin, date_range.end
    for _step in range(MAX_BARS):
        if current <= begin:
            break
        current = interval.get_prev(current - datetime.timedelta(days=1))
    ranges = dateranges(max(begin, current), date_range.end, interval, complete=False)
    return list(ranges)[-MAX_BARS:]


def _client_page(
    analysis: Analysis,
    common: dict[str, Any],
    client_id: str,
    money: Callable[[Decimal], str],
    worded_what_if: Callable[[Analysis, str], PanelEntry],
) -> ClientsPage:
    document = analysis.document
    client = next((c for c in document["clients"] if c["id"] == client_id), None)
    if client is None:
        known = ", ".join(c["id"] for c in document["clients"]) or "none"
        return ClientsPage(
            client_error=_(
                "There is no client {client!r} in this ledger. Known clients: {known}."
            ).format(client=short(client_id), known=known),
            **common,
        )
    return ClientsPage(
        client=_client_view(
            analysis,
            client,
            _replacement(analysis, client, money, worded_what_if),
            money,
        ),
        headline=sections.client_headline(client, money),
        **common,
    )


def _replacement(
    analysis: Analysis,
    client: Mapping[str, Any],
    money: Callable[[Decimal], str],
    worded_what_if: Callable[[Analysis, str], PanelEntry],
) -> PanelEntry | None:
    """The client's replacement in the period, else its what-if when active."""
    name = client.get("name") or client["id"]
    for replacement in analysis.document.get("replacements", []):
        if replacement["client"] == client["id"]:
            return describe(replacement, name, money)
    if client.get("status") == "active":
        return worded_what_if(analysis, client["id"])
    return None


def _client_view(
    analysis: Analysis,
    client: Mapping[str, Any],
    replacement: PanelEntry | None,
    money: Callable[[Decimal], str],
) -> ClientView:
    filters = analysis.filters
    portfolio = analysis.portfolio
    account = _accounts(analysis).get(client["id"], "")
    first = filters.start or _iso(client.get("start")) or portfolio.as_of
    last = filters.end or portfolio.as_of
    intervals = sections.month_intervals(first, last)[-MAX_BARS:]
    series = revenue_by_interval(portfolio, intervals).get(client["id"], [])
    chart = sections.stacked_chart(
        _("Revenue by month"),
        {client["id"]: series} if series else {},
        intervals,
        {client["id"]: account},
        portfolio.currency,
        every_account=sorted(set(_accounts(analysis).values())),
    )
    ids = [c["id"] for c in analysis.document["clients"]]
    return ClientView(
        client=client,
        chart=chart,
        events=sections.client_events(client, analysis.book),
        invoices=sections.client_invoices(
            portfolio.lines, client["id"], (filters.start, filters.end)
        ),
        journal_filter=client_filter(client["id"], ids, filters.filter),
        account=account,
        replacement=replacement,
        receivables=client_invoices(
            analysis.document,
            client,
            invoices_document(analysis.receivables, client["id"]),
            money,
        ),
        found_by=found_by_text(rules_by_client(portfolio.lines).get(client["id"], ())),
    )


def _iso(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None
