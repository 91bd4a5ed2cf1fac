"""Hypothesis strategies that write whole freelance ledgers, hostile ones included.

Shared by the property tests of the plugin and of the analysis: clients declared or
not, lifecycle events in any order, several currencies with and without prices,
refunds, sub-accounts, `client:` metadata on postings and transactions, invoices on
receivables (numbered in metadata or linked, over one account or a line per
project) with their payments, stray numbers and write-offs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from hypothesis import strategies as st

CLIENT_IDS = ["Lefevre", "Acme", "Bistro", "Zed", "Atelier"]
INCOME_ACCOUNTS = [
    "Income:Clients:Lefevre",
    "Income:Clients:Acme",
    "Income:Clients:Acme:Workshops",
    "Income:Clients:Nobody",
    "Income:Freelance:Shared",
    "Income:Interest",
]
PAYEES = ["LEFEVRE SARL", "VIR ACME", "BISTRO DU COIN", "ZED", "Someone", ""]
PAYEE_REGEXES = ["LEFEVRE", "ACME|BISTRO", "BISTRO", "(", "ZED", ""]
CURRENCIES = ["EUR", "EUR", "EUR", "USD", "GBP"]

START = datetime.date(2014, 1, 1)


@dataclass(frozen=True)
class GeneratedLedger:
    text: str

    def __str__(self) -> str:
        return self.text


def _day(offset: int) -> str:
    return (START + datetime.timedelta(days=offset)).isoformat()


@st.composite
def declarations(draw: st.DrawFn) -> list[str]:
    lines = []
    for client_id in draw(st.lists(st.sampled_from(CLIENT_IDS), max_size=6)):
        name = draw(st.sampled_from(["", f' "{client_id} & Co"', ' "<b>x</b>"']))
        lines.append(
            f'{_day(draw(st.integers(0, 400)))} custom "client" "{client_id}"{name}'
        )
        if draw(st.booleans()):
            lines.append(f'  payee: "{draw(st.sampled_from(PAYEE_REGEXES))}"')
        if draw(st.booleans()):
            lines.append(f"  account: Income:Freelance:{client_id}")
    return lines


@st.composite
def events(draw: st.DrawFn) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["client-lost", "client-back"]))
        client_id = draw(st.sampled_from([*CLIENT_IDS, "Lefevr", "Nobody"]))
        reason = draw(st.sampled_from(["", ' "moved on"', ' "a" "b"', " 42"]))
        day = _day(draw(st.integers(0, 1400)))
        lines.append(f'{day} custom "{kind}" "{client_id}"{reason}')
    return lines


@st.composite
def transaction(draw: st.DrawFn) -> list[str]:
    day = _day(draw(st.integers(0, 1400)))
    payee = draw(st.sampled_from(PAYEES))
    lines = [f'{day} * "{payee}" "work"']
    if draw(st.integers(0, 4)) == 0:
        lines.append(f'  client: "{draw(st.sampled_from([*CLIENT_IDS, "Ghost"]))}"')
    account = draw(st.sampled_from(INCOME_ACCOUNTS))
    number = draw(st.integers(-500, 3000)) or 1
    currency = draw(st.sampled_from(CURRENCIES))
    price = ""
    if currency != "EUR" and draw(st.booleans()):
        price = f" @ {draw(st.sampled_from(['0.9', '1.1', '1.25']))} EUR"
    lines.append(
        f"  {account}  {-number}.{draw(st.integers(0, 99)):02d} {currency}{price}"
    )
    if draw(st.integers(0, 3)) == 0:
        lines.append(f'    client: "{draw(st.sampled_from([*CLIENT_IDS, "Ghost"]))}"')
    lines.append("  Assets:Bank")
    return lines


RECEIVABLES = [
    "Assets:Receivable",
    "Assets:Receivable:Acme",
    "Assets:Receivable:Acme:Web",
    "Assets:Receivable:Acme:Ops",
]


@st.composite
def receivable_transaction(draw: st.DrawFn) -> list[str]:
    """An invoice (sometimes a line per project), a payment or a write-off, naming
    its invoice by `invoice:` (sometimes a number no invoice carries) or a link."""
    day = _day(draw(st.integers(0, 1400)))
    number = draw(st.sampled_from(["", "7", "8", " 7 ", "404"]))
    link = draw(st.sampled_from(["", " ^inv-7"]))
    kind = draw(st.sampled_from(["invoice", "split", "payment", "write-off"]))
    amount = draw(st.integers(1, 900))
    lines = [f'{day} * "VIR ACME" "{kind}"{link}']
    if number:
        lines.append(f'  invoice: "{number}"')
    if kind == "split":
        lines += [
            f"  Assets:Receivable:Acme:Web  {amount}.00 EUR",
            f"  Assets:Receivable:Acme:Ops  {amount + 1}.00 EUR",
            "  Income:Clients:Acme",
        ]
        return lines
    account = draw(st.sampled_from(RECEIVABLES))
    other = {"payment": "Assets:Bank", "write-off": "Expenses:BadDebts"}
    sign = "" if kind == "invoice" else "-"
    return [
        *lines,
        f"  {account}  {sign}{amount}.00 EUR",
        f"  {other.get(kind, 'Income:Clients:Acme')}",
    ]


@st.composite
def ledgers(draw: st.DrawFn) -> GeneratedLedger:
    lines = ['option "operating_currency" "EUR"', "2013-01-01 open Assets:Bank"]
    lines += [f"2013-01-01 open {account}" for account in INCOME_ACCOUNTS]
    lines += [
        f"2013-01-01 open Income:Freelance:{client_id}" for client_id in CLIENT_IDS
    ]
    lines += draw(declarations())
    lines += draw(events())
    for _ in range(draw(st.integers(0, 4))):
        rate = draw(st.sampled_from(["0.91", "1.12", "0.8"]))
        currency = draw(st.sampled_from(["USD", "GBP"]))
        lines.append(f"{_day(draw(st.integers(0, 1400)))} price {currency} {rate} EUR")
    for _ in range(draw(st.integers(0, 25))):
        lines += draw(transaction())
    lines += [f"2013-01-01 open {a}" for a in [*RECEIVABLES, "Expenses:BadDebts"]]
    for _ in range(draw(st.integers(0, 8))):
        lines += draw(receivable_transaction())
    return GeneratedLedger("\n".join(lines) + "\n")


# --- More hostile ledgers, for the analysis ------------------------------------------

EXTREME_DAYS = [
    "0001-01-01",
    "0001-01-02",
    "2014-02-28",
    "2016-02-29",
    "2015-12-31",
    "9999-12-31",
]


@st.composite
def odd_transaction(draw: st.DrawFn) -> list[str]:
    """Income as books written by hand hold it: on the first or last day there
    is, at cost, for nothing, in a currency with no price, on the clients root."""
    day = draw(st.sampled_from(EXTREME_DAYS))
    account = draw(st.sampled_from([*INCOME_ACCOUNTS, "Income:Clients"]))
    number = draw(st.sampled_from(["0", "-0.001", "-1000000000", "250", "-99.99"]))
    currency, annotation = draw(
        st.sampled_from(
            [
                ("EUR", ""),
                ("JPY", ""),
                ("USD", " @ 1.1 USD"),
                ("USD", " {1.25 EUR}"),
                ("GBP", " @@ 10 EUR"),
                ("USD", " @ 0 EUR"),
            ]
        )
    )
    payee = draw(st.sampled_from(PAYEES))
    lines = [f'{day} * "{payee}" "odd"']
    if draw(st.booleans()):
        lines.append(f'  client: "{draw(st.sampled_from([*CLIENT_IDS, "Ghost"]))}"')
    lines.append(f"  {account}  {number} {currency}{annotation}")
    lines.append("  Assets:Bank")
    return lines


@st.composite
def hostile_ledgers(draw: st.DrawFn) -> GeneratedLedger:
    """`ledgers()` plus odd income, events on extreme days and zero prices."""
    lines = [draw(ledgers()).text]
    for _ in range(draw(st.integers(0, 4))):
        lines += draw(odd_transaction())
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["client-lost", "client-back"]))
        client_id = draw(st.sampled_from(CLIENT_IDS))
        lines.append(
            f'{draw(st.sampled_from(EXTREME_DAYS))} custom "{kind}" "{client_id}"'
        )
    if draw(st.booleans()):
        lines.append(f"{draw(st.sampled_from(EXTREME_DAYS))} price USD 0 EUR")
    return GeneratedLedger("\n".join(lines) + "\n")
