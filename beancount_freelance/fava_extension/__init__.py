"""The Fava "Clients" page.

Enabled by `custom "fava-extension" "beancount_freelance.fava_extension"`, the
class `FreelanceClients` serves the page `/<slug>/extension/FreelanceClients/` and
two read-only JSON endpoints: `report` (the JSON document of docs/metrics.md
for the current filters, as `bean-clients report --json` prints it) and
`what_if` (one active client's replacement, worded as the page words it). The
typed report (`report.analyse_report`) is asked of all of the ledger's entries
with Fava's filters turned into a period, a currency and a selection of revenue
lines, and cached until the ledger or the filters change; the page's sections
read its typed parts, each computed when first asked for, and only the
endpoints turn it into JSON (`core.document`).
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fava.application import url_for as fava_url_for
from fava.context import g
from fava.ext import FavaExtensionBase, FavaExtensionError, extension_endpoint
from flask import Response, current_app, request
from flask_babel import (  # type: ignore[import-untyped]  # no type hints
    Domain,
    get_locale,
)
from markupsafe import Markup

from beancount_freelance import i18n
from beancount_freelance.core.ahead.forecast import NoRunRate
from beancount_freelance.core.document.report import endpoint_document
from beancount_freelance.core.document.streams import replacement_document
from beancount_freelance.core.report import analyse_report
from beancount_freelance.core.revenue import streams
from beancount_freelance.fava_extension.cells import PageLinks, days_cell, share_cell
from beancount_freelance.fava_extension.collector import collector_paused
from beancount_freelance.fava_extension.filters import (
    PageFilters,
    filtered_or_none,
    read_filters,
    revenue_selector,
)
from beancount_freelance.fava_extension.movements import (
    MovementsSection,
    movements_section,
)
from beancount_freelance.fava_extension.outlook import OutlookSection, build_outlook
from beancount_freelance.fava_extension.page import (
    invoice_status_text,
    kind_text,
    status_text,
)
from beancount_freelance.fava_extension.paging import (
    CLIENT_ROWS,
    STORY_ROWS,
    without_indentation,
)
from beancount_freelance.fava_extension.panel import PanelEntry, describe
from beancount_freelance.fava_extension.reminders import (
    reminder_answer,
    reminder_draft,
)
from beancount_freelance.fava_extension.snapshot import Books, books_of, pinned_books
from beancount_freelance.fava_extension.time_section import (
    TimeRow,
    TimeSection,
    cents,
    client_hours,
    time_section,
)
from beancount_freelance.fava_extension.view import ClientsPage, build_page

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from decimal import Decimal

    from fava.core import FavaLedger

    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.receivables.analysis import ReceivablesAsOf
    from beancount_freelance.core.receivables.reminders import Reminders
    from beancount_freelance.core.receivables.statements import Statements
    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.portfolio import Portfolio
    from beancount_freelance.core.revenue.replacement import Replacement

__all__ = ["FreelanceClients"]

_CACHE_SIZE = 16
_PAGE_CACHE_SIZE = 4  # rendered pages: up to 3 MB each with a thousand clients
#: Rows a long list of the page shows unless `rows=all` is asked.
ROW_LIMIT = 50


@dataclass(frozen=True)
class Analysis:
    """One analysis of the ledger for one set of filters."""

    filters: PageFilters
    report: Report  # its parts computed when a view first asks for them

    @property
    def portfolio(self) -> Portfolio:
        return self.report.portfolio

    @property
    def receivables(self) -> ReceivablesAsOf:
        return self.report.receivables

    @property
    def book(self) -> ClientBook:
        return self.report.book


class FreelanceClients(FavaExtensionBase):
    """Who pays you, how much, month after month: the Clients page."""

    report_title = "Clients"
    has_js_module = True

    ledger: FavaLedger

    def __init__(self, ledger: FavaLedger, config: Any = None) -> None:
        # Fava would parse the string itself, and a ValueError there stops Fava:
        # the extension takes no configuration, and says so if it is given one.
        super().__init__(ledger, None)
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Analysis] = OrderedDict()
        self._pages: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
        self.config_problem = config_problem(config)
        # The books of the last load: each request pins the one it starts with.
        self._books: Books | None = None
        self._outlook: tuple[tuple[int, str, str], Analysis, OutlookSection] | None = (
            None
        )
        self._movements: tuple[tuple[int, str], Analysis, MovementsSection] | None = (
            None
        )
        # The extension's own catalogue, in the language Fava chose (its
        # `language` option, else the browser's): Flask-Babel picks the locale.
        self.translations = Domain(str(i18n.LOCALE_DIR), domain=i18n.DOMAIN)

    def after_load_file(self) -> None:
        """The ledger changed: forget every analysis, check the extension's line."""
        self._books = books_of(self.ledger)
        with self._lock:
            self._cache.clear()
            self._pages.clear()
            # Nothing of the previous version is kept past its load.
            self._outlook = None
            self._movements = None
        # Fava makes the extension once: the line is read again on every load.
        self.config_problem = None
        for entry in self.ledger.all_entries_by_type.Custom:
            values = entry.values
            if entry.type != "fava-extension" or not values:
                continue
            if values[0].value != __name__:
                continue
            given = [value.value for value in values[1:]]
            problem = config_problem(given[0] if len(given) == 1 else tuple(given))
            if problem is not None:
                self.config_problem = problem
                self.ledger.extensions.errors.append(
                    FavaExtensionError(entry.meta, problem, entry)
                )

    # --- The books of the request, and the analysis, cached --------------------

    def books(self) -> Books:
        """The version of the books this request reads (snapshot.py)."""
        return pinned_books(self, lambda: self._books or books_of(self.ledger))

    def analysis(self, filters: PageFilters) -> Analysis:
        """The analysis for these filters; computed once per ledger version."""
        books = self.books()
        key = (books.mtime, id(books.all_entries), *filters.key)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        result = self._analyse(books, filters)
        with self._lock:
            self._cache[key] = result
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return result

    def _analyse(self, books: Books, filters: PageFilters) -> Analysis:
        select = revenue_selector(books, filters)
        report = analyse_report(
            books.all_entries,
            books.options,
            currency=filters.currency,
            start=filters.start,
            end=filters.end,
            select=select,
        )
        return Analysis(filters, report)

    def money(self, currency: str) -> Callable[[Decimal], str]:
        """Format an amount as Fava does, followed by its currency."""
        format_decimal = self.ledger.format_decimal

        def formatted(value: Decimal) -> str:
            return f"{format_decimal(value, currency)} {currency}"

        return formatted

    # --- The page ------------------------------------------------------------

    def page(self) -> ClientsPage:
        """Everything the template shows, for the current request."""
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return ClientsPage(filters=filters, error=filters.error)
        analysis = self.analysis(filters)
        return build_page(
            analysis,
            interval=g.interval,
            filtered=filtered_or_none(self.books(), filters),
            money=self.money(analysis.portfolio.currency),
            client_id=_text_arg("client"),
            what_if_id=_text_arg("what_if"),
            worded_what_if=self.worded_what_if,
            number=self.ledger.format_decimal,
            row_limit=self.client_rows(),
        )

    def outlook(self) -> OutlookSection | None:
        """At risk, survival and forecast (`?forecast_without=<id>`: its what-if)."""
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return None
        analysis = self.analysis(filters)
        without = _text_arg("forecast_without")
        # The page asks twice (at risk above the table, the rest below it);
        # its sentences are in the request's language.
        key = (id(analysis), without, str(get_locale()))
        last = self._outlook
        if last is not None and last[0] == key and last[1] is analysis:
            return last[2]
        found = build_outlook(
            analysis.report, self.money(analysis.report.currency), without
        )
        self._outlook = (key, analysis, found)
        return found

    def movements(self) -> MovementsSection | None:
        """What moved the revenue in the time filter's quarters; the cohorts.

        Kept with its analysis, in the request's language, as the outlook is.
        """
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return None
        analysis = self.analysis(filters)
        key = (id(analysis), str(get_locale()))
        last = self._movements
        if last is not None and last[0] == key and last[1] is analysis:
            return last[2]
        report = analysis.report
        found = movements_section(
            report.movements, report.cohorts, self.money(report.currency)
        )
        self._movements = (key, analysis, found)
        return found

    def time(self) -> TimeSection | None:
        """The Time section (templates/time_section.html); None without hours."""
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return None
        report = self.analysis(filters).report
        return time_section(
            report.hours,
            report.replacement_hours,
            report.names,
            cents(report.currency),
            self.translations.gettext("(no client)"),
        )

    def client_time(self, client_id: str) -> TimeRow | None:
        """A client's hours for its view; None when it has none."""
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return None
        report = self.analysis(filters).report
        return client_hours(report.hours, client_id, cents(report.currency))

    share = staticmethod(share_cell)
    days = staticmethod(days_cell)
    status_text = staticmethod(status_text)
    kind_text = staticmethod(kind_text)
    invoice_status_text = staticmethod(invoice_status_text)

    def row_limit(self) -> int | None:
        """How many rows a long list shows: all of them with `rows=all`.

        A ledger with thousands of open invoices would otherwise make a page of
        megabytes; the most important rows come first in every list.
        """
        return None if _text_arg("rows") == "all" else ROW_LIMIT

    def client_rows(self) -> int | None:
        """How many rows a list of clients shows: all of them with `rows=all`."""
        return None if _text_arg("rows") == "all" else CLIENT_ROWS

    def story_rows(self) -> int | None:
        """How many stories of lost clients the page tells: all with `rows=all`."""
        return None if _text_arg("rows") == "all" else STORY_ROWS

    def all_rows_url(self) -> str:
        """This page with every row of its lists shown."""
        args = request.args.to_dict()
        args["rows"] = "all"
        return f"{request.path}?{urlencode(args)}"

    def render_page(self) -> Markup:
        """The page's HTML (templates/clients_page.html), rendered once per query.

        Everything on the page follows from the ledger, the query string (the
        filters, `interval`, `conversion`, `client`, `what_if`) and, through
        the default period, today's date: a page asked for again with all
        three unchanged is the one already rendered. The last few are kept; a
        new load of the ledger forgets them.
        """
        books = self.books()
        key = (
            books.mtime,
            id(books.all_entries),
            request.query_string,
            datetime.date.today(),
            str(get_locale()),
        )
        with self._lock:
            cached = self._pages.get(key)
            if cached is not None:
                self._pages.move_to_end(key)
                return cached
        template = self.jinja_env.get_template("clients_page.html")
        # Fava's `_` stays Fava's: the page's own words come as `tr`/`trn`.
        with self.speaking(), collector_paused():
            html = Markup(
                without_indentation(
                    template.render(
                        ledger=self.ledger,
                        extension=self,
                        tr=self.translations.gettext,
                        trn=self.translations.ngettext,
                    )
                )
            )
        with self._lock:
            self._pages[key] = html
            while len(self._pages) > _PAGE_CACHE_SIZE:
                self._pages.popitem(last=False)
        return html

    def speaking(self) -> AbstractContextManager[None]:
        """The package's words (sentences, labels) in the request's language."""
        return i18n.using(self.translations.get_translations())

    def links(self) -> PageLinks:
        """The page's links to a client and to an invoice's journal."""
        return PageLinks(self.name)

    def json_url(self) -> str:
        """The address of the `report` endpoint, with the page's filters."""
        page_url = fava_url_for("extension_report", extension_name=self.name)
        path, _, query = page_url.partition("?")
        return f"{path}report" + (f"?{query}" if query else "")

    def worded_what_if(self, analysis: Analysis, client_id: str) -> PanelEntry:
        """The what-if of one active client, in words (raises ValueError)."""
        return self._worded(analysis, analysis.report.what_if(client_id))

    def _worded(self, analysis: Analysis, replacement: Replacement) -> PanelEntry:
        """One replacement in the page's words, with the client's name."""
        report = analysis.report
        name = report.names[replacement.client]
        return describe(replacement, name, self.money(report.currency))

    # --- JSON endpoints (GET only) -------------------------------------------

    @extension_endpoint
    def report(self) -> Response:
        """The JSON document for the current filters (`?what_if=` adds one)."""
        with collector_paused():
            return self._report()

    def _report(self) -> Response:
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return _json({"error": filters.error}, 400)
        report = self.analysis(filters).report
        what_if, without = None, None
        if client_id := _text_arg("what_if"):
            try:
                what_if = report.what_if(client_id)
            except (streams.UnknownClient, streams.NotActive) as exc:
                return _json({"error": str(exc)}, 404)
        if client_id := _text_arg("forecast_without"):
            try:
                without = report.forecast_without(client_id)
            except NoRunRate as exc:
                return _json({"error": str(exc)}, 404)
        document = endpoint_document(report, what_if=what_if, forecast_without=without)
        return _json(document, 200)

    @extension_endpoint
    def what_if(self) -> Response:
        """One active client's replacement, as numbers and as the page's words."""
        filters = read_filters(self.books(), request.args)
        if filters.error:
            return _json({"error": filters.error}, 400)
        analysis = self.analysis(filters)
        client_id = _text_arg("client")
        try:
            replacement = analysis.report.what_if(client_id)
        except (streams.UnknownClient, streams.NotActive) as exc:
            return _json({"error": str(exc)}, 404)
        found = replacement_document(replacement)
        with self.speaking():
            entry = self._worded(analysis, replacement)
        return _json(
            {
                "client": client_id,
                "heading": entry.heading,
                "sentences": list(entry.sentences),
                "replacement": found,
            },
            200,
        )

    # --- Reminders and statements (docs/receivables.md) ------------------------

    def _current(self) -> Analysis | None:
        filters = read_filters(self.books(), request.args)
        return None if filters.error else self.analysis(filters)

    def reminders(self) -> Reminders | None:
        """The reminders of "who pays late", for the current filters."""
        analysis = self._current()
        return None if analysis is None else analysis.report.reminders()

    def statement(self, client_id: str) -> Statements | None:
        """A client's statement of account for the period of the filters."""
        analysis = self._current()
        if analysis is None:
            return None
        found = analysis.report.statement(client_id)
        return found if found.statements else None

    def endpoint_url(self, endpoint: str, **args: str) -> str:
        """The address of one of the extension's endpoints, with the filters."""
        page_url = fava_url_for("extension_report", extension_name=self.name, **args)
        path, _, query = page_url.partition("?")
        return f"{path}{endpoint}" + (f"?{query}" if query else "")

    @extension_endpoint
    def reminder(self) -> Response:
        """One client's reminder in words (the page asks when it is opened)."""
        found = self.reminders()
        if found is None:
            return _json({"error": "no analysis for these filters"}, 400)
        with self.speaking():
            answer = reminder_answer(found, _text_arg("client"), [str(get_locale())])
        if answer is None:
            return _json({"error": "no reminder for this client"}, 404)
        return _json(answer, 200)

    @extension_endpoint
    def reminder_eml(self) -> Response:
        """One client's reminder as an `.eml` draft to download; nothing sent."""
        found = self.reminders()
        made = None
        if found is not None:
            made = reminder_draft(found, _text_arg("client"), [str(get_locale())])
        if made is None:
            return _json({"error": "no reminder for this client"}, 404)
        name, message = made
        return Response(
            message.as_bytes(),
            mimetype="message/rfc822",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )


def config_problem(config: Any) -> str | None:
    """What is wrong with the extension's configuration string, if anything.

    The extension has no settings of its own: it reads the plugin's line.
    """
    if (
        config is None
        or (isinstance(config, tuple) and not config)
        or (isinstance(config, str) and config.strip() in ("", "{}"))
    ):
        return None
    shown = repr(config) if len(repr(config)) <= 80 else repr(config)[:77] + "..."
    return (
        f"{__name__} takes no configuration, not {shown}: remove it from the "
        '`custom "fava-extension"` line; settings go on the plugin line, '
        '`plugin "beancount_freelance.plugin" "{...}"`'
    )


def _text_arg(name: str) -> str:
    value = request.args.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _json(value: Any, status: int) -> Response:
    return Response(
        current_app.json.dumps(value), status=status, mimetype="application/json"
    )
