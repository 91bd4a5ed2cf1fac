"""The JSON document of DESIGN §3: keys, types, rounding, and the example's golden.

The example's golden file also holds issue 6's receivables (`receivables` per
client, `overdue_invoices`), checked by hand in test_example_receivables_by_hand.

Regenerate the golden file, after checking the new numbers by hand, with
`UPDATE_GOLDEN=1 pytest tests/test_document.py`.
"""

from __future__ import annotations

import datetime
import json
import os
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from golden import lost_or_changed

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.document.streams import replacement_document, to_document
from beancount_freelance.core.messages import warning_text
from beancount_freelance.core.money import amount
from beancount_freelance.core.question import ask
from beancount_freelance.core.receivables.analysis import analyse_receivables
from beancount_freelance.core.report import analyse_report
from beancount_freelance.core.revenue.streams import analyse, what_if

D = datetime.date
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "example_ledger" / "main.beancount"
GOLDEN = Path(__file__).parent / "data" / "example_report.json"

CONTRACT_KEYS = {"as_of", "currency", "period", "clients", "totals"}
CONTRACT_KEYS |= {"concentration", "replacements", "warnings"}
CLIENT_KEYS = {
    "id",
    "name",
    "status",
    "start",
    "end",
    "last_revenue",
    "tenure_months",
    "cadence_days",
    "recurring",
    "revenue_total",
    "revenue_period",
    "revenue_t12m",
    "share_t12m",
    "monthly",
}
CONCENTRATION_KEYS = {"hhi", "effective_clients", "top1_share", "top3_share", "flags"}
REPLACEMENT_KEYS = {
    "client",
    "ended",
    "reason",
    "note",
    "monthly_lost",
    "share_at_end",
    "new_client_monthly",
    "clients_needed",
    "acquisition_per_month",
    "months_to_replace",
    "replaced_monthly",
    "replaced_share",
}

# Law: 300 a month in 2015, lost 2015-12-20; Shop 100 on 2015-06-10 and 200 on
# 2016-02-10 (cadence 245 days, not recurring); Loose: 10.005 EUR unattributed.
LEDGER = (
    textwrap.dedent(
        """\
    option "operating_currency" "EUR"
    2015-01-01 open Assets:Bank
    2015-01-01 open Income:Clients:Law
    2015-01-01 open Income:Clients:Shop
    2015-01-01 open Income:Other
    2015-01-01 custom "client" "Law" "Cabinet Law"
      kind: "retainer"
    2015-12-20 custom "client-lost" "Law" "Moved"
    """
    )
    + "".join(
        f'2015-{m:02d}-05 * "Law"\n  Assets:Bank  300 EUR\n  Income:Clients:Law\n'
        for m in range(1, 13)
    )
    + textwrap.dedent(
        """\
    2015-06-10 * "Shop"
      Assets:Bank  100 EUR
      Income:Clients:Shop
    2016-02-10 * "Shop"
      Assets:Bank  200 EUR
      Income:Clients:Shop
    2016-02-11 * "Loose"
      Assets:Bank  10.005 EUR
      Income:Other
    """
    )
)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    entries, errors, options_map = loader.load_string(LEDGER)
    assert errors == []
    portfolio = analyse(
        ask(entries, options_map, start=D(2015, 7, 1), end=D(2016, 2, 29))
    )
    return to_document(portfolio)


def test_every_key_of_the_contract_is_there(document: dict[str, Any]) -> None:
    assert set(document) >= CONTRACT_KEYS
    assert all(set(client) >= CLIENT_KEYS for client in document["clients"])
    assert set(document["concentration"]) >= CONCENTRATION_KEYS
    assert {"revenue_total", "revenue_period", "revenue_t12m"} <= set(
        document["totals"]
    )
    assert all(set(r) >= REPLACEMENT_KEYS for r in document["replacements"])
    json.dumps(document)  # plain JSON types only


def test_values_have_the_contract_s_types(document: dict[str, Any]) -> None:
    assert document["as_of"] == "2016-02-29"  # the period's end
    assert document["currency"] == "EUR"
    assert document["period"] == {"start": "2015-07-01", "end": "2016-02-29"}
    law, shop = document["clients"]  # t12m: Law 300 x 10 = 3000 > Shop 300
    assert law == {
        "id": "Law",
        "name": "Cabinet Law",
        "kind": "retainer",
        "status": "lost",
        "start": "2015-01-05",
        "end": "2015-12-20",
        "last_revenue": "2015-12-05",
        "tenure_months": 11,  # 2015-01-05 -> 2015-12-20
        "cadence_days": 31,  # gaps of 28, 30 and 31 days; the median is 31
        "recurring": True,
        "revenue_total": "3600.00",
        "revenue_period": "1800.00",  # 2015-07..2015-12
        "revenue_t12m": "3000.00",  # 2015-03..2015-12 ((2015-02-28, 2016-02-29])
        "share_t12m": 0.9091,  # 3000 / 3300
        "monthly": {f"2015-{m:02d}": "300.00" for m in range(7, 13)},
        "events": [{"date": "2015-12-20", "kind": "lost", "note": "Moved"}],
        "selected": True,
        "days_since_revenue": 86,  # 2015-12-05 -> 2016-02-29: 26 + 31 + 29
        "days_silent": 86,  # no client-back
        "at_risk": False,  # lost, not active
    }
    assert shop["cadence_days"] == 245  # 2015-06-10 -> 2016-02-10
    assert shop["monthly"] == {"2016-02": "200.00"}  # June is before the period
    assert shop["share_t12m"] == 0.0909  # 300 / 3300
    assert document["totals"] == {
        "revenue_total": "3900.00",
        "revenue_period": "2000.00",
        "revenue_t12m": "3300.00",
        "unattributed": {
            "revenue_total": "10.01",  # 10.005, half up
            "revenue_period": "10.01",
            "revenue_t12m": "10.01",
        },
        "active_clients": 1,
        # Law is recurring (4 dates a month apart), Shop is not (2 dates).
        "recurring": {
            "revenue_total": "3600.00",
            "revenue_period": "1800.00",
            "revenue_t12m": "3000.00",
        },
        "one_off": {
            "revenue_total": "300.00",
            "revenue_period": "200.00",
            "revenue_t12m": "300.00",
        },
    }
    # HHI = 90.909² + 9.0909² = 8264.46 + 82.64 = 8347.1 -> 8347; 10000 / 8347.1.
    concentration = document["concentration"]
    assert (concentration["hhi"], concentration["effective_clients"]) == (8347, 1.2)
    assert (concentration["top1_share"], concentration["top3_share"]) == (0.9091, 1.0)
    assert concentration["flags"][-1] == {
        "client": "Law",
        "share": 0.9091,
        "threshold": 0.8333,
        "label": "one main client",
    }
    assert [w.split(": ", 1)[1] for w in document["warnings"]] == [
        # "Loose" is a narration: no payee pays Income:Other, so no client is
        # made of it (docs/ledger.md, "Your books as they are").
        "10.01 EUR of income has no client (Income:Other 10.01); no client pays "
        "Income:Other (no payee, or gains held at cost or converted at a price): "
        "if it is not business income, narrow the config's `income` regex to the "
        "accounts of your business"
    ]


def test_replacement_object(document: dict[str, Any]) -> None:
    (law,) = document["replacements"]
    # Window 2015-01..2015-12: 300 a month, 3600 of everyone's 3700 (Shop's 100).
    # Reference: Shop, 2015-06..2016-02 clipped at as_of: 300 / 9 = 33.33;
    # ceil(300 / 33.33) = 9 clients. Acquired: Law and Shop in 12 months.
    # Since: nobody new. 9 / (2 / 12) = 54 months.
    assert law == {
        "client": "Law",
        "ended": "2015-12-20",
        "reason": "lost",
        "note": "Moved",
        "monthly_lost": "300.00",
        "share_at_end": 0.973,
        "new_client_monthly": "33.33",
        "clients_needed": 9,
        "acquisition_per_month": 0.1667,
        "months_to_replace": 54.0,
        "replaced_monthly": "0.00",
        "replaced_share": 0.0,
        "window": {"start": "2015-01", "end": "2015-12", "months": 12},
        "reference_clients": ["Shop"],
        "reference_fallback": False,
        "clients_acquired": 2,
        "acquisition_months": 12,
        "new_clients": [],
        # No client started after the loss: nothing new in January or February.
        "progress": [
            {"month": "2016-01", "new_clients": "0.00", "replaced_monthly": "0.00"},
            {"month": "2016-02", "new_clients": "0.00", "replaced_monthly": "0.00"},
        ],
        "recurring": True,
    }


def test_what_if_document_has_the_replacement_shape() -> None:
    entries, _, options_map = loader.load_string(LEDGER)
    portfolio = analyse(ask(entries, options_map, as_of=D(2016, 3, 1)))
    shop = replacement_document(what_if(portfolio, "Shop"))
    assert set(shop) >= REPLACEMENT_KEYS
    assert (shop["client"], shop["ended"], shop["reason"]) == (
        "Shop",
        "2016-03-01",
        "what-if",
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("10.005", "10.01"),
        ("2.675", "2.68"),
        ("-2.675", "-2.68"),
        ("-0.001", "0.00"),
        ("1E+3", "1000.00"),
        ("1321.95", "1321.95"),
        ("123456789012345678901234567890.125", "123456789012345678901234567890.13"),
    ],
)
def test_amounts_are_rounded_to_cents_half_up(value: str, text: str) -> None:
    assert amount(Decimal(value)) == text


def test_warnings_read_as_bean_check_prints_errors() -> None:
    entries, _, options_map = loader.load_string(LEDGER)
    (warning,) = analyse(ask(entries, options_map)).warnings
    assert warning_text(warning) == f"<string>:{warning.source['lineno']}: " + (
        warning.message
    )


# --- The example ledger ---------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    entries, errors, options_map = loader.load_file(str(EXAMPLE))
    assert errors == []
    return report_document(analyse_report(entries, options_map, as_of=D(2017, 12, 31)))


def test_example_report_matches_the_golden_file(example: dict[str, Any]) -> None:
    text = json.dumps(example, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    # Later documents may add keys, never lose or change one (issue 23).
    assert (
        lost_or_changed(json.loads(GOLDEN.read_text(encoding="utf-8")), example) == []
    )


def test_example_report_tells_the_story(example: dict[str, Any]) -> None:
    """As of 2017-12-31, checked against the ledger's text (example_ledger/README).

    Trailing 12 months = 2017: Dubois 12 x 450 = 5400, Bianchi 11 x 500 = 5500,
    Huet 12 x 280 = 3360, Olivier (back in March) 10 x 320 = 3200, Mercier
    5 x 300 = 1500, Garnier 800 + 700 = 1500, MJCBelleville 3 x 450 = 1350,
    LibrairieVent 3 x 320 = 960, AtelierDupont 3 x 300 = 900, Kinetica
    600 USD x (0.9430 + 0.9403 + 0.9366 + 0.9348 + 0.9141 + 0.8946) by the price
    of each payday (3338.04) + 700 USD x (0.8736 + 0.8514 + 0.8419 + 0.8474 +
    0.8509 + 0.8458) at the `@` prices (3577.70) = 6915.74. Sum: 30585.74.
    """
    clients = {client["id"]: client for client in example["clients"]}
    t12m = {key: value["revenue_t12m"] for key, value in clients.items()}
    assert t12m == {
        "Kinetica": "6915.74",
        "Bianchi": "5500.00",
        "Dubois": "5400.00",
        "Huet": "3360.00",
        "Olivier": "3200.00",
        "Garnier": "1500.00",
        "Mercier": "1500.00",
        "MJCBelleville": "1350.00",
        "LibrairieVent": "960.00",
        "AtelierDupont": "900.00",
        "Benali": "0.00",
        "Lambert": "0.00",  # a prospect: her proposal of 2017-12-04 is open
        "Lefevre": "0.00",
        "Petitjean": "0.00",
        "Rivages": "0.00",
        "Roux": "0.00",
        "Verdier": "0.00",
    }
    assert list(t12m) == [client["id"] for client in example["clients"]]
    assert example["totals"]["revenue_t12m"] == "30585.74"
    assert clients["Kinetica"]["share_t12m"] == round(6915.74 / 30585.74, 4)
    # Lefèvre: 15 monthly payments of 300 from 2014-10-05, lost 2015-12-29.
    lefevre = clients["Lefevre"]
    assert (lefevre["status"], lefevre["end"], lefevre["revenue_total"]) == (
        "lost",
        "2015-12-29",
        "4500.00",
    )
    assert lefevre["tenure_months"] == 14  # 2014-10-05 -> 2015-12-29
    # Verdier: 1600 + 2400 - a credit note of 400 (2016-09-20).
    assert clients["Verdier"]["revenue_total"] == "3600.00"
    assert clients["Verdier"]["monthly"]["2016-09"] == "-400.00"
    # Mercier: 10 x 260 + 12 x 280 + 5 x 300 = 7460, quiet since 2017-05-12:
    # cadence 31 days, so dormant after 62 days.
    assert (clients["Mercier"]["status"], clients["Mercier"]["end"]) == (
        "dormant",
        "2017-05-12",
    )
    assert clients["Mercier"]["revenue_total"] == "7460.00"
    # Olivier: lost 2016-06-15, back 2017-03-01, paying since.
    assert clients["Olivier"]["status"] == "active"
    assert [e["kind"] for e in clients["Olivier"]["events"]] == ["lost", "back"]
    # Petitjean is known from its account only; Roux and Benali were one-offs.
    assert clients["Petitjean"]["name"] == "Petitjean"
    assert {clients[c]["recurring"] for c in ("Roux", "Benali", "Petitjean")} == {False}
    # Only Mercier ended in the 24 months before as_of and was recurring:
    # window 2016-06..2017-05, 7 x 280 + 5 x 300 = 3460 / 12 = 288.33.
    (mercier,) = example["replacements"]
    assert (mercier["client"], mercier["reason"]) == ("Mercier", "dormant")
    assert mercier["monthly_lost"] == "288.33"
    assert example["warnings"] == []


def test_example_receivables_by_hand(example: dict[str, Any]) -> None:
    """Issue 6 on the example ledger, as of 2017-12-31 (example_ledger/2016, 2017).

    Bianchi's invoices of October and November 2017 are unpaid: 2017-061 is due
    2017-11-30, 31 days late; 2017-068 due 2017-12-30, 1 day late. 2017-073 of
    2017-12-31 is due 2018-01-30, current. Its 8 paid invoices took 24, 42, 40, 35,
    49, 30, 43 and 27 days (290 / 8 = 36.25; median (35 + 40) / 2 = 37.5); on time:
    2017-011, 2017-043 (paid on its due date 2017-08-30) and 2017-055, 3 of 8.
    Dubois: 2016-031 (2016-08-31, paid 2016-10-17) took 30 + 17 = 47 days, late
    (due 2016-09-30); 2017-037 (2017-06-30, 200 on 2017-07-21, the other 250 on
    2017-08-25) took 31 + 25 = 56 days, late (due 2017-07-30); its 19 other paid
    invoices were on time: 19 / 21 = 0.9048. Its December invoice is current.
    """
    assert example["overdue_invoices"] == [
        {
            "client": "Bianchi",
            "link": "invoice-2017-061",
            "date": "2017-10-31",
            "due": "2017-11-30",
            "days_late": 31,
            "open": "500.00",
            "account": "Assets:AccountsReceivable",
            "narration": "Facture 2017-061 — réseaux sociaux et newsletter "
            "octobre 2017",
        },
        {
            "client": "Bianchi",
            "link": "invoice-2017-068",
            "date": "2017-11-30",
            "due": "2017-12-30",
            "days_late": 1,
            "open": "500.00",
            "account": "Assets:AccountsReceivable",
            "narration": "Facture 2017-068 — réseaux sociaux et newsletter "
            "novembre 2017",
        },
    ]
    clients = {client["id"]: client["receivables"] for client in example["clients"]}
    assert clients["Bianchi"] == {
        "invoices": 11,
        "paid": 8,
        "paid_on_time_share": 0.375,
        "days_to_pay_avg": 36.25,
        "days_to_pay_median": 37.5,
        "open": "1500.00",
        "overdue": "1000.00",
        "aging": {
            "current": "500.00",
            "1-30": "500.00",
            "31-60": "500.00",
            "61-90": "0.00",
            "90+": "0.00",
        },
        "last_paid": "2017-10-27",  # its last payment, of invoice 2017-055
    }
    dubois = clients["Dubois"]
    assert (dubois["invoices"], dubois["paid"]) == (22, 21)
    assert dubois["paid_on_time_share"] == round(19 / 21, 4)
    assert (dubois["open"], dubois["overdue"]) == ("450.00", "0.00")
    assert dubois["aging"]["current"] == "450.00"
    entries, _, options_map = loader.load_file(str(EXAMPLE))
    found = analyse_receivables(ask(entries, options_map, as_of=D(2017, 12, 31)))
    days = {inv.link: inv.days_to_pay for inv in found.invoices_of("Dubois")}
    assert (days["invoice-2016-031"], days["invoice-2017-037"]) == (47, 56)
    # Clients paid without invoices (a bank transfer straight to income) have none.
    assert clients["Huet"]["invoices"] == 0
    assert clients["Huet"]["days_to_pay_avg"] is None


# --- Receivables in the document (issue 6) --------------------------------------

# As of 2016-03-31: ^a-1 (Law, 2016-01-31, due 2016-03-01) is paid on 2016-02-15,
# 15 days; ^a-2 (Law, 2016-02-01, due: 2016-02-20) is open, 40 days late; ^o-1
# books revenue to Income:Other, no client: left out, with a warning.
INVOICED = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    2016-01-01 open Assets:Bank
    2016-01-01 open Assets:AccountsReceivable
    2016-01-01 open Income:Clients:Law
    2016-01-01 open Income:Clients:Shop
    2016-01-01 open Income:Other
    2016-01-31 * "Law" "January" ^a-1
      Assets:AccountsReceivable   300 EUR
      Income:Clients:Law
    2016-02-01 * "Law" "Extra" ^a-2
      due: 2016-02-20
      Assets:AccountsReceivable   120 EUR
      Income:Clients:Law
    2016-02-10 * "Shop" "Paid on the spot"
      Assets:Bank                 100 EUR
      Income:Clients:Shop
    2016-02-12 * "Misc" "Talk" ^o-1
      Assets:AccountsReceivable    50 EUR
      Income:Other
    2016-02-15 * "Law" "Payment" ^a-1
      Assets:Bank                 300 EUR
      Assets:AccountsReceivable
    """
)


def test_receivables_join_the_document() -> None:
    entries, errors, options_map = loader.load_string(INVOICED)
    assert errors == []
    portfolio = analyse(ask(entries, options_map, as_of=D(2016, 3, 31)))
    receivables = analyse_receivables(ask(entries, options_map, as_of=D(2016, 3, 31)))
    document = to_document(portfolio, receivables)
    assert list(document)[-3:] == ["overdue_invoices", "unapplied_credits", "warnings"]
    law, shop = document["clients"]
    assert law["receivables"]["invoices"] == 2
    assert law["receivables"]["days_to_pay_avg"] == 15
    assert (law["receivables"]["open"], law["receivables"]["overdue"]) == (
        "120.00",
        "120.00",
    )
    assert law["receivables"]["aging"]["31-60"] == "120.00"
    assert shop["receivables"]["invoices"] == 0  # paid on the spot: no invoice
    assert document["overdue_invoices"] == [
        {
            "client": "Law",
            "link": "a-2",
            "date": "2016-02-01",
            "due": "2016-02-20",
            "days_late": 40,
            "open": "120.00",
            "account": "Assets:AccountsReceivable",
            "narration": "Extra",
        }
    ]
    # The analysis' warning (50 EUR of income without a client), then the
    # receivables' (the invoice ^o-1), both as `file:line: message`.
    unattributed, no_client = document["warnings"]
    assert unattributed.startswith("<string>:")
    assert "50.00 EUR of income has no client" in unattributed
    (warning,) = receivables.warnings
    assert no_client == f"<string>:{warning.source['lineno']}: {warning.message}"
    assert "belongs to no client" in no_client
    json.dumps(document)
    # Without receivables, the document is the analysis alone.
    alone = to_document(portfolio)
    assert "overdue_invoices" not in alone
    assert "receivables" not in alone["clients"][0]
    assert alone["warnings"] == [unattributed]
