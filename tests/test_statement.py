"""`bean-clients statement`: a client's account, line by line, and its balances.

The ledger below, checked by hand:

- Acme keeps its own receivable. In EUR: invoice ^A-1 of 2024-01-10, 1200.00;
  on 2024-02-10 a payment of 500.00 for ^A-1 (written first in the file) and
  invoice F-2024-02 of 800.00 (the invoice comes first on the statement); a
  credit note of 100.00 on 2024-02-25; 50.00 written off on 2024-03-05. Running
  balance 1200, 2000, 1500, 1400, 1350. In USD: invoice U-1 of 300.00 on
  2024-03-15, a statement of its own.
- Bistro and Zed share `Assets:Receivable`. Bistro's invoice ^B-1 of 2024-03-10,
  250.00 EUR; Zed's of 2024-03-12, 100.00 EUR; on 2024-03-20 a payment of 100.00
  that names no client settles the oldest invoice of the account, Bistro's (150.00
  left); on 2024-03-22, 50.00 for ^B-1. Bistro's lines: 250, then -50: 200; its
  open invoice: 100.00, the closing balance; 100.00 were settled by the payment
  that names no client.
"""

from __future__ import annotations

import datetime
import json
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import realization
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance.cli import main
from beancount_freelance.core.receivables.statements import statements_of
from beancount_freelance.core.report import analyse_report

LEDGER = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    plugin "beancount_freelance.plugin"
    2024-01-01 open Assets:Bank
    2024-01-01 open Assets:Receivable
    2024-01-01 open Assets:Receivable:Acme
    2024-01-01 open Income:Clients:Acme
    2024-01-01 open Income:Clients:Bistro
    2024-01-01 open Income:Clients:Zed
    2024-01-01 open Expenses:BadDebt
    2024-01-01 custom "client" "Acme" "ACME Corp"
    2024-01-01 custom "client" "Bistro" "Bistro d'Été"
    2024-01-01 custom "client" "Zed"
    2024-01-01 custom "client" "Globex" "Globex"

    2024-01-10 * "ACME" "Website" ^A-1
      Assets:Receivable:Acme   1200.00 EUR
      Income:Clients:Acme
    2024-02-10 * "ACME" "Part payment" ^A-1
      Assets:Bank               500.00 EUR
      Assets:Receivable:Acme
    2024-02-10 * "ACME" "Maintenance"
      invoice: "F-2024-02"
      Assets:Receivable:Acme    800.00 EUR
      Income:Clients:Acme
    2024-02-25 * "ACME" "Credit note" ^A-1
      Income:Clients:Acme       100.00 EUR
      Assets:Receivable:Acme
    2024-03-05 * "ACME" "Written off"
      Expenses:BadDebt           50.00 EUR
      Assets:Receivable:Acme
    2024-03-10 * "Bistro" "Menu" ^B-1
      Assets:Receivable         250.00 EUR
      Income:Clients:Bistro
    2024-03-12 * "Zed" "Audit"
      Assets:Receivable         100.00 EUR
      Income:Clients:Zed
    2024-03-15 * "ACME" "Consulting" ^U-1
      Assets:Receivable:Acme    300.00 USD
      Income:Clients:Acme
    2024-03-20 * "Someone" "Transfer"
      Assets:Bank               100.00 EUR
      Assets:Receivable
    2024-03-22 * "Bistro" "Payment" ^B-1
      Assets:Bank                50.00 EUR
      Assets:Receivable
    """
)


def ledger(tmp_path: Path, text: str = LEDGER) -> str:
    path = tmp_path / "books.beancount"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def statement_json(path: str, *args: str) -> dict[str, Any]:
    result = run("statement", path, *args, "--json")
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def lines(statement: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    return [
        (line["date"], line["kind"], line["reference"], line["amount"], line["balance"])
        for line in statement["lines"]
    ]


def test_every_posting_is_a_line_with_its_running_balance(tmp_path: Path) -> None:
    found = statement_json(ledger(tmp_path), "Acme")
    assert (found["from"], found["to"]) == (None, "2024-03-22")
    eur, usd = found["statements"]
    assert found["statement"] == eur  # the reporting currency's
    assert (eur["currency"], eur["opening"], eur["closing"]) == (
        "EUR",
        "0.00",
        "1350.00",
    )
    assert lines(eur) == [
        ("2024-01-10", "invoice", "A-1", "1200.00", "1200.00"),
        ("2024-02-10", "invoice", "F-2024-02", "800.00", "2000.00"),
        ("2024-02-10", "payment", "A-1", "-500.00", "1500.00"),
        ("2024-02-25", "credit_note", "A-1", "-100.00", "1400.00"),
        ("2024-03-05", "write_off", "Written off", "-50.00", "1350.00"),
    ]
    assert (usd["currency"], usd["closing"]) == ("USD", "300.00")
    assert lines(usd) == [("2024-03-15", "invoice", "U-1", "300.00", "300.00")]


def test_the_period_opens_on_the_balance_of_the_day_before(tmp_path: Path) -> None:
    found = statement_json(
        ledger(tmp_path), "Acme", "--from", "2024-02-11", "--to", "2024-02-25"
    )
    (eur,) = found["statements"]  # no USD yet on 2024-02-25
    assert (eur["from"], eur["to"]) == ("2024-02-11", "2024-02-25")
    assert (eur["opening"], eur["closing"]) == ("1500.00", "1400.00")
    assert lines(eur) == [("2024-02-25", "credit_note", "A-1", "-100.00", "1400.00")]


def test_on_a_shared_receivable_the_closing_is_the_open_invoices(
    tmp_path: Path,
) -> None:
    (bistro,) = statement_json(ledger(tmp_path), "Bistro")["statements"]
    assert lines(bistro) == [
        ("2024-03-10", "invoice", "B-1", "250.00", "250.00"),
        ("2024-03-22", "payment", "B-1", "-50.00", "200.00"),
    ]
    assert (bistro["closing"], bistro["settled_unnamed"]) == ("100.00", "100.00")
    (zed,) = statement_json(ledger(tmp_path), "Zed")["statements"]
    assert (zed["closing"], zed["settled_unnamed"]) == ("100.00", "0.00")


def test_the_text_lays_out_each_currency(tmp_path: Path) -> None:
    result = run(
        "--lang", "en", "statement", ledger(tmp_path), "Acme", "--to", "2024-03-31"
    )
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Statement of account: ACME Corp, EUR, up to 2024-03-31" in text
    assert "Statement of account: ACME Corp, USD" in text
    assert "2024-03-05  write-off" in text
    assert "Closing balance" in text and "1,350.00 EUR" in text
    french = run("--lang", "fr", "statement", ledger(tmp_path), "Bistro").output
    assert "Relevé de compte : Bistro d'Été, EUR" in french
    assert "Solde de clôture" in french and "100,00 EUR" in french
    assert "réglé par des paiements sur un compte client partagé" in french


def test_bad_requests_exit_2_with_a_message(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    result = run("statement", path, "Acmee")
    assert result.exit_code == 2
    assert "Unknown client 'Acmee'; did you mean 'Acme'?" in result.output
    result = run("statement", path, "Globex")
    assert result.exit_code == 2
    assert (
        "'Globex' has no invoice nor payment on a receivable account" in result.output
    )
    result = run(
        "statement", path, "Acme", "--from", "2024-03-01", "--to", "2024-02-01"
    )
    assert result.exit_code == 2
    assert "swap them" in result.output
    result = run("statement", path, "Ünï\"'")
    assert result.exit_code == 2
    assert "Unknown client" in result.output


# --- The closing balance is Beancount's own ------------------------------------------

CLIENTS = ["Acme", "Bistro"]


@st.composite
def receivable_ledgers(draw: st.DrawFn) -> str:
    """Invoices, payments, credit notes and write-offs on per-client receivables."""
    lines = [
        'option "operating_currency" "EUR"',
        'plugin "beancount.plugins.auto_accounts"',
        "2020-01-01 open Assets:Bank",
        "2020-01-01 open Expenses:BadDebt",
        "2020-01-01 price USD 0.90 EUR",
    ]
    day = datetime.date(2020, 1, 2)
    for number in range(draw(st.integers(1, 12))):
        day += datetime.timedelta(days=draw(st.integers(0, 15)))
        client = draw(st.sampled_from(CLIENTS))
        account = f"Assets:Receivable:{client}"
        if draw(st.booleans()):
            account += ":2020"
        currency = draw(st.sampled_from(["EUR", "EUR", "USD"]))
        amount = f"{draw(st.integers(1, 900))}.{draw(st.integers(0, 99)):02d}"
        kind = draw(
            st.sampled_from(["invoice", "invoice", "payment", "credit", "loss"])
        )
        link = f" ^i-{draw(st.integers(0, number))}" if draw(st.booleans()) else ""
        other = {
            "invoice": f"Income:Clients:{client}",
            "payment": "Assets:Bank",
            "credit": f"Income:Clients:{client}",
            "loss": "Expenses:BadDebt",
        }[kind]
        sign = "" if kind == "invoice" else "-"
        lines += [
            f'{day} * "{client}" "{kind}"{link}',
            f"  {account}  {sign}{amount} {currency}",
            f"  {other}",
        ]
    return "\n".join(lines) + "\n"


def _balance(
    entries: list[Any], account: str, until: datetime.date
) -> dict[str, Decimal]:
    """Beancount's own balance of an account and its children at a date."""
    root = realization.realize([e for e in entries if e.date <= until])
    found = realization.get(root, account)
    if found is None:
        return {}
    inventory = realization.compute_balance(found)
    return {
        position.units.currency: position.units.number
        for position in inventory
        if position.units.number
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=receivable_ledgers(),
    start_days=st.integers(0, 120),
    length=st.integers(0, 150),
    client=st.sampled_from(CLIENTS),
)
def test_the_closing_balance_is_beancounts_own(
    text: str, start_days: int, length: int, client: str
) -> None:
    entries, errors, options = loader.load_string(text)
    assert not errors
    start = datetime.date(2020, 1, 2) + datetime.timedelta(days=start_days)
    end = start + datetime.timedelta(days=length)
    report = analyse_report(entries, options, as_of=end)
    found = statements_of(report.question.scan, report.receivables, client, start)
    account = f"Assets:Receivable:{client}"
    closing = _balance(entries, account, end)
    opening = _balance(entries, account, start - datetime.timedelta(days=1))
    stated = {s.currency: s for s in found.statements}
    assert {c for c, v in closing.items() if v} <= set(stated)
    for currency, statement in stated.items():
        assert statement.closing == closing.get(currency, Decimal(0))
        assert statement.opening == opening.get(currency, Decimal(0))
        last = statement.lines[-1].balance if statement.lines else statement.opening
        assert last == statement.closing


@st.composite
def shared_ledgers(draw: st.DrawFn) -> str:
    """One shared receivable; every payment names its client with `client:`."""
    lines = [
        'option "operating_currency" "EUR"',
        'plugin "beancount.plugins.auto_accounts"',
    ]
    day = datetime.date(2020, 1, 2)
    for _ in range(draw(st.integers(1, 12))):
        day += datetime.timedelta(days=draw(st.integers(0, 15)))
        client = draw(st.sampled_from(CLIENTS))
        currency = draw(st.sampled_from(["EUR", "EUR", "USD"]))
        amount = f"{draw(st.integers(1, 900))}.00"
        kind = draw(st.sampled_from(["invoice", "invoice", "payment", "credit"]))
        if kind == "invoice":
            lines += [
                f'{day} * "{client}" "invoice"',
                f"  Assets:Receivable  {amount} {currency}",
                f"  Income:Clients:{client}",
            ]
        else:
            other = "Assets:Bank" if kind == "payment" else f"Income:Clients:{client}"
            lines += [
                f'{day} * "{client}" "{kind}"',
                f'  client: "{client}"',
                f"  {other}  {amount} {currency}",
                "  Assets:Receivable",
            ]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=shared_ledgers(), length=st.integers(0, 150))
def test_on_a_shared_receivable_the_closings_add_up_to_beancounts_balance(
    text: str, length: int
) -> None:
    entries, errors, options = loader.load_string(text)
    assert not errors
    end = datetime.date(2020, 1, 2) + datetime.timedelta(days=length)
    report = analyse_report(entries, options, as_of=end)
    total: dict[str, Decimal] = {}
    for client in CLIENTS:
        found = statements_of(report.question.scan, report.receivables, client)
        for statement in found.statements:
            assert statement.settled_unnamed == 0  # every payment names its client
            total[statement.currency] = (
                total.get(statement.currency, Decimal(0)) + statement.closing
            )
    balance = _balance(entries, "Assets:Receivable", end)
    assert {c: v for c, v in total.items() if v} == balance


def test_hours_billed_as_a_commodity_are_valued_at_their_price(tmp_path: Path) -> None:
    # 7 hours @ 300 USD = 2100.00 USD invoiced; 1500.00 USD paid: 600.00 USD due.
    text = textwrap.dedent(
        """\
        plugin "beancount_freelance.plugin"
        2024-01-01 open Assets:Bank
        2024-01-01 open Assets:Receivable:Globex
        2024-01-01 open Income:Clients:Globex
        2024-01-01 commodity XYZ.WORK_HOUR
        2024-01-31 * "Globex" "January" ^G-1
          Assets:Receivable:Globex   7 XYZ.WORK_HOUR @ 300 USD
          Income:Clients:Globex
        2024-02-15 * "Globex" "Payment" ^G-1
          Assets:Bank                1500.00 USD
          Assets:Receivable:Globex  -5 XYZ.WORK_HOUR @ 300 USD
        """
    )
    (usd,) = statement_json(ledger(tmp_path, text), "Globex")["statements"]
    assert usd["currency"] == "USD"
    assert lines(usd) == [
        ("2024-01-31", "invoice", "G-1", "2100.00", "2100.00"),
        ("2024-02-15", "payment", "G-1", "-1500.00", "600.00"),
    ]
    assert usd["closing"] == "600.00"
