"""Books as freelancers keep them: one small ledger per convention.

Each ledger of tests/data/conventions/ runs as its user wrote it (the plugin
line alone) and with the one config line a reviewer would add
(`client_accounts` for `Income:Consulting:<X>`); the clients, their revenue, the
currency and the warnings are checked by hand below. Where the package cannot
tell the clients, its first warning is a line to paste: pasting it gives them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from fava.core.filters import AdvancedFilter

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report

CONVENTIONS = Path(__file__).parent / "data" / "conventions"
PLUGIN = 'plugin "beancount_freelance.plugin"\n'
CONSULTING = (
    'plugin "beancount_freelance.plugin" '
    "\"{'client_accounts': '^Income:Consulting:(?P<client>[^:]+)'}\"\n"
)


@dataclass(frozen=True)
class Expected:
    currency: str
    as_of: str
    clients: dict[str, str]  # id -> revenue_total
    unattributed: dict[str, str] = field(default_factory=dict)  # account -> total
    warnings: tuple[str, ...] = ()  # the start of each warning, in order
    errors: int = 0  # the plugin's errors


def run(name: str, plugin_line: str) -> tuple[dict[str, Any], list[Any]]:
    text = (CONVENTIONS / name).read_text(encoding="utf-8")
    assert PLUGIN in text
    entries, errors, options = loader.load_string(text.replace(PLUGIN, plugin_line))
    return report_document(analyse_report(entries, options)), errors


def check(document: dict[str, Any], errors: list[Any], expected: Expected) -> None:
    assert document["currency"] == expected.currency
    assert document["as_of"] == expected.as_of
    assert {c["id"]: c["revenue_total"] for c in document["clients"]} == (
        expected.clients
    )
    assert {
        item["account"]: item["revenue_total"]
        for item in document["unattributed_accounts"]
    } == expected.unattributed
    messages = [w.split(": ", 1)[1] for w in document["warnings"]]
    assert len(messages) == len(expected.warnings)
    for message, start in zip(messages, expected.warnings, strict=True):
        assert message.startswith(start), message
    assert len(errors) == expected.errors


NO_CLIENT = "of income has no client"
USD_INFERRED = (
    "The ledger has no operating_currency: amounts are reported in USD, the "
    'currency most income is worth in; add `option "operating_currency" "USD"`'
)
FOUND = (
    "2 clients found from their receivable accounts: Acme "
    "(Assets:Receivable:Acme), Globex (Assets:Receivable:Globex)"
)

# Mesa 4200 + 3800 = 8000, Orbit 1500: the same with or without the line (the
# documented Income:Clients:<X> always holds).
LINKS = Expected(
    "USD",
    "2014-03-15",
    {"Mesa": "8000.00", "Orbit": "1500.00"},
    warnings=(USD_INFERRED,),
)
# Acme 2000 + 2000, Globex 500; the interest (1.50) is nobody's.
CONSULTING_FOUND = Expected(
    "EUR",
    "2020-03-01",
    {"Acme": "4000.00", "Globex": "500.00"},
    {"Income:Interest": "1.50"},
    ("1.50 EUR of income has no client",),
)
CONSULTING_ALONE = Expected(
    "EUR",
    "2020-03-01",
    {},
    {
        "Income:Consulting:Acme": "4000.00",
        "Income:Consulting:Globex": "500.00",
        "Income:Interest": "1.50",
    },
    (
        "4501.50 EUR of income has no client (Income:Consulting:Acme 4000.00, "
        "Income:Consulting:Globex 500.00, Income:Interest 1.50); if each account "
        "below Income:Consulting is a client, write the plugin line as `plugin "
        '"beancount_freelance.plugin" "{\'client_accounts\': '
        "'^Income:Consulting:(?P<client>[^:]+)'}\"`",
    ),
)
CONTRACTING = Expected(
    "GBP",
    "2021-05-31",
    {},
    {
        "Income:Contracting:Initech:Migration": "6000.00",
        "Income:Contracting:Hooli": "1650.00",
        "Income:Contracting:Initech:Support": "750.00",
    },
    (
        "8400.00 GBP of income has no client (Income:Contracting:Initech:Migration "
        "6000.00, Income:Contracting:Hooli 1650.00, Income:Contracting:Initech:Support "
        "750.00); if each account below Income:Contracting is a client",
    ),
)
INCOME_ROOT = Expected(
    "EUR",
    "2019-05-10",
    {},
    {"Income:Dupont": "1400.00", "Income:Martin": "300.00"},
    (
        "1700.00 EUR of income has no client (Income:Dupont 1400.00, Income:Martin "
        "300.00); if each account below Income is a client",
    ),
)
BUSINESS = Expected(
    "USD",
    "2022-02-20",
    {},
    {
        "Income:Salary": "5000.00",
        "Income:Studio:Clients:Cobalt": "1100.00",
        "Income:Studio:Clients:Bloom": "900.00",
    },
    (
        "7000.00 USD of income has no client (Income:Salary 5000.00, "
        "Income:Studio:Clients:Cobalt 1100.00, Income:Studio:Clients:Bloom 900.00); "
        "if each account below Income:Studio:Clients is a client",
    ),
)
# Acme 3000, Globex 1000, named by their receivables; the payment is no revenue.
RECEIVABLES = Expected(
    "EUR", "2023-03-10", {"Acme": "3000.00", "Globex": "1000.00"}, warnings=(FOUND,)
)
PAYEES = Expected(
    "USD",
    "2024-03-05",
    {},
    {"Income:Consulting": "5800.00"},
    (
        "5800.00 USD of income has no client (Income:Consulting 5800.00); "
        "Income:Consulting has several payees; if the payee is the client, write the "
        'plugin line as `plugin "beancount_freelance.plugin" "{\'payee_accounts\': '
        "'^Income:Consulting$'}\"`",
    ),
)
PAYEES_KEPT = Expected(
    "USD",
    "2024-03-05",
    {},
    {"Income:Consulting": "5800.00"},
    (
        "5800.00 USD of income has no client (Income:Consulting 5800.00); "
        "Income:Consulting has several payees; if the payee is the client, write the "
        'plugin line as `plugin "beancount_freelance.plugin" "{\'client_accounts\': '
        "'^Income:Consulting:(?P<client>[^:]+)', 'payee_accounts': "
        "'^Income:Consulting$'}\"`",
    ),
    errors=3,
)
CZECH = Expected(
    "CZK",
    "2022-03-01",
    {},
    {"Prijmy:Klienti:Novak": "25000.00", "Prijmy:Klienti:Svoboda": "10000.00"},
    (
        "35000.00 CZK of income has no client (Prijmy:Klienti:Novak 25000.00, "
        "Prijmy:Klienti:Svoboda 10000.00); if each account below Prijmy:Klienti is a "
        "client",
    ),
)
FRENCH = Expected("EUR", "2022-03-01", {"Leroy": "1500.00", "Moreau": "500.00"})
# The last transaction is 30 June 2020: the open and the price of 2022 do not
# move as_of, so both months are in the trailing twelve.
LATE_OPEN = Expected("EUR", "2020-06-30", {"Acme": "2000.00"})

CASES = {
    "links-no-operating-currency.beancount": (LINKS, LINKS),
    "income-consulting.beancount": (CONSULTING_ALONE, CONSULTING_FOUND),
    "income-contracting.beancount": (CONTRACTING, CONTRACTING),
    "income-root.beancount": (INCOME_ROOT, INCOME_ROOT),
    "business-clients.beancount": (BUSINESS, BUSINESS),
    "receivable-per-client.beancount": (RECEIVABLES, RECEIVABLES),
    # With the Consulting line, require_client follows it: each of the three
    # postings to the shared Income:Consulting is an error; the line proposed
    # keeps the key already there.
    "payee-shared.beancount": (PAYEES, PAYEES_KEPT),
    "renamed-roots-cz.beancount": (CZECH, CZECH),
    "renamed-roots-fr.beancount": (FRENCH, FRENCH),
    "late-open.beancount": (LATE_OPEN, LATE_OPEN),
}


def test_every_ledger_of_the_corpus_has_its_case() -> None:
    assert sorted(p.name for p in CONVENTIONS.glob("*.beancount")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_with_the_plugin_line_alone(name: str) -> None:
    check(*run(name, PLUGIN), CASES[name][0])


@pytest.mark.parametrize("name", sorted(CASES))
def test_with_the_client_accounts_line(name: str) -> None:
    check(*run(name, CONSULTING), CASES[name][1])


FIXED = {
    "income-consulting.beancount": {"Acme": "4000.00", "Globex": "500.00"},
    "income-contracting.beancount": {"Initech": "6750.00", "Hooli": "1650.00"},
    "income-root.beancount": {"Dupont": "1400.00", "Martin": "300.00"},
    "business-clients.beancount": {"Cobalt": "1100.00", "Bloom": "900.00"},
    "payee-shared.beancount": {"ACME Corp": "5000.00", "Globex": "800.00"},
    "renamed-roots-cz.beancount": {"Novak": "25000.00", "Svoboda": "10000.00"},
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_the_first_warning_is_the_line_to_paste(name: str) -> None:
    document, _ = run(name, PLUGIN)
    line = re.search(r"`(plugin [^`]+)`", document["warnings"][0])
    assert line is not None
    fixed, errors = run(name, line.group(1) + "\n")
    assert errors == []
    assert {c["id"]: c["revenue_total"] for c in fixed["clients"]} == FIXED[name]


# --- The attribution where the user looks: Fava's filter bar, bean-query -------


def test_fava_filter_bar_sees_a_client_named_by_its_receivable() -> None:
    text = (CONVENTIONS / "receivable-per-client.beancount").read_text()
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    found = AdvancedFilter('client:"Acme"').apply(entries)
    # The invoice (its income posting, rule 6); the payment has no income.
    assert [entry.narration for entry in found] == ["Invoice 2023-001 Acme"]


def test_bean_query_sees_a_client_named_by_the_payee(
    command: Callable[[str], str], tmp_path: Path
) -> None:
    text = (CONVENTIONS / "payee-shared.beancount").read_text()
    books = tmp_path / "books.beancount"
    books.write_text(
        text.replace(
            PLUGIN,
            'plugin "beancount_freelance.plugin" '
            "\"{'payee_accounts': '^Income:Consulting$'}\"\n",
        )
    )
    query = (
        "SELECT date, meta('client') AS client, position WHERE account = "
        "'Income:Consulting' ORDER BY date"
    )
    run = subprocess.run(
        [command("bean-query"), "-f", "csv", str(books), query],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = [line.split(",") for line in run.stdout.strip().splitlines()[1:]]
    assert [row[:2] for row in rows] == [
        ["2024-01-05", "ACME Corp"],
        ["2024-02-05", "Globex"],
        ["2024-03-05", "ACME Corp"],
    ]
