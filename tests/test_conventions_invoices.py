"""Invoices as real books keep them: the ledgers of tests/data/conventions/invoices/.

Each ledger is written the way its convention's documentation describes it
(hledger's invoicing guide, links on one side only, cash basis, hours priced
with `@`, an overpaid receivable), with the plugin line alone. The numbers in the
comments are worked out by hand from the ledger's text; docs/receivables.md
states the matching rules.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path
from typing import Any

from beancount import loader

from beancount_freelance.core.document.receivables import (
    client_receivables_document,
    invoices_document,
    overdue_document,
)
from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.messages import warning_text
from beancount_freelance.core.question import ask
from beancount_freelance.core.receivables.analysis import (
    ReceivablesAsOf,
    analyse_receivables,
    link_errors,
)
from beancount_freelance.core.report import analyse_report

CONVENTIONS = Path(__file__).parent / "data" / "conventions" / "invoices"
date = datetime.date


def analyse(name: str, as_of: datetime.date) -> ReceivablesAsOf:
    entries, errors, options = loader.load_file(str(CONVENTIONS / name))
    assert errors == []  # the plugin line alone: bean-check is quiet
    return analyse_receivables(ask(entries, options, as_of=as_of))


def rows(receivables: ReceivablesAsOf) -> list[tuple[Any, ...]]:
    """Each invoice as (client, date, amount, balance, status, days to pay)."""
    return [
        (
            row["client"],
            row["date"],
            row["amount"],
            row["balance"],
            row["status"],
            row["days_to_pay"],
        )
        for row in invoices_document(receivables)
    ]


def test_hledger_accrual_books_without_links() -> None:
    receivables = analyse("hledger-accrual.beancount", date(2020, 6, 30))
    # Terms of 30 days. AB: 202001ab of 1 Feb paid 15 Feb (14 days, due 2 Mar);
    # 202002ab of 1 Mar, 500 paid 10 Apr: 1000 open, due 31 Mar, 30 + 31 + 30 =
    # 91 days late on 30 Jun; 202004ab of 1 May, 800 open, due 31 May, 30 days
    # late. Globex: 202003gx of 1 Apr paid 20 May, 30 + 19 = 49 days, due 1 May.
    assert rows(receivables) == [
        ("AB", "2020-02-01", "1000.00", "0.00", "paid", 14),
        ("AB", "2020-03-01", "1500.00", "1000.00", "overdue", None),
        ("Globex", "2020-04-01", "2000.00", "0.00", "paid", 49),
        ("AB", "2020-05-01", "800.00", "800.00", "overdue", None),
    ]
    ab = client_receivables_document(receivables, "AB")
    assert (ab["open"], ab["overdue"], ab["paid_on_time_share"]) == (
        "1800.00",
        "1800.00",
        1.0,
    )
    assert (ab["aging"]["1-30"], ab["aging"]["90+"]) == ("800.00", "1000.00")
    assert ab["last_paid"] == "2020-04-10"  # the part payment
    globex = client_receivables_document(receivables, "Globex")
    assert (globex["days_to_pay_avg"], globex["last_paid"]) == (49.0, "2020-05-20")
    assert [
        (i["narration"], i["days_late"]) for i in overdue_document(receivables)
    ] == [
        ("Invoice 202002ab", 91),
        ("Invoice 202004ab", 30),
    ]
    assert receivables.warnings == ()


def test_links_on_one_side_only() -> None:
    receivables = analyse("one-sided-links.beancount", date(2021, 4, 30))
    # The transfer of 5 Mar names no client: it pays the oldest open invoice of
    # the shared receivable, Lefevre's 2021-001 (31 Jan + 28 + 5 = 33 days, due
    # 2 Mar). Roux's payment (client: Roux, a link no invoice carries) pays R-1,
    # 10 Feb -> 20 Mar = 28 + 10 = 38 days (due 12 Mar). Lefevre's transfer of
    # 25 Mar pays 2021-002 of 28 Feb: 25 days, on time (due 30 Mar).
    assert rows(receivables) == [
        ("Lefevre", "2021-01-31", "1200.00", "0.00", "paid", 33),
        ("Roux", "2021-02-10", "500.00", "0.00", "paid", 38),
        ("Lefevre", "2021-02-28", "800.00", "0.00", "paid", 25),
    ]
    lefevre = client_receivables_document(receivables, "Lefevre")
    assert (lefevre["paid_on_time_share"], lefevre["days_to_pay_avg"]) == (0.5, 29.0)
    assert lefevre["last_paid"] == "2021-03-25"
    assert client_receivables_document(receivables, "Roux")["last_paid"] == (
        "2021-03-20"
    )
    assert receivables.warnings == ()
    # check_links is on: a link kept on the payment side only is no error.
    entries, _, options = loader.load_file(
        str(CONVENTIONS / "one-sided-links.beancount")
    )
    assert link_errors(ask(entries, options, config=Config(check_links=True))) == []


def test_cash_basis_invoices_against_equity() -> None:
    receivables = analyse("cash-basis.beancount", date(2020, 4, 30))
    # 202001ab: 1 Feb -> 15 Feb, 14 days, on time. 202002ab of 1 Mar: 1200 open,
    # due 31 Mar, 30 days late on 30 Apr.
    assert rows(receivables) == [
        ("AB", "2020-02-01", "1000.00", "0.00", "paid", 14),
        ("AB", "2020-03-01", "1200.00", "1200.00", "overdue", None),
    ]
    ab = client_receivables_document(receivables, "AB")
    assert (ab["open"], ab["overdue"], ab["aging"]["1-30"]) == (
        "1200.00",
        "1200.00",
        "1200.00",
    )
    assert ab["last_paid"] == "2020-02-15"
    assert receivables.warnings == ()


def test_hours_priced_with_at_on_a_client_receivable() -> None:
    receivables = analyse("hours.beancount", date(2020, 6, 30))
    # March: 7 x 300 = 2100 USD, due 30 Apr, paid 8 May: 30 + 8 = 38 days, late.
    # April: 12.5 x 300 = 3750 USD, due 30 May, open: 31 days late on 30 Jun.
    assert rows(receivables) == [
        ("XYZ", "2020-03-31", "2100.00", "0.00", "paid", 38),
        ("XYZ", "2020-04-30", "3750.00", "3750.00", "overdue", None),
    ]
    assert [row["currency"] for row in invoices_document(receivables)] == ["USD"] * 2
    xyz = client_receivables_document(receivables, "XYZ")
    assert (xyz["open"], xyz["aging"]["31-60"], xyz["paid_on_time_share"]) == (
        "3750.00",
        "3750.00",
        0.0,
    )
    assert xyz["last_paid"] == "2020-05-08"
    assert receivables.warnings == ()


def test_an_overpaid_receivable_carries_its_credit_forward() -> None:
    receivables = analyse("overpaid.beancount", date(2022, 4, 30))
    # 1100 pays 2022-01 (1000, 20 days) and leaves 100, which 2022-02 takes
    # on 28 Feb; its other 900 come on 25 Mar: 25 days. The 500 of 10 Apr find
    # no invoice: an unapplied credit, the account's balance of -500.
    assert rows(receivables) == [
        ("Acme", "2022-01-31", "1000.00", "0.00", "paid", 20),
        ("Acme", "2022-02-28", "1000.00", "0.00", "paid", 25),
    ]
    (unapplied,) = receivables.unapplied
    assert (unapplied.account, str(unapplied.amount)) == (
        "Assets:AccountsReceivable:Acme",
        "500.00",
    )
    acme = client_receivables_document(receivables, "Acme")
    assert (acme["open"], acme["last_paid"]) == ("0.00", "2022-04-10")
    (warning,) = receivables.warnings
    assert warning_text(warning).endswith(
        "overpaid.beancount:26: 500.00 EUR credited to "
        "Assets:AccountsReceivable:Acme settles no invoice (1 credit from "
        "2022-04-10); kept as an unapplied credit for the account's next invoice: "
        "book the invoice it pays, or check the amount"
    )


# --- Beancount's own example: an employee's books -----------------------------


def test_bean_example_is_quiet(tmp_path: Path) -> None:
    """No error from the plugin, at most three grouped warnings from the analysis."""
    example = tmp_path / "example.beancount"
    generator = Path(sys.executable).parent / "bean-example"
    written = subprocess.run(
        [str(generator), "--seed", "1"], capture_output=True, text=True, check=True
    )
    example.write_text(
        'plugin "beancount_freelance.plugin"\n' + written.stdout, encoding="utf-8"
    )
    entries, errors, options = loader.load_file(str(example))
    assert errors == []  # neither Beancount nor the plugin complains
    warnings = report_document(analyse_report(entries, options))["warnings"]
    assert 1 <= len(warnings) <= 3, warnings
    # Vacation hours are no money: one warning for all of their postings.
    (vacation,) = [w for w in warnings if "VACHR" in w]
    assert "VACHR is not money" in vacation
    assert "{'income': '^Income:(?!" in vacation
    assert not any("add an `@` price" in w and "VACHR" in w for w in warnings)


def test_the_matching_does_not_depend_on_the_plugin() -> None:
    """The same invoices, with the plugin line or without it."""
    for path in sorted(CONVENTIONS.glob("*.beancount")):
        text = path.read_text(encoding="utf-8")
        found = []
        for ledger in (text, text.replace('plugin "beancount_freelance.plugin"', ";")):
            entries, errors, options = loader.load_string(ledger)
            assert errors == [], path.name
            receivables = analyse_receivables(
                ask(entries, options, as_of=date(2023, 1, 1))
            )
            found.append(invoices_document(receivables))
        assert found[0] == found[1], path.name
        assert found[0], path.name
