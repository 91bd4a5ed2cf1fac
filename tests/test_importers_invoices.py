"""The invoice register importer: good rows, each bad row, the row accounting,
re-imports, and other column layouts.

tests/data/importers/invoices.csv has ten rows (rows 2 to 11, the header is row 1):
four good invoices and six bad rows, one of each kind.
"""

from __future__ import annotations

import logging
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from beangulp.extract import DUPLICATE
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.importers import (
    ERROR_KEY,
    InvoiceRegisterImporter,
    RegisterReport,
)

DATA = Path(__file__).parent / "data" / "importers"
LEDGER = str(DATA / "ledger.beancount")
REGISTER = str(DATA / "invoices.csv")


def books() -> list[data.Directive]:
    entries, errors, _ = loader.load_file(LEDGER)
    assert not errors
    return list(entries)


def register(tmp_path: Path, text: str, name: str = "register.csv") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return str(path)


def test_every_bad_row_is_reported_with_its_row_number() -> None:
    report = InvoiceRegisterImporter().read_register(REGISTER, books())
    problems = {problem.row: problem.message for problem in report.problems}
    assert problems == {
        5: "date: bad date '2018-01-32'",
        6: "amount: bad amount '12,3x'",
        7: "missing 'amount' column",
        8: "unknown client 'Lefevr'; did you mean 'Lefevre'?",
        9: "invoice '2018-001' is already on row 2",
        10: "missing 'invoice'",
    }


def test_the_good_rows_are_imported_as_accruals() -> None:
    report = InvoiceRegisterImporter().read_register(REGISTER, books())
    numbers = [entry.meta["invoice"] for entry in report.invoices]
    assert numbers == ["2018-001", "2018-002", "2018-003", "2018-008"]
    by_number = {entry.meta["invoice"]: entry for entry in report.invoices}
    # By name, whatever the case and accents; "1 234,50" with a decimal comma.
    lefevre = by_number["2018-002"]
    assert lefevre.meta["client"] == "Lefevre"
    assert lefevre.payee == "Cabinet Lefèvre Avocats"
    assert lefevre.links == {"invoice-2018-002"}
    assert str(lefevre.meta["due"]) == "2018-02-04"  # 5 Jan + 30 days
    assert [(p.account, p.units.number) for p in lefevre.postings] == [
        ("Assets:AccountsReceivable", Decimal("1234.50")),
        ("Income:Clients:Lefevre", Decimal("-1234.50")),
    ]
    # By payee regex, on the account MJC was last paid on.
    mjc = by_number["2018-003"]
    assert mjc.meta["client"] == "MJC"
    assert mjc.postings[1].account == "Income:Freelance:Workshops"
    # A credit note is a negative invoice.
    assert by_number["2018-008"].postings[0].units.number == Decimal("-100.00")


def test_rows_read_equal_entries_made_plus_rows_reported() -> None:
    report = InvoiceRegisterImporter().read_register(REGISTER, books())
    assert (report.rows_read, len(report.invoices), len(report.problems)) == (10, 4, 6)
    assert report.balanced


def test_bad_rows_are_visible_in_the_extracted_entries_and_on_stderr(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        entries = InvoiceRegisterImporter().extract(REGISTER, books())
    flagged = [entry for entry in entries if entry.flag == "!"]
    assert [entry.meta["lineno"] for entry in flagged] == [5, 6, 7, 8, 9, 10]
    assert all(not entry.postings for entry in flagged)
    assert flagged[1].narration == (
        "NOT IMPORTED: invoices.csv row 6: amount: bad amount '12,3x'"
    )
    assert flagged[1].meta[ERROR_KEY] == "amount: bad amount '12,3x'"
    logged = [record.getMessage() for record in caplog.records]
    assert (
        f"{REGISTER} row 8: unknown client 'Lefevr'; did you mean 'Lefevre'?" in logged
    )
    assert len(logged) == 6


def test_a_header_without_a_required_column_reports_every_row(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        """
        date,invoice,customer,amount
        2018-01-05,A1,Roux,10
        2018-01-06,A2,Roux,20
        """,
    )
    importer = InvoiceRegisterImporter()
    assert not importer.identify(path)  # not an invoice register as configured
    report = importer.read_register(path, books())
    assert [(p.row, p.message) for p in report.problems] == [
        (2, "missing 'client' column"),
        (3, "missing 'client' column"),
    ]
    assert report.balanced


def test_comments_and_blank_lines_are_not_rows(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        """
        # exported by my invoicing tool
        date,invoice,client,amount

        2018-01-05,A1,Roux,10
        # a comment
        2018-01-06,A2,Roux,oops
        """,
    )
    report = InvoiceRegisterImporter().read_register(path, books())
    assert report.rows_read == 2 and len(report.invoices) == 1
    assert [p.row for p in report.problems] == [6]


def test_an_unreadable_file_is_reported_not_raised(tmp_path: Path) -> None:
    good = "".join(f"2018-01-05,A{n},Roux,10\n" for n in range(1, 501)).encode()
    path = tmp_path / "register.csv"
    path.write_bytes(
        b"date,invoice,client,amount\n"
        + good
        + b"2018-01-05,B1,Roux \xff\xfe,10\n"
        + b"2018-01-05,B2,Roux,10\n"
    )
    report = InvoiceRegisterImporter().read_register(str(path), books())
    assert len(report.invoices) == 501
    assert [(p.row, p.message) for p in report.problems] == [
        (502, "not utf-8-sig text")
    ]
    assert report.balanced


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    report = InvoiceRegisterImporter().read_register(str(tmp_path / "no.csv"), [])
    (problem,) = report.problems
    assert problem.row == 2 and "cannot read the file" in problem.message
    assert report.balanced


def test_other_layouts_are_configured_by_column_names(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        """
        Facture|Date|Client|Montant
        F1|05/01/2018|Roux|1.234,5
        F2|13/01/2018|Roux|2,5
        """,
    )
    importer = InvoiceRegisterImporter(
        columns={
            "invoice": "Facture",
            "date": "Date",
            "client": "Client",
            "amount": "Montant",
        },
        delimiter="|",
        dayfirst=True,
        decimal_mark=",",
        payment_terms_days=15,
    )
    assert importer.identify(path)
    report = importer.read_register(path, books())
    assert [
        (str(e.date), e.postings[0].units.number, str(e.meta["due"]))
        for e in report.invoices
    ] == [
        ("2018-01-05", Decimal("1234.5"), "2018-01-20"),
        ("2018-01-13", Decimal("2.5"), "2018-01-28"),
    ]


def test_header_names_match_whatever_their_case(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        """
        Date, Invoice ,CLIENT,Amount,Notes
        2018-01-05,A1,Roux,10,extra columns are ignored
        """,
    )
    importer = InvoiceRegisterImporter()
    assert importer.identify(path)
    (invoice,) = importer.read_register(path, books()).invoices
    assert invoice.meta["invoice"] == "A1" and invoice.meta["client"] == "Roux"


def test_unknown_layout_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown invoice register field"):
        InvoiceRegisterImporter(columns={"customer": "Client"})


def test_reimporting_marks_every_invoice_as_a_duplicate() -> None:
    importer = InvoiceRegisterImporter()
    first = importer.extract(REGISTER, books())
    importer.deduplicate(first, books())
    assert not any(DUPLICATE in entry.meta for entry in first)
    # The user saved everything, problem markers included; the file comes again.
    saved = books() + first
    again = importer.extract(REGISTER, saved)
    importer.deduplicate(again, saved)
    assert len(again) == 10
    for entry in again:
        original = entry.meta[DUPLICATE]
        assert original.meta["lineno"] == entry.meta["lineno"]
        assert original.narration == entry.narration


def test_an_invoice_already_in_the_books_is_a_duplicate(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        """
        date,invoice,client,amount
        2017-12-31,2017-042,Lefevre,1200
        """,
    )
    importer = InvoiceRegisterImporter()
    entries = importer.extract(path, books())
    importer.deduplicate(entries, books())
    assert entries[0].meta[DUPLICATE].meta["lineno"] > 0


# --- The invariant, on registers nobody wrote by hand -------------------------------

GOOD = {
    "date": ["2018-01-05", "5 Jan 2018"],
    "client": ["Roux", "MJC Belleville", "cabinet lefevre avocats"],
    "amount": ["10", "1 234,50", "-3.20"],
}
BAD = {
    "date": ["2018-02-30", "soon", ""],
    "client": ["Nobody", ""],
    "amount": ["ten", "1,2,3", ""],
}


@st.composite
def rows(draw: st.DrawFn) -> str:
    fields = []
    for name in ("date", "client", "amount"):
        pool = GOOD[name] + BAD[name] if draw(st.booleans()) else GOOD[name]
        fields.append(draw(st.sampled_from(pool)))
    number = draw(st.sampled_from(["A1", "A2", "A3", ""]))
    short = draw(st.integers(min_value=0, max_value=6))
    cells = [fields[0], number, fields[1], fields[2]]
    if short < 2:  # now and then a row cut short
        cells = cells[: 2 + short]
    return ",".join(f'"{cell}"' for cell in cells)


@settings(max_examples=60, deadline=None)
@given(st.lists(rows(), max_size=12))
def test_rows_read_always_equal_invoices_plus_problems(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("register") / "register.csv"
    path.write_text("date,invoice,client,amount\n" + "\n".join(lines) + "\n")
    report: RegisterReport = InvoiceRegisterImporter().read_register(str(path), BOOKS)
    # A row of empty cells is a blank line, not a row.
    assert report.rows_read == sum(1 for line in lines if line.strip('",'))
    assert report.rows_read == len(report.invoices) + len(report.problems)
    rows_reported = [problem.row for problem in report.problems]
    assert len(set(rows_reported)) == len(rows_reported)
    assert all(2 <= row <= len(lines) + 1 for row in rows_reported)
    assert all(problem.message for problem in report.problems)


BOOKS = books()


def test_the_ledgers_plugin_line_gives_the_configuration(tmp_path: Path) -> None:
    # MJC was paid on Income:Freelance:Workshops; a plugin line whose `income`
    # leaves that account out makes it no income, so the invoice goes to MJC's
    # convention account.
    books_text = (
        Path(LEDGER)
        .read_text(encoding="utf-8")
        .replace(
            'plugin "beancount_freelance.plugin"',
            "plugin \"beancount_freelance.plugin\" \"{'income': '^Income:Clients'}\"",
        )
    )
    ledger = tmp_path / "books.beancount"
    ledger.write_text(books_text, encoding="utf-8")
    path = register(
        tmp_path,
        """\
        date,invoice,client,amount
        2018-02-01,2018-050,MJC,150.00
        """,
    )
    (narrowed,) = InvoiceRegisterImporter(ledger=str(ledger)).extract(path, [])
    (default,) = InvoiceRegisterImporter(ledger=LEDGER).extract(path, [])
    assert isinstance(narrowed, data.Transaction)
    assert isinstance(default, data.Transaction)
    assert narrowed.postings[1].account == "Income:Clients:MJC"
    assert default.postings[1].account == "Income:Freelance:Workshops"
