"""`analyse_report`: the revenue analysis and the receivables, as of one date.

The ledger: Acme is invoiced 1000 EUR on 2016-01-10 (^a-1, paid 2016-01-25) and
600 USD on 2016-02-10 (^a-2, open); Beta pays 200 EUR on the spot on 2016-02-20.
Payment terms are 10 days (the plugin's config), so ^a-2 is due 2016-02-20.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import textwrap
from pathlib import Path
from typing import Any

import pytest
from beancount import loader

from beancount_freelance.core import report as report_module
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report

D = datetime.date
LEDGER = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    plugin "beancount_freelance.plugin" "{'payment_terms_days': 10}"
    2016-01-01 open Assets:Bank
    2016-01-01 open Assets:AccountsReceivable
    2016-01-01 open Income:Clients:Acme
    2016-01-01 open Income:Clients:Beta
    2016-01-01 price USD 0.90 EUR
    2016-01-10 * "Acme" "January" ^a-1
      Assets:AccountsReceivable   1000 EUR
      Income:Clients:Acme
    2016-01-25 * "Acme" "Payment" ^a-1
      Assets:Bank                 1000 EUR
      Assets:AccountsReceivable
    2016-02-10 * "Acme" "February" ^a-2
      Assets:AccountsReceivable    600 USD
      Income:Clients:Acme
    2016-02-20 * "Beta" "On the spot"
      Assets:Bank                  200 EUR
      Income:Clients:Beta
    """
)


def load() -> tuple[list[Any], dict[str, Any]]:
    entries, errors, options_map = loader.load_string(LEDGER)
    assert errors == []
    return entries, options_map


def test_receivables_are_as_of_the_analysis_and_in_its_currency() -> None:
    entries, options_map = load()
    report = analyse_report(entries, options_map, end=D(2016, 3, 1))
    assert report.receivables.as_of == report.portfolio.as_of == D(2016, 3, 1)
    # ^a-2: due 2016-02-10 + 10 days (the plugin's terms), 10 days late on 03-01;
    # 600 USD at 0.90 = 540.00 EUR.
    (overdue,) = report_document(report)["overdue_invoices"]
    assert (overdue["due"], overdue["days_late"], overdue["open"]) == (
        "2016-02-20",
        10,
        "540.00",
    )
    usd = analyse_report(entries, options_map, end=D(2016, 3, 1), currency="USD")
    assert usd.receivables.currency == "USD"
    assert report_document(usd)["overdue_invoices"][0]["open"] == "600.00"


def test_period_and_selection_narrow_revenue_not_invoices() -> None:
    entries, options_map = load()
    report = analyse_report(
        entries,
        options_map,
        start=D(2016, 2, 15),
        end=D(2016, 3, 1),
        select=lambda line: line.client == "Beta",
    )
    clients = {c["id"]: c for c in report_document(report)["clients"]}
    assert clients["Acme"]["revenue_period"] == "0.00"  # not selected
    acme = clients["Acme"]["receivables"]
    assert (acme["invoices"], acme["paid"], acme["days_to_pay_avg"]) == (2, 1, 15)
    assert clients["Beta"]["receivables"]["invoices"] == 0


def test_as_of_before_an_invoice_leaves_it_out() -> None:
    entries, options_map = load()
    report = analyse_report(entries, options_map, as_of=D(2016, 1, 20))
    (acme,) = [c for c in report_document(report)["clients"] if c["id"] == "Acme"]
    assert acme["receivables"]["invoices"] == 1
    assert acme["receivables"]["open"] == "1000.00"  # paid on 2016-01-25
    assert acme["receivables"]["aging"]["current"] == "1000.00"  # due 01-20


def test_a_view_computes_only_the_parts_it_asks_for() -> None:
    entries, options_map = load()
    report = analyse_report(entries, options_map, as_of=D(2016, 3, 31))
    assert report.receivables.overdue[0].link == "a-2"
    # The receivables alone: no revenue streams, no outlook, no plan yet.
    assert {"portfolio", "outlook", "plan"}.isdisjoint(vars(report))
    assert report.outlook.at_risk == ()
    assert "portfolio" in vars(report)  # the outlook is the streams'
    assert "plan" not in vars(report)
    assert report.portfolio is report.portfolio  # computed once


def test_the_report_is_frozen_and_names_its_clients() -> None:
    entries, options_map = load()
    report = analyse_report(entries, options_map, as_of=D(2016, 3, 31))
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.select = None  # type: ignore[misc]  # frozen: the test says so
    assert report.names == {"Acme": "Acme", "Beta": "Beta"}
    acme = report.client("Acme")
    assert acme is not None and acme.revenue_total == 1540  # 1000 + 600 x 0.90
    assert report.client("Nobody") is None
    assert report.client_receivables("Acme").invoices == 2
    assert report.client_receivables("Beta").invoices == 0  # paid on the spot


def test_report_py_does_not_import_the_json_documents() -> None:
    # document/ imports report, never the reverse: the faces' contract is typed.
    source = Path(report_module.__file__).read_text(encoding="utf-8")
    imported = [
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    ]
    assert not [name for name in imported if "core.document" in name]
