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
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fava.util.date import dateranges

from beancount_freelance.core.messages import short, warning_text
from beancount_freelance.core.money import cents, share, whole
from beancount_freelance.core.revenue.portfolio import split_by_interval
from beancount_freelance.core.revenue.streams import (
    NotActive,
    UnknownClient,
    revenue_by_interval,
)
from beancount_freelance.fava_extension import page as sections
from beancount_freelance.fava_extension.client_view import (
    MAX_BARS,
    ClientView,
    client_accounts,
    client_view,
)
from beancount_freelance.fava_extension.filters import PageFilters
from beancount_freelance.fava_extension.invoices import (
    ReceivablesSection,
    receivables_section,
)
from beancount_freelance.fava_extension.navigation import (
    PAGE_SECTIONS,
    NavLink,
    links,
)
from beancount_freelance.fava_extension.paging import STORY_ROWS
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
from beancount_freelance.fava_extension.streams_chart import top_streams
from beancount_freelance.fava_extension.timeline import Timeline, build_timeline
from beancount_freelance.i18n import _, ngettext, translated

if TYPE_CHECKING:
    from collections.abc import Callable

    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.replacement import Replacement
    from beancount_freelance.fava_extension import Analysis


@dataclass(frozen=True)
class ConcentrationSummary:
    """The concentration sentence's figures, rounded as the document rounds them."""

    hhi: int
    effective: Decimal | None
    top1_share: float | None
    top3_share: float | None


def concentration_summary(report: Report) -> ConcentrationSummary:
    found = report.portfolio.concentration
    effective = found.effective_clients
    return ConcentrationSummary(
        hhi=whole(found.hhi),
        effective=None if effective is None else sections.effective_decimal(effective),
        top1_share=share(found.top1_share),
        top3_share=share(found.top3_share),
    )


@dataclass(frozen=True)
class ClientsPage:
    """Everything the Clients page shows for one request."""

    filters: PageFilters
    error: str | None = None
    empty: str | None = None
    currency: str = ""
    as_of: str = ""  # empty: no analysis (a filter is wrong)
    headline: tuple[sections.Figure, ...] = ()
    chart: list[Any] = field(default_factory=list)
    timeline: Timeline | None = None
    rows: tuple[sections.TableRow, ...] = ()
    client_count: int = 0  # the clients shown, of which `rows` lists the first
    what_if_options: tuple[tuple[str, str], ...] = ()
    what_if_id: str = ""
    what_if: PanelEntry | None = None
    what_if_error: str | None = None
    plan: PlanSection | None = None  # pipeline, targets, ceilings (plan.py)
    receivables: ReceivablesSection | None = None
    client_id: str = ""
    client: ClientView | None = None
    client_error: str | None = None
    warnings: tuple[str, ...] = ()
    # The story sections (story.py).
    flag_rules: tuple[FlagRule, ...] = ()
    history: tuple[StoryEntry, ...] = ()  # the first of the losses (paging.py)
    history_count: int = 0  # every loss of the history
    colour_key: tuple[KeyItem, ...] = ()
    concentration: ConcentrationSummary | None = None
    recurring_period: Decimal = Decimal(0)  # the revenue split of the period
    one_off_period: Decimal = Decimal(0)
    navigation: tuple[NavLink, ...] = ()  # the row of links to the sections


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
    row_limit: int | None = None,
) -> ClientsPage:
    """Gather the sections of the page for one request."""
    report = analysis.report
    common: dict[str, Any] = {
        "filters": analysis.filters,
        "currency": report.currency,
        "as_of": report.as_of.isoformat(),
        "warnings": tuple(translated(warning_text(w)) for w in report.warnings),
        "client_id": client_id,
    }
    if client_id:
        return _client_page(analysis, common, client_id, money, worded_what_if)
    if not _has_revenue(analysis):
        empty = _empty_page_message(analysis, len(report.warnings))
        return ClientsPage(empty=empty, **common)
    what_if, what_if_error = None, None
    if what_if_id:
        try:
            what_if = worded_what_if(analysis, what_if_id)
        except ValueError as exc:
            what_if_error = what_if_problem(exc)
    return ClientsPage(
        what_if_id=what_if_id,
        what_if=what_if,
        what_if_error=what_if_error,
        **_sections(analysis, interval, filtered, money, number, row_limit),
        **common,
    )


def _sections(
    analysis: Analysis,
    interval: Any,
    filtered: Any,
    money: Callable[[Decimal], str],
    number: Callable[[Decimal], str],
    row_limit: int | None = None,
) -> dict[str, Any]:
    """The sections of the page of every client: one key of ClientsPage each."""
    report = analysis.report
    portfolio, names = report.portfolio, report.names
    shown = [c for c in portfolio.clients if c.selected]
    listed = shown[:row_limit]  # a page of thousands of clients lists the first
    chart, key = _stacked_chart(analysis, interval, filtered)
    # Every section is drawn but Time, which needs hours in the books.
    left_out = {"freelance-time"} if report.hours is None else set()

    def worded(replacement: Replacement, name: str) -> PanelEntry:
        return describe(replacement, name, money)

    return {
        "headline": sections.headline(report, shown, money, number),
        "chart": chart,
        "flag_rules": flag_rules(portfolio.concentration, names),
        "history": story_entries(
            portfolio, names, worded, None if row_limit is None else STORY_ROWS
        ),
        "history_count": len(portfolio.replacement_history),
        "colour_key": key,
        "timeline": build_timeline(
            listed, portfolio.as_of, (analysis.filters.start, analysis.filters.end)
        ),
        "rows": sections.table_rows(report, listed),
        "client_count": len(shown),
        "what_if_options": tuple(
            (c.id, names[c.id]) for c in listed if c.status == "active"
        ),
        "plan": plan_section(report, money),
        "receivables": receivables_section(report, shown),
        "navigation": links(PAGE_SECTIONS, left_out),
        "concentration": concentration_summary(report),
        "recurring_period": cents(portfolio.totals.recurring.revenue_period),
        "one_off_period": cents(portfolio.totals.one_off.revenue_period),
    }


def _empty_page_message(analysis: Analysis, warnings: int) -> str:
    unattributed_fix = analysis.portfolio.unattributed_fix
    empty = _empty_message(analysis.filters, unattributed_fix)
    if warnings and unattributed_fix is None:
        empty += " " + ngettext(
            "{count} amount could not be counted in {currency} (see the "
            "warnings below): choose its currency in Fava's conversion, or "
            "add prices to the ledger.",
            "{count} amounts could not be counted in {currency} (see the "
            "warnings below): choose their currency in Fava's conversion, or "
            "add prices to the ledger.",
            warnings,
        ).format(count=warnings, currency=analysis.portfolio.currency)
    return empty


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


def _stacked_chart(
    analysis: Analysis, interval: Any, filtered: Any
) -> tuple[list[Any], tuple[KeyItem, ...]]:
    """Fava's stacked charts of the streams, and the key of their colours.

    The top clients of the chart's span, the others as one series
    (streams_chart.py); every series of the chart in the key.
    """
    intervals = [(r.begin, r.end) for r in last_ranges(filtered, interval)]
    by_client = revenue_by_interval(analysis.portfolio, intervals)
    chosen = top_streams(
        {client: series for client, series in by_client.items() if any(series)},
        client_accounts(analysis),
    )
    currency = analysis.portfolio.currency
    by_client_chart = sections.stacked_chart(
        _("Revenue by client"),
        chosen.series,
        intervals,
        chosen.accounts,
        currency,
        every_account=sorted(set(chosen.accounts.values())),
    )
    names = analysis.report.names
    # The others (or the revenue of no client) under "" in the key: no link.
    key = colour_key(
        {client or "": account for client, account in chosen.accounts.items()},
        {**names, "": chosen.accounts[None] if chosen.others else _("(no client)")},
        {"": tuple(names.get(c, c) for c in chosen.others)},
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
    return by_client_chart + split_chart, key


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
    report = analysis.report
    client = report.client(client_id)
    if client is None:
        known = ", ".join(c.id for c in report.portfolio.clients) or "none"
        return ClientsPage(
            client_error=_(
                "There is no client {client!r} in this ledger. Known clients: {known}."
            ).format(client=short(client_id), known=known),
            **common,
        )
    return ClientsPage(
        client=client_view(analysis, client, money, worded_what_if),
        headline=sections.client_headline(report, client, money),
        **common,
    )
