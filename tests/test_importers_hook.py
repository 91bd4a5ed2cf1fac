"""The assign_clients hook: income from importers that know nothing of clients.

The books are tests/data/importers/ledger.beancount: Roux paid once as "VIR SEPA
BOULANGERIE ROUX", MJC (payee regex "MJC BELLEVILLE") was paid on
Income:Freelance:Workshops, and Lefevre owes invoice 2017-042 (1200.00 EUR).
"""

from __future__ import annotations

import datetime
import inspect
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from beancount.core.amount import Amount
from beangulp import extract as beangulp_extract

from beancount_freelance.importers import (
    UNATTRIBUTED_KEY,
    BankStatementImporter,
    assign_clients,
    assign_clients_hook,
)

DATA = Path(__file__).parent / "data" / "importers"
LEDGER = str(DATA / "ledger.beancount")
BANK = "Assets:Bank:Checking"


def books() -> list[data.Directive]:
    entries, errors, _ = loader.load_file(LEDGER)
    assert not errors
    return list(entries)


def txn(
    payee: str | None,
    narration: str,
    *postings: tuple[str, str | None],
    meta: dict[str, Any] | None = None,
) -> data.Transaction:
    """A transaction as an importer would make it; amounts in EUR."""
    return data.Transaction(
        data.new_metadata("import.csv", 1, meta),
        datetime.date(2018, 1, 10),
        "*",
        payee,
        narration,
        data.EMPTY_SET,
        data.EMPTY_SET,
        [
            data.Posting(
                account,
                Amount(Decimal(number), "EUR") if number is not None else None,
                None,
                None,
                None,
                None,
            )
            for account, number in postings
        ],
    )


def run_hook(
    entries: list[data.Directive], hook: Any = assign_clients, beangulp: bool = True
) -> list[data.Directive]:
    """Run the hook as beangulp does (new entries appended to existing) or as Fava."""
    existing = books()
    if beangulp:
        existing.extend(entries)
    extracted = [("import.csv", entries, BANK, None)]
    result = hook(extracted, existing)
    assert len(result) == 1 and len(result[0]) == 4
    assert result[0][0] == "import.csv" and result[0][2] == BANK
    return list(result[0][1])


def accounts(entry: data.Directive) -> list[tuple[str, Decimal | None]]:
    assert isinstance(entry, data.Transaction)
    return [
        (p.account, p.units.number if p.units is not None else None)
        for p in entry.postings
    ]


# --- The bank importer knows nothing about clients -------------------------------


def test_bank_lines_get_their_clients() -> None:
    importer = BankStatementImporter(BANK)
    document = str(DATA / "bank.csv")
    new = importer.extract(document, [])
    roux, adobe, lefevre, mjc, unknown, balance = run_hook(new)

    # Roux: same payee as an earlier payment to Income:Clients:Roux.
    assert roux.meta["client"] == "Roux"
    assert accounts(roux) == [(BANK, Decimal("300.00")), ("Income:Clients:Roux", -300)]
    # Money going out is not client money: untouched.
    assert adobe == new[1]
    # Lefevre: the narration names invoice 2017-042, so the payment settles it.
    assert lefevre.meta["client"] == "Lefevre"
    assert accounts(lefevre)[1] == ("Assets:AccountsReceivable", Decimal("-1200.00"))
    assert lefevre.links == {"invoice-2017-042"}
    # No payee: the narration matches MJC's payee regex; MJC was paid on Workshops.
    assert mjc.payee == "" and mjc.meta["client"] == "MJC"
    assert accounts(mjc)[1] == ("Income:Freelance:Workshops", Decimal("-200.00"))
    # Nobody: kept, flagged, and told why.
    assert unknown.flag == "!"
    assert "INCONNU" in unknown.meta[UNATTRIBUTED_KEY]
    assert accounts(unknown) == [(BANK, Decimal("50.00"))]
    assert "client" not in unknown.meta
    assert isinstance(balance, data.Balance)


def test_placeholders_are_moved_to_the_client() -> None:
    entries: list[data.Directive] = [
        txn(
            "VIR CABINET LEFEVRE",
            "Retainer",
            (BANK, "500"),
            ("Income:Uncategorized", "-500"),
        ),
        txn(
            "VIR SEPA MJC BELLEVILLE",
            "Atelier",
            (BANK, "90"),
            ("Expenses:Unknown", "-90"),
        ),
        txn(
            "CB ADOBE",
            "Creative Cloud",
            ("Expenses:Unknown", "11.99"),
            (BANK, "-11.99"),
        ),
        txn(
            "VIR CABINET LEFEVRE", "Retainer", (BANK, "500"), ("Expenses:Unknown", None)
        ),
    ]
    income, credit, expense, balancing = run_hook(entries)
    # Lefevre is invoiced on the receivable: its payments settle it (its income
    # was booked with the invoice); MJC is paid on its income account.
    assert accounts(income)[1] == ("Assets:AccountsReceivable", Decimal("-500"))
    assert income.meta["client"] == "Lefevre"
    assert accounts(credit)[1] == ("Income:Freelance:Workshops", Decimal("-90"))
    assert expense == entries[2]  # an expense to a placeholder is no income
    assert accounts(balancing)[1] == ("Assets:AccountsReceivable", None)


def test_placeholders_are_configurable() -> None:
    hook = assign_clients_hook(placeholders=["Income:ToSort"])
    entries: list[data.Directive] = [
        txn("VIR SEPA BOULANGERIE ROUX", "", (BANK, "70"), ("Income:ToSort", "-70")),
        txn("VIR SEPA BOULANGERIE ROUX", "", (BANK, "70"), ("Expenses:Unknown", "-70")),
    ]
    moved, kept = run_hook(entries, hook)
    assert accounts(moved)[1] == ("Income:Clients:Roux", Decimal("-70"))
    assert kept == entries[1]


def test_single_legged_lines_can_be_left_alone() -> None:
    hook = assign_clients_hook(complete_single_legged=False)
    entries: list[data.Directive] = [txn("VIR SEPA BOULANGERIE ROUX", "", (BANK, "70"))]
    assert run_hook(entries, hook) == entries


def test_income_already_on_a_client_account_gets_its_client_metadata() -> None:
    entries: list[data.Directive] = [
        txn("ANYONE", "", (BANK, "80"), ("Income:Clients:Roux", "-80")),
    ]
    (entry,) = run_hook(entries)
    assert entry.meta["client"] == "Roux" and entry.flag == "*"
    assert accounts(entry) == accounts(entries[0])


def test_client_metadata_wins_and_unknown_ids_are_flagged() -> None:
    entries: list[data.Directive] = [
        txn("VIR SEPA MJC BELLEVILLE", "", (BANK, "60"), meta={"client": "Roux"}),
        txn("VIR SEPA X", "", (BANK, "60"), meta={"client": "Rouxx"}),
    ]
    chosen, unknown = run_hook(entries)
    assert accounts(chosen)[1] == ("Income:Clients:Roux", Decimal("-60"))
    assert unknown.flag == "!"
    assert "Unknown client 'Rouxx'" in unknown.meta[UNATTRIBUTED_KEY]
    assert "did you mean 'Roux'" in unknown.meta[UNATTRIBUTED_KEY]


def test_a_payee_matching_several_clients_is_flagged() -> None:
    existing = (
        books()
        + loader.load_string(
            textwrap.dedent(
                """
            2017-01-01 custom "client" "Lefevre2" "Lefèvre & fils"
              payee: "LEFEVRE"
            """
            )
        )[0]
    )
    entries: list[data.Directive] = [txn("VIR LEFEVRE", "", (BANK, "10"))]
    result = assign_clients([("f.csv", entries, BANK, None)], existing)
    (entry,) = result[0][1]
    assert entry.flag == "!"
    assert "several clients (Lefevre, Lefevre2)" in entry.meta[UNATTRIBUTED_KEY]


def test_new_entries_are_not_taken_for_the_books() -> None:
    # The first line is attributed by its metadata; were it part of the books, the
    # second line (same payee) would be attributed as an "earlier payment".
    entries: list[data.Directive] = [
        txn("NEW PAYER", "", (BANK, "40"), ("Income:Clients:Roux", "-40")),
        txn("NEW PAYER", "", (BANK, "40")),
    ]
    for beangulp in (True, False):
        first, second = run_hook(list(entries), beangulp=beangulp)
        assert first.meta["client"] == "Roux"
        assert second.flag == "!"


def test_an_invoice_imported_in_the_same_run_can_be_settled() -> None:
    invoice = txn(
        "Boulangerie Roux",
        "Facture 2018-010",
        ("Assets:AccountsReceivable", "90"),
        ("Income:Clients:Roux", "-90"),
        meta={"invoice": "2018-010"},
    )._replace(links=frozenset({"invoice-2018-010"}))
    payment = txn("VIR SEPA ROUX SARL", "Facture 2018-010", (BANK, "90"))
    _, settled = run_hook([invoice, payment])
    assert accounts(settled)[1] == ("Assets:AccountsReceivable", Decimal("-90"))
    assert settled.meta["client"] == "Roux"
    assert settled.links == {"invoice-2018-010"}


def test_duplicates_are_left_as_marked() -> None:
    entry = txn("VIR SEPA INCONNU", "", (BANK, "40"))
    entry.meta[beangulp_extract.DUPLICATE] = True
    assert run_hook([entry]) == [entry]


def test_fava_gets_4_tuples_and_2_tuples_come_back_as_2_tuples() -> None:
    # Fava 1.30 passes (filename, entries, account, importer) when the hook's
    # annotations mention Importer, else (filename, entries).
    annotations = inspect.get_annotations(assign_clients)
    assert any("Importer" in str(value) for value in annotations.values())
    entries: list[data.Directive] = [txn("VIR SEPA BOULANGERIE ROUX", "", (BANK, "9"))]
    result = assign_clients([("f.csv", entries)], books())  # type: ignore[list-item]
    assert len(result) == 1 and len(result[0]) == 2
    assert result[0][1][0].meta["client"] == "Roux"


def test_a_payee_that_is_the_clients_declared_name() -> None:
    # Roux has no payee regex and was paid as "VIR SEPA BOULANGERIE ROUX":
    # "Boulangerie Roux." is its declared name, case and punctuation aside.
    entries: list[data.Directive] = [txn("BOULANGERIE ROUX.", "", (BANK, "30"))]
    (entry,) = run_hook(entries)
    assert entry.meta["client"] == "Roux"
    assert accounts(entry)[1] == ("Income:Clients:Roux", Decimal("-30"))
