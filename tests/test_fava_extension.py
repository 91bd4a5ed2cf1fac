"""The Fava Clients page, through Flask's test client on small ledgers.

tests/data/fava/clients.beancount (numbers to check by hand):
  Alpha 300 EUR a month Jan-Dec 2020, lost 2020-12-31;
  Beta 200 EUR a month Jun 2020 - Jun 2021 (July 2020 in one transfer with Alpha);
  Gamma one 1000 EUR project on 2021-03-10 (^inv-2021-001); EUR = 1.10 USD.
tests/data/fava/invoices.beancount: five invoices of Dubois and Bianchi, their
numbers in the file's comment (the receivables sections, issue 6).
"""

from __future__ import annotations

import datetime
import html as html_lib
import json
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jinja2
import pytest
from beancount import loader
from click.testing import CliRunner
from fava.application import create_app
from fava.application import url_for as fava_url_for
from fava.util import slugify
from flask import request
from typed_values import stream

from beancount_freelance import cli, fava_extension
from beancount_freelance.cli import text_report
from beancount_freelance.core import report
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.question import Question
from beancount_freelance.core.report import analyse_report
from beancount_freelance.core.revenue import streams
from beancount_freelance.fava_extension import FreelanceClients
from beancount_freelance.fava_extension.cells import PageLinks, days_cell, share_cell
from beancount_freelance.fava_extension.filters import (
    client_filter,
    conversion_currency,
)
from beancount_freelance.fava_extension.timeline import build_timeline
from beancount_freelance.text.sentences import replacement_sentences

DATA = Path(__file__).parent / "data" / "fava"
CLIENTS = DATA / "clients.beancount"
XSS = DATA / "xss.beancount"
INVOICES = DATA / "invoices.beancount"
EMPTY = DATA / "empty.beancount"
H1_2021 = "2021-01 - 2021-06"


class Page(HTMLParser):
    """The elements of a page that the tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            found
            for name, found in self.elements
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id: str) -> dict[str, str] | None:
        return next((a for _, a in self.elements if a.get("id") == element_id), None)

    def charts(self) -> list[Any]:
        return [
            json.loads(script)
            for script in self.scripts
            if script.startswith('[{"data"')
        ]

    def cells(self, table_id: str) -> list[list[str]]:
        """The text of each body cell of a table, row by row."""
        return _Cells(self.html, table_id).rows

    def client_rows(self) -> list[str]:
        return [row["data-client"] for row in self.find("tr") if "data-client" in row]

    def timeline_rows(self) -> list[str]:
        return [
            g["data-client"]
            for g in self.find("g")
            if "timeline-row" in g.get("class", "")
        ]


class _Cells(HTMLParser):
    """The `<td>` texts of the `<tbody>` of one table, found by its id."""

    def __init__(self, html: str, table_id: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._table_id = table_id
        self._depth = 0  # tables open inside the one we read
        self._in_body = False
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and (self._depth or dict(attrs).get("id") == self._table_id):
            self._depth += 1
        elif self._depth and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._depth:
            self._depth -= 1
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _app(path: Path) -> Any:
    app = create_app([str(path)], load=True)
    app.testing = True
    return app


def _slug(path: Path) -> str:
    _, _, options = loader.load_file(str(path))
    return slugify(options["title"])


@pytest.fixture(scope="module")
def client() -> Any:
    return _app(CLIENTS).test_client()


def _url(path: Path, suffix: str = "") -> str:
    return f"/{_slug(path)}/extension/FreelanceClients/{suffix}"


def get_page(test_client: Any, path: Path = CLIENTS, **args: str) -> tuple[str, Page]:
    response = test_client.get(_url(path), query_string=args)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html, Page(html)


def get_json(test_client: Any, endpoint: str, **args: str) -> tuple[int, Any]:
    response = test_client.get(_url(CLIENTS, endpoint), query_string=args)
    return response.status_code, response.get_json()


def figure(html: str, label: str) -> str:
    found = re.search(
        rf"<dt>{re.escape(label)}</dt>\s*<dd><span class=\"freelance-value\">([^<]*)<",
        html,
    )
    assert found, f"no headline figure {label!r}"
    return found.group(1)


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def cli_document(path: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli.main, ["report", str(path), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- Sections ------------------------------------------------------------------


def test_headline_without_filters_covers_the_whole_ledger(client: Any) -> None:
    html, _ = get_page(client)
    # 12 x 300 (Alpha) + 13 x 200 (Beta) + 1000 (Gamma)
    assert figure(html, "Revenue in period") == "7200.00 EUR"
    assert figure(html, "Active clients") == "2"  # Beta and Gamma; Alpha is lost
    # Under the figure, the span it covers: all of it, to the last day.
    assert re.search(r"all revenue to \d{4}-\d{2}-\d{2}", html)


def test_headline_follows_the_time_filter(client: Any) -> None:
    html, _ = get_page(client, time=H1_2021)
    assert figure(html, "Revenue in period") == "2200.00 EUR"  # 6 x 200 + 1000
    # as of 2021-06-30: Alpha Jul-Dec 2020 (6 x 300), Beta Jul 2020-Jun 2021, Gamma
    assert figure(html, "Trailing 12 months") == "5200.00 EUR"
    assert figure(html, "Top client share") == "46 %"  # Beta 2400 / 5200
    assert "Beta Bakery" in html


def test_chart_has_one_bar_per_month_stacked_by_client_account(client: Any) -> None:
    html, page = get_page(client, time=H1_2021)
    chart, split = page.charts()[0]
    assert chart["type"] == "bar"
    dates = [bar["date"] for bar in chart["data"]]
    assert dates == [
        "2021-01-31",
        "2021-02-28",
        "2021-03-31",
        "2021-04-30",
        "2021-05-31",
        "2021-06-30",
    ]
    march = chart["data"][2]
    assert march["account_balances"] == {
        "Income:Clients:Beta": {"EUR": 200},
        "Income:Clients:Gamma": {"EUR": 1000},
    }
    assert march["balance"] == {"EUR": 1200}
    # The first bar carries every series of the chart (at zero where it has
    # nothing): Fava colours the stacks by the chart's sorted accounts, and so
    # does the key. Alpha brought nothing in these months: no series, no key.
    assert set(chart["data"][0]["account_balances"]) == {
        "Income:Clients:Beta",
        "Income:Clients:Gamma",
    }
    key = html.split('id="freelance-colour-key"')[1].split("</ul>")[0]
    assert re.findall(r'<li data-client="(\w+)"', key) == ["Beta", "Gamma"]
    # The switcher's second chart: Beta is recurring, Gamma's project one-off.
    assert split["data"][2]["account_balances"] == {
        "Recurring": {"EUR": 200},
        "One-off": {"EUR": 1000},
    }


def test_chart_keeps_empty_intervals_and_follows_the_interval(client: Any) -> None:
    _, page = get_page(client, time="2021")
    chart, _split = page.charts()[0]
    assert len(chart["data"]) == 12
    july = chart["data"][6]
    assert july["date"] == "2021-07-31"
    assert july["balance"] == {"EUR": 0}
    assert july["account_balances"] == {}
    _, quarters = get_page(client, time="2021", interval="quarter")
    chart, _split = quarters.charts()[0]
    assert [bar["balance"]["EUR"] for bar in chart["data"]] == [1600, 600, 0, 0]


def test_timeline_has_one_row_per_client_and_marks_the_loss(client: Any) -> None:
    html, page = get_page(client)
    assert sorted(page.timeline_rows()) == ["Alpha", "Beta", "Gamma"]
    assert "lost on 2020-12-31: Moving to an agency" in html
    assert page.by_id("freelance-legend") is not None
    statuses = {
        g["data-client"]: g["class"]
        for g in page.find("g")
        if "timeline-row" in g.get("class", "")
    }
    assert statuses["Alpha"] == "timeline-row status-lost"
    assert statuses["Beta"] == "timeline-row status-active"


def test_client_table_is_sortable_and_in_document_order(client: Any) -> None:
    html, page = get_page(client, time=H1_2021)
    table = page.by_id("freelance-table")
    assert table is not None and table["is"] == "sortable-table"
    headers = [th for th in page.find("th") if "data-sort" in th]
    assert len(headers) >= 9
    assert page.client_rows() == ["Beta", "Alpha", "Gamma"]  # by 12 months, desc
    assert 'data-sort-value="1200.00">1200.00 EUR' in html  # Beta in period


def test_replacement_panel_words_the_lost_client(client: Any) -> None:
    html, _ = get_page(client)
    # Alpha: 3600 over Jan-Dec 2020 = 300 a month; 3600 of 5000 in that window.
    assert "Alpha Avocats brought 300.00 EUR a month (72 % of your income)." in html
    assert "Alpha Avocats, lost on 2020-12-31 (Moving to an agency)" in html


def test_replacement_panel_says_what_the_cli_says(client: Any) -> None:
    html, _ = get_page(client)
    entries, _, options = loader.load_file(str(CLIENTS))
    [alpha] = analyse_report(entries, options).portfolio.replacements
    panel = html.split('id="freelance-replacements"')[1]
    entry = panel.split('data-client="Alpha"')[1].split("</div>")[0]
    paragraphs = [unescape(p) for p in re.findall(r"<p>(.*?)</p>", entry)]
    # One paragraph a sentence: brought, needed, pace, since then.
    assert paragraphs == replacement_sentences(alpha, "EUR", name="Alpha Avocats")
    assert len(paragraphs) == 4
    # The CLI joins the same sentences, with the id for the name.
    cli = text_report.replacement_paragraph(alpha, "EUR", 0)
    assert " ".join(cli.split()) == " ".join(replacement_sentences(alpha, "EUR"))


def test_what_if_selector_lists_active_clients_only(client: Any) -> None:
    html, _ = get_page(client, time=H1_2021)
    # The what-if form alone (the forecast has a selector of its own).
    begin = html.rindex("<form", 0, html.index('id="freelance-what-if-form"'))
    page = Page(html[begin : html.index("</form>", begin)])
    options = [o["value"] for o in page.find("option") if o.get("value")]
    assert options == ["Beta", "Gamma"]
    form = page.by_id("freelance-what-if-form")
    assert form is not None and form["method"] == "get"
    hidden = page.find("input", type="hidden", name="time")
    assert hidden == [{"type": "hidden", "name": "time", "value": H1_2021}]


def test_what_if_in_the_page_and_in_the_endpoint(client: Any) -> None:
    html, _ = get_page(client, time=H1_2021, what_if="Beta")
    assert "If Beta Bakery left on 2021-06-30" in html
    status, answer = get_json(client, "what_if", client="Beta", time=H1_2021)
    assert status == 200
    assert answer["heading"] == "If Beta Bakery left on 2021-06-30"
    entries, _, options = loader.load_file(str(CLIENTS))
    end = datetime.date(2021, 6, 30)
    beta = analyse_report(entries, options, end=end).what_if("Beta")
    assert answer["sentences"] == replacement_sentences(beta, "EUR", name="Beta Bakery")
    assert answer["replacement"]["reason"] == "what-if"
    assert answer["sentences"][0].startswith("Beta Bakery brings ")


def test_what_if_of_a_lost_or_unknown_client_is_a_clear_error(client: Any) -> None:
    status, answer = get_json(client, "what_if", client="Alpha", time=H1_2021)
    assert status == 404
    assert "not active" in answer["error"]
    status, answer = get_json(client, "what_if", client="Nobody")
    assert status == 404
    assert "Unknown client 'Nobody'" in answer["error"]
    html, _ = get_page(client, what_if="Nobody")
    assert "Unknown client &#39;Nobody&#39;" in html


# --- Per-client view -----------------------------------------------------------


def test_client_view_says_by_which_rules_its_revenue_was_found(client: Any) -> None:
    # Alpha's twelve payments go to its own account, Income:Clients:Alpha; the
    # `client:` the plugin wrote on each is not read as the user's metadata.
    html, page = get_page(client, client="Alpha")
    assert page.by_id("freelance-client-rules") is not None
    assert '<p id="freelance-client-rules">Revenue found by: account (12)</p>' in html


def test_client_view_shows_events_invoices_and_journal_link(client: Any) -> None:
    html, page = get_page(client, client="Alpha")
    assert page.by_id("freelance-client-view") is not None
    assert "lost" in html and "Moving to an agency" in html
    assert "first revenue" in html
    invoices = html.split('id="freelance-client-invoices"')[1]
    assert invoices.count("#context-") == 12  # 12 payments, July with Beta's
    [chart] = page.charts()[0]
    assert len(chart["data"]) == 18  # Jan 2020 to Jun 2021 (as of last entry)
    assert chart["data"][0]["balance"] == {"EUR": 300}
    link = page.by_id("freelance-journal-link")
    assert link is not None
    assert link["href"].startswith(f"/{_slug(CLIENTS)}/journal/?")
    assert query(link["href"]) == {"filter": 'client:"Alpha"'}


def test_client_view_words_its_replacement_or_its_what_if(client: Any) -> None:
    html, page = get_page(client, client="Alpha")
    assert page.by_id("freelance-client-replacement") is not None
    assert "Alpha Avocats brought 300.00 EUR a month (72 % of your income)." in html
    html, page = get_page(client, client="Beta", time=H1_2021)
    assert "If Beta Bakery left on 2021-06-30" in html
    _, page = get_page(client, client="Alpha", time=H1_2021)  # lost before
    assert page.by_id("freelance-client-replacement") is None


def test_client_view_link_keeps_the_current_filters(client: Any) -> None:
    _, page = get_page(client, client="Gamma", filter="^inv-2021-001", time="2021")
    link = page.by_id("freelance-journal-link")
    assert link is not None
    assert query(link["href"]) == {
        "filter": '^inv-2021-001 client:"Gamma"',
        "time": "2021",
    }


def test_client_view_opens_from_the_table(client: Any) -> None:
    _, page = get_page(client, time=H1_2021)
    hrefs = [a["href"] for a in page.find("a") if "client=Beta" in a.get("href", "")]
    assert hrefs
    response = client.get(hrefs[0])
    assert response.status_code == 200
    assert 'data-client="Beta"' in response.get_data(as_text=True)


def test_unknown_client_is_a_clear_message(client: Any) -> None:
    html, page = get_page(client, client="Nobody")
    assert page.by_id("freelance-unknown-client") is not None
    assert "There is no client &#39;Nobody&#39; in this ledger" in html
    assert "Known clients: Beta, Alpha, Gamma" in html


# --- Filters -------------------------------------------------------------------


def test_account_filter_keeps_the_lines_of_that_client(client: Any) -> None:
    html, page = get_page(client, account="Income:Clients:Beta")
    # 13 x 200; Alpha's share of the July transfer is not Beta's revenue.
    assert figure(html, "Revenue in period") == "2600.00 EUR"
    assert page.client_rows() == ["Beta"]
    assert page.timeline_rows() == ["Beta"]


def test_account_filter_on_the_bank_keeps_every_line(client: Any) -> None:
    html, _ = get_page(client, account="Assets:Bank")
    assert figure(html, "Revenue in period") == "7200.00 EUR"


def test_filter_bar_selects_transactions(client: Any) -> None:
    html, page = get_page(client, filter="^inv-2021-001")
    assert figure(html, "Revenue in period") == "1000.00 EUR"
    assert page.client_rows() == ["Gamma"]


def test_status_comes_from_the_whole_ledger_under_a_filter(client: Any) -> None:
    _, page = get_page(client, filter='payee:"ALPHA"', time="2020")
    assert page.client_rows() == ["Alpha", "Beta"]  # Beta via the joint transfer
    # Alpha is active at the end of 2020 only because its loss is on 2020-12-31.
    html, _ = get_page(client, filter='payee:"ALPHA"', time="2020-06")
    assert 'data-client="Alpha"' in html and "status-active" in html


def test_conversion_to_a_currency_reports_in_it(client: Any) -> None:
    html, _ = get_page(client, time=H1_2021, conversion="USD")
    assert figure(html, "Revenue in period") == "2420.00 USD"  # 2200 x 1.10
    html, _ = get_page(client, time=H1_2021, conversion="at_value")
    assert figure(html, "Revenue in period") == "2200.00 EUR"


def test_conversion_currency_reading() -> None:
    assert conversion_currency("USD") == "USD"
    assert conversion_currency("USD,EUR") == "USD"
    assert conversion_currency("at_cost") is None
    assert conversion_currency("units") is None
    assert conversion_currency("<script>") is None


def test_journal_filter_is_exact_when_an_id_contains_another() -> None:
    assert client_filter("Acme", ["Acme", "Beta"], "") == 'client:"Acme"'
    assert client_filter("Acme", ["Acme", "AcmeLabs"], "#x") == '#x client:"^Acme$"'
    assert client_filter("A.B", ["A.B"], "") == 'client:"^A\\.B$"'
    assert client_filter('Q"t', ['Q"t'], "") == "client:'Q\"t'"


def test_timeline_breaks_a_row_at_a_loss_and_resumes_at_the_return() -> None:
    clients = [
        stream(
            id="Olivier",
            name="Chez Olivier",
            status="active",
            start="2020-01-01",
            end=None,
            events=[
                {"date": "2020-07-01", "kind": "lost", "note": "closed"},
                {"date": "2021-01-01", "kind": "back", "note": ""},
            ],
        ),
        stream(id="Later", name="Later", status="prospect", start=None),
    ]
    timeline = build_timeline(clients, datetime.date(2021, 12, 31), (None, None))
    olivier, prospect = timeline.rows
    assert [m.kind for m in olivier.markers] == ["lost", "back"]
    assert olivier.markers[0].title == "lost on 2020-07-01: closed"
    first, second = olivier.spans
    assert first.x == timeline.label_width  # starts on the first day of the scale
    assert first.x + first.width == olivier.markers[0].x
    assert second.x == olivier.markers[1].x
    assert second.x + second.width == timeline.width - 16  # runs to as_of
    assert prospect.spans == ()
    assert [tick.label for tick in timeline.ticks] == ["2020", "2021"]
    assert timeline.period is None


# --- Empty states and bad input ------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [{"filter": "#no-such-tag"}, {"time": "2030"}, {"account": "Expenses:Software"}],
)
def test_filter_matching_nothing_shows_the_empty_state(
    client: Any, args: dict[str, str]
) -> None:
    html, page = get_page(client, **args)
    assert page.by_id("freelance-empty") is not None
    assert "No revenue from clients matches" in html


def test_ledger_without_clients_shows_the_empty_state() -> None:
    html, page = get_page(_app(EMPTY).test_client(), EMPTY)
    assert page.by_id("freelance-empty") is not None
    assert "No revenue from clients in this ledger yet" in html


def test_empty_state_says_when_amounts_could_not_be_converted(client: Any) -> None:
    html, page = get_page(client, time=H1_2021, conversion="CHF")
    assert page.by_id("freelance-empty") is not None
    assert "amounts could not be counted in CHF" in html
    assert page.by_id("freelance-warnings") is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"time": "not a date"}, "The time filter"),
        ({"filter": "(("}, "The filter is not valid"),
        ({"account": "Income:("}, "The filter is not valid"),
    ],
)
def test_malformed_filters_are_messages_not_errors(
    client: Any, args: dict[str, str], message: str
) -> None:
    html, page = get_page(client, **args)
    assert page.by_id("freelance-error") is not None
    assert message in html
    status, answer = get_json(client, "report", **args)
    assert status == 400
    assert message in answer["error"]


def test_odd_query_parameters_never_fail(client: Any) -> None:
    for args in (
        {"client": ""},
        {"what_if": "Alpha"},
        {"conversion": "<b>"},
        {"interval": "fortnight"},
        {"client": "x" * 500},
        {"time": "2021-13"},
    ):
        response = client.get(_url(CLIENTS), query_string=args)
        assert response.status_code == 200, args


# --- Receivables (issue 6) ----------------------------------------------------


@pytest.fixture(scope="module")
def invoices_client() -> Any:
    return _app(INVOICES).test_client()


def test_receivables_section_lists_overdue_invoices_then_each_client(
    invoices_client: Any,
) -> None:
    html, page = get_page(invoices_client, INVOICES)
    section = html.index('id="freelance-receivables"')
    assert section > html.index('id="freelance-replacements"')
    assert html.index('id="freelance-overdue"') < html.index(
        'id="freelance-receivables-table"'
    )
    # As of 2021-04-30: only ^inv-b1 (due 2021-03-17) is past due, 44 days.
    assert page.cells("freelance-overdue") == [
        ["Bianchi Cycles", "^inv-b1", "2021-02-15", "2021-03-17", "44", "500.00 EUR"]
    ]
    # Dubois: 3 invoices, 2 paid in 20 and 35 days, 1 on time; 400 open, current.
    # Bianchi: 2 open invoices, 500 of them 44 days late (31-60), 500 current.
    # Open and overdue with their currency; the aging columns, in EUR, without.
    assert page.cells("freelance-receivables-table") == [
        [
            *["Dubois Immobilier", "3", "2", "50 %", "27.5", "27.5"],
            *["400.00 EUR", "0.00 EUR", "400.00"],
            *["0.00"] * 4,
        ],
        [
            *["Bianchi Cycles", "2", "0", "—", "—", "—"],
            *["1000.00 EUR", "500.00 EUR", "500.00", "0.00", "500.00"],
            *["0.00"] * 2,
        ],
    ]  # fmt: skip
    links = [a["href"] for a in page.find("a") if a["href"].endswith("inv-b1")]
    assert query(links[0]) == {"filter": "^inv-b1"}


def test_receivables_follow_the_time_filter(invoices_client: Any) -> None:
    # As of 2021-03-31: ^inv-d2 (due 03-15) 16 days late, ^inv-b1 (due 03-17) 14.
    _, page = get_page(invoices_client, INVOICES, time="2021-03")
    overdue = page.cells("freelance-overdue")
    assert [(row[1], row[4]) for row in overdue] == [
        ("^inv-d2", "16"),
        ("^inv-b1", "14"),
    ]
    dubois = page.cells("freelance-receivables-table")[0]
    assert dubois[:4] == ["Dubois Immobilier", "3", "1", "100 %"]  # d3 issued 03-31


def test_receivables_keep_the_clients_the_filters_keep(invoices_client: Any) -> None:
    _, page = get_page(invoices_client, INVOICES, account="Income:Clients:Bianchi")
    assert [row[0] for row in page.cells("freelance-receivables-table")] == [
        "Bianchi Cycles"
    ]
    assert [row[0] for row in page.cells("freelance-overdue")] == ["Bianchi Cycles"]


def test_client_view_shows_its_overdue_invoices_then_every_invoice(
    invoices_client: Any,
) -> None:
    html, page = get_page(invoices_client, INVOICES, client="Bianchi")
    section = html.split('id="freelance-client-receivables"')[1]
    assert figure(section, "Invoices") == "2"
    assert figure(section, "Open") == "1000.00 EUR"
    assert figure(section, "Overdue") == "500.00 EUR"
    assert figure(section, "Days to pay") == "—"
    assert section.index('id="freelance-overdue"') < section.index(
        'id="freelance-invoice-list"'
    )
    assert page.cells("freelance-overdue") == [
        ["^inv-b1", "2021-02-15", "2021-03-17", "44", "500.00 EUR"]
    ]
    # Every invoice, newest first: link, date, due, amount, status, paid on,
    # days to pay, days late, open.
    assert page.cells("freelance-invoice-list") == [
        ["^inv-b2", "2021-03-31", "2021-04-30", "500.00 EUR", "open", "", "—", "0",
         "500.00 EUR"],
        ["^inv-b1", "2021-02-15", "2021-03-17", "500.00 EUR", "overdue", "", "—",
         "44", "500.00 EUR"],
    ]  # fmt: skip
    html, page = get_page(invoices_client, INVOICES, client="Dubois")
    section = html.split('id="freelance-client-receivables"')[1]
    assert figure(section, "Paid on time") == "50 %"
    assert figure(section, "Days to pay") == "27.5"  # (20 + 35) / 2
    assert page.by_id("freelance-overdue") is None
    rows = page.cells("freelance-invoice-list")
    assert [(row[0], row[4], row[5], row[6]) for row in rows] == [
        ("^inv-d3", "open", "", "—"),
        ("^inv-d2", "paid", "2021-04-04", "35"),
        ("^inv-d1", "paid", "2021-02-20", "20"),
    ]


def test_element_ids_are_unique(invoices_client: Any) -> None:
    for args in ({}, {"client": "Bianchi"}, {"client": "Dubois"}):
        _, page = get_page(invoices_client, INVOICES, **args)
        ids = [attrs["id"] for _, attrs in page.elements if "id" in attrs]
        assert len(ids) == len(set(ids)), args


def test_page_without_invoices_says_so(client: Any) -> None:
    _, page = get_page(client)
    assert page.by_id("freelance-no-overdue") is not None
    assert page.by_id("freelance-no-invoices") is not None
    html, page = get_page(client, client="Gamma")  # paid on the spot, linked
    assert page.by_id("freelance-client-receivables") is not None
    assert page.by_id("freelance-invoice-list") is None
    assert "No invoice: no transaction books this client's revenue" in unescape(
        html.split('id="freelance-client-no-invoices"')[1]
    )


# --- JSON endpoint -------------------------------------------------------------


@pytest.mark.parametrize(
    ("time", "cli_args"),
    [
        ("", []),
        (H1_2021, ["--from", "2021-01-01", "--to", "2021-06-30"]),
        ("2020", ["--from", "2020-01-01", "--to", "2020-12-31"]),
    ],
)
def test_json_endpoint_equals_the_cli_document(
    client: Any, time: str, cli_args: list[str]
) -> None:
    status, document = get_json(client, "report", time=time)
    assert status == 200
    assert document == cli_document(CLIENTS, *cli_args)


@pytest.mark.parametrize(
    ("time", "cli_args"),
    [("", []), ("2021-03", ["--from", "2021-03-01", "--to", "2021-03-31"])],
)
def test_json_endpoint_has_the_receivables_of_the_cli(
    invoices_client: Any, time: str, cli_args: list[str]
) -> None:
    response = invoices_client.get(
        _url(INVOICES, "report"), query_string={"time": time}
    )
    assert response.status_code == 200
    document = response.get_json()
    assert document == cli_document(INVOICES, *cli_args)
    assert document["overdue_invoices"]  # 1 (whole ledger) or 2 (March)
    assert all("receivables" in client for client in document["clients"])


def test_json_endpoint_equals_the_analysis_for_the_converted_currency(
    client: Any,
) -> None:
    entries, _, options = loader.load_file(str(CLIENTS))
    expected = report_document(analyse_report(entries, options, currency="USD"))
    status, document = get_json(client, "report", conversion="USD")
    assert status == 200
    assert document == json.loads(json.dumps(expected))
    assert Decimal(document["totals"]["revenue_total"]) == Decimal("7920.00")


def test_json_endpoint_adds_a_what_if(client: Any) -> None:
    status, document = get_json(client, "report", what_if="Beta", time=H1_2021)
    assert status == 200
    assert document["what_if"]["client"] == "Beta"
    assert document["what_if"]["ended"] == "2021-06-30"


# --- Safety --------------------------------------------------------------------


def test_no_endpoint_accepts_writes(client: Any) -> None:
    before = CLIENTS.read_bytes()
    for method in ("post", "put", "delete"):
        for suffix in ("", "report", "what_if"):
            response = getattr(client, method)(_url(CLIENTS, suffix), data="{}")
            assert response.status_code in (404, 405), (method, suffix)
    assert CLIENTS.read_bytes() == before


def test_hostile_strings_are_escaped_everywhere() -> None:
    test_client = _app(XSS).test_client()
    hostile = "<img src=x onerror=alert(1)>"
    escaped = "&lt;img src=x onerror=alert(1)&gt;"
    for args in ({}, {"client": "X<script>"}, {"what_if": "Safe"}):
        html, page = get_page(test_client, XSS, **args)
        body = html.split('id="freelance-clients"')[1]
        assert hostile not in body
        assert "<script>alert" not in body
        assert escaped in body
        # The unpaid ^xss-1 is overdue: its client is named in the receivables.
        overdue = html.split('id="freelance-overdue"')[1].split("</table>")[0]
        assert 'data-client="X&lt;script&gt;"' in overdue
    assert page.cells("freelance-overdue")[0][0] == hostile  # the name, as text
    html, _ = get_page(test_client, XSS, client="X<script>")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html  # the narration
    assert "&lt;b onmouseover=alert(4)&gt;kind&lt;/b&gt;" in html


def test_hostile_unknown_client_is_escaped() -> None:
    html, _ = get_page(_app(XSS).test_client(), XSS, client="<svg onload=alert(5)>")
    assert "<svg onload" not in html
    assert "&lt;svg onload=alert(5)&gt;" in html


# --- Cache ---------------------------------------------------------------------


def test_analysis_is_cached_until_filters_or_ledger_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[Question] = []
    receivables_calls: list[Question] = []
    analyse = streams.analyse
    analyse_receivables = report.analyse_receivables

    def counting(question: Question) -> Any:
        calls.append(question)
        return analyse(question)

    def counting_receivables(question: Question) -> Any:
        receivables_calls.append(question)
        return analyse_receivables(question)

    monkeypatch.setattr(streams, "analyse", counting)
    monkeypatch.setattr(report, "analyse_receivables", counting_receivables)
    app = _app(CLIENTS)
    test_client = app.test_client()
    get_page(test_client, time="2021")
    get_page(test_client, time="2021", interval="quarter")
    get_page(test_client, time="2021", client="Gamma")  # the client view's invoices
    get_json(test_client, "report", time="2021")
    assert len(calls) == 1
    assert [question.as_of for question in receivables_calls] == [
        datetime.date(2021, 12, 31)
    ]
    get_page(test_client, time="2020")
    assert len(calls) == len(receivables_calls) == 2
    ledger = next(iter(app.config["LEDGERS"].ledgers))
    ledger.load_file()
    get_page(test_client, time="2021")
    assert len(calls) == len(receivables_calls) == 3


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The query strings of the pages rendered (not served from the cache)."""
    queries: list[str] = []
    page = FreelanceClients.page

    def counting(self: FreelanceClients) -> Any:
        queries.append(request.query_string.decode())
        return page(self)

    monkeypatch.setattr(FreelanceClients, "page", counting)
    return queries


def test_a_page_asked_again_is_not_rendered_again(rendered: list[str]) -> None:
    app = _app(CLIENTS)
    test_client = app.test_client()
    first, _ = get_page(test_client, time="2021")
    again, _ = get_page(test_client, time="2021")
    assert again == first
    assert rendered == ["time=2021"]
    # Another query, another client: rendered, and not the same page.
    other, _ = get_page(test_client, time="2021", client="Gamma")
    assert other != first
    assert rendered == ["time=2021", "time=2021&client=Gamma"]
    # A new load of the ledger forgets every page.
    ledger = next(iter(app.config["LEDGERS"].ledgers))
    ledger.load_file()
    get_page(test_client, time="2021")
    assert len(rendered) == 3


def test_a_page_is_rendered_again_the_next_day(
    monkeypatch: pytest.MonkeyPatch, rendered: list[str]
) -> None:
    test_client = _app(CLIENTS).test_client()
    get_page(test_client)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> Tomorrow:
            return cls(tomorrow.year, tomorrow.month, tomorrow.day)

    monkeypatch.setattr(fava_extension.datetime, "date", Tomorrow)
    get_page(test_client)
    assert len(rendered) == 2


@pytest.mark.parametrize(
    "value",
    ["Gamma", "A B", "a+b&c=d", "é/ü?#%", "x'y\"z", "Ωmega 100%", "^link;,:@!$()*"],
)
def test_page_links_are_fava_s_own(value: str) -> None:
    app = _app(CLIENTS)
    slug = _slug(CLIENTS)
    with app.test_request_context(
        f"/{slug}/extension/FreelanceClients/?time=2021&filter=%23tag"
    ):
        app.preprocess_request()
        links = PageLinks("FreelanceClients")
        assert links.client(value) == fava_url_for(
            "extension_report", extension_name="FreelanceClients", client=value
        )
        assert links.journal(value) == fava_url_for(
            "report", report_name="journal", filter=f"^{value}"
        )


@pytest.mark.parametrize(
    "value", [None, 0.0, 0.005, 0.125, 0.5, 1 / 3, 2 / 3, 0.995, 1.0, 1.5]
)
def test_share_and_days_cells_as_jinja_wrote_them(value: float | None) -> None:
    environment = jinja2.Environment()
    share = environment.from_string(
        '{% if value is none %}—{% else %}{{ "%.0f"|format(value * 100) }} %{% endif %}'
    )
    days = environment.from_string(
        '{% if value is none %}—{% else %}{{ "%g"|format(value) }}{% endif %}'
    )
    assert share_cell(value) == share.render(value=value)
    for number in (value, None if value is None else value * 37):
        assert days_cell(number) == days.render(value=number)


def test_what_if_of_a_one_off_client_has_no_monthly_level(client: Any) -> None:
    # Gamma's one 1000 EUR project (2021-03-10) is active but not recurring.
    status, found = get_json(client, "what_if", client="Gamma")
    assert status == 200
    assert found["replacement"]["recurring"] is False
    assert found["sentences"] == [
        "Gamma Games is not a recurring client: there is no monthly level to replace."
    ]
    html, _ = get_page(client, what_if="Gamma")
    assert "there is no monthly level to replace" in html
    assert "would need" not in html.split('id="freelance-what-if-result"')[1]


def test_the_empty_state_shows_the_fix_the_first_warning_gives(tmp_path: Path) -> None:
    books = tmp_path / "consulting.beancount"
    books.write_text(
        '2019-01-01 custom "fava-extension" "beancount_freelance.fava_extension"\n'
        + (DATA.parent / "conventions" / "income-consulting.beancount").read_text()
    )
    html, page = get_page(_app(books).test_client(), books)
    assert page.by_id("freelance-empty") is not None
    empty = html_lib.unescape(html)
    assert (
        "No revenue from clients in this ledger yet: if each account below "
        "Income:Consulting is a client, write the plugin line as `plugin "
        '"beancount_freelance.plugin" "{\'client_accounts\': '
        "'^Income:Consulting:(?P<client>[^:]+)'}\"`" in empty
    )
    assert "could not be counted" not in empty
