"""The time trackers' CSV exports, one transaction of hours per row.

Each export below has good rows and bad ones: every bad row is reported with
its row number (the header is row 1) and every other row imported.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from beancount.loader import load_string
from beancount.parser import parser, printer
from beangulp.extract import DUPLICATE

from beancount_freelance.core.report import analyse_report
from beancount_freelance.importers import (
    TIME_ID_KEY,
    ClockifyImporter,
    HarvestImporter,
    KimaiImporter,
    TimeTrackerImporter,
    TogglImporter,
)

BOOKS = """\
2016-01-01 custom "client" "Lefevre" "Cabinet Lefèvre Avocats"
2016-01-01 custom "client" "Acme" "Acme Corp"
"""


def existing() -> list[data.Directive]:
    entries, errors, _ = parser.parse_string(BOOKS)
    assert not errors
    return list(entries)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def postings(entry: data.Transaction) -> list[tuple[str, Decimal]]:
    return [(p.account, p.units.number) for p in entry.postings]


def test_toggl(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "toggl.csv",
        """\
        User,Client,Project,Description,Billable,Start date,Start time,Duration
        Camille,Cabinet Lefèvre Avocats,Site,Maquettes,Yes,2016-03-02,09:00:00,01:30:00
        Camille,Acme,Site,Bug,No,2016-03-03,09:00:00,00:20:00
        Camille,Acme,Site,Bad,Yes,2016-03-04,09:00:00,1h30
        Camille,Acme,Site,Bad,Maybe,not a date,09:00:00,01:00:00
        """,
    )
    importer = TogglImporter()
    assert importer.identify(path)
    report = importer.read_export(path, existing())
    assert report.rows_read == 4
    first, second = report.entries
    assert first.meta["client"] == "Lefevre"
    assert postings(first) == [
        ("Assets:Time:Lefevre", Decimal("1.5")),
        ("Equity:Time", Decimal("-1.5")),
    ]
    # Not billable: Expenses:Time; 20 minutes to the millionth of an hour.
    assert postings(second)[0] == ("Expenses:Time:Acme", Decimal("0.333333"))
    rows = {problem.row: problem.message for problem in report.problems}
    assert set(rows) == {4, 5}
    assert "bad duration '1h30'" in rows[4]
    assert "bad date 'not a date'" in rows[5]
    assert "'Maybe' is neither yes nor no" in rows[5]


def test_harvest_invoiced_rows_go_out_of_the_stock(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "harvest.csv",
        """\
        Date,Client,Project,Task,Notes,Hours,Hours Rounded,Billable?,Invoiced?
        2016-03-02,Acme,Site,Dev,Login,2.25,2.5,Yes,Yes
        2016-03-03,Acme,Site,Dev,Logout,1.0,1.0,Yes,No
        2016-03-04,Acme,Site,Dev,Oops,-1,1.0,Yes,No
        2016-03-05,Acme,Site,Dev,Odd,1.0,1.0,Yes,Perhaps
        """,
    )
    report = HarvestImporter().read_export(path, existing())
    invoiced, open_hours = report.entries
    # `Hours`, not `Hours Rounded`: 2.25 in, and out again to Equity:Time:Billed.
    assert postings(invoiced) == [
        ("Assets:Time:Acme", Decimal("2.25")),
        ("Equity:Time", Decimal("-2.25")),
        ("Assets:Time:Acme", Decimal("-2.25")),
        ("Equity:Time:Billed", Decimal("2.25")),
    ]
    assert len(open_hours.postings) == 2
    assert [problem.row for problem in report.problems] == [4, 5]


def test_clockify_date_order_is_decided_once_per_file(tmp_path: Path) -> None:
    """13/03/2016 settles the file as day first: 02/03/2016 is 2 March."""
    path = write(
        tmp_path,
        "clockify.csv",
        """\
        Project,Client,Description,Billable,Start Date,Duration (h),Duration (decimal)
        Site,Acme,One,Yes,02/03/2016,01:00:00,1.00
        Site,Acme,Two,Yes,13/03/2016,02:30:00,
        Site,Acme,Bad,Yes,02/03/2016,,
        """,
    )
    report = ClockifyImporter().read_export(path, existing())
    one, two = report.entries
    assert (one.date.month, one.date.day) == (3, 2)
    # No decimal duration: `Duration (h)`.
    assert postings(two)[0] == ("Assets:Time:Acme", Decimal("2.5"))
    assert [(p.row, p.message) for p in report.problems] == [(4, "no duration")]


def test_clockify_month_first_by_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "clockify.csv",
        """\
        Project,Client,Description,Billable,Start Date,Duration (decimal)
        Site,Acme,One,Yes,02/03/2016,1.00
        """,
    )
    (entry,) = ClockifyImporter().read_export(path, existing()).entries
    assert (entry.date.month, entry.date.day) == (2, 3)
    (entry,) = ClockifyImporter(date_order="day").read_export(path, ()).entries
    assert (entry.date.month, entry.date.day) == (3, 2)


def test_kimai_rate_says_billable_and_exported_says_invoiced(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kimai.csv",
        """\
        date,duration,rate,customer,project,activity,description,exported
        2016-03-02,5400,75.00,Acme,Site,Dev,One,true
        2016-03-03,01:15,0,Acme,Site,Meeting,Two,0
        2016-03-04,abc,10,Acme,Site,Dev,Bad,0
        2016-03-05,3600,10,New Client Ltd,Site,Dev,Three,0
        """,
    )
    report = KimaiImporter().read_export(path, existing())
    billed, unbillable, new = report.entries
    assert postings(billed)[2:] == [
        ("Assets:Time:Acme", Decimal("-1.5")),
        ("Equity:Time:Billed", Decimal("1.5")),
    ]
    assert postings(unbillable)[0] == ("Expenses:Time:Acme", Decimal("1.25"))
    # A client the books do not know yet gets its own time sub-account.
    assert postings(new)[0] == ("Assets:Time:NewClientLtd", Decimal(1))
    assert "client" not in new.meta
    assert [problem.row for problem in report.problems] == [4]


def test_identical_rows_stay_two_and_a_second_import_adds_nothing(
    tmp_path: Path,
) -> None:
    row = "Camille,Acme,Site,Call,Yes,2016-03-02,09:00:00,01:00:00\n"
    path = write(
        tmp_path,
        "toggl.csv",
        "User,Client,Project,Description,Billable,Start date,Start time,Duration\n"
        + row * 2,
    )
    importer = TogglImporter()
    entries = importer.extract(path, existing())
    ids = [entry.meta[TIME_ID_KEY] for entry in entries]
    assert len(set(ids)) == 2
    importer.deduplicate(entries, existing())
    assert not any(DUPLICATE in entry.meta for entry in entries)
    again = importer.extract(path, existing())
    importer.deduplicate(again, [*existing(), *entries])
    assert all(DUPLICATE in entry.meta for entry in again)


@pytest.mark.parametrize(
    ("importer", "header"),
    [
        (TogglImporter(), "Client,Description,Billable,Start date,Duration"),
        (HarvestImporter(), "Date,Client,Hours,Billable?,Invoiced?"),
        (ClockifyImporter(), "Client,Billable,Start Date,Duration (decimal)"),
        (KimaiImporter(), "date,duration,rate,customer,exported"),
    ],
)
def test_each_importer_knows_its_own_export_only(
    tmp_path: Path, importer: TimeTrackerImporter, header: str
) -> None:
    path = write(tmp_path, "export.csv", header + "\n")
    claimed = [
        other
        for other in (
            TogglImporter(),
            HarvestImporter(),
            ClockifyImporter(),
            KimaiImporter(),
        )
        if other.identify(path)
    ]
    assert [type(other) for other in claimed] == [type(importer)]


def test_an_unreadable_row_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "toggl.csv",
        "Client,Description,Billable,Start date,Duration\n"
        'Acme,"open quote,Yes,2016-03-02,01:00:00\n'
        "Acme,fine,Yes,2016-03-03,01:00:00\n",
    )
    report = TogglImporter().read_export(path, existing())
    assert len(report.entries) == 1
    (problem,) = report.problems
    assert problem.row == 2 and "quoted field" in problem.message


def test_the_imported_hours_are_read_as_a_stock(tmp_path: Path) -> None:
    """Imported rows read back: 2.25 H invoiced and 1 H open of Acme: worked
    3.25, billed 2.25, unbilled 1."""
    path = write(
        tmp_path,
        "harvest.csv",
        """\
        Date,Client,Project,Task,Notes,Hours,Billable?,Invoiced?
        2016-03-02,Acme,Site,Dev,Login,2.25,Yes,Yes
        2016-03-03,Acme,Site,Dev,Logout,1.0,Yes,No
        """,
    )
    entries = HarvestImporter().extract(path, existing())
    text = 'option "operating_currency" "EUR"\n' + BOOKS
    text += "2016-01-01 open Assets:Time:Acme\n2016-01-01 open Equity:Time\n"
    text += "2016-01-01 open Equity:Time:Billed\n"
    text += "\n".join(printer.format_entry(entry) for entry in entries)
    loaded, errors, options = load_string(text)
    assert not errors
    hours = analyse_report(loaded, options).hours
    assert hours is not None
    acme = hours.of("Acme")
    assert acme is not None
    assert (acme.worked_t12m, acme.billed_t12m) == (Decimal("3.25"), Decimal("2.25"))
    assert acme.unbilled_hours == Decimal(1)


def test_the_date_of_an_export_is_its_latest_row_that_reads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kimai.csv",
        """\
        date,duration,rate,customer,exported
        2016-03-02,3600,10,Acme,0
        2016-03-09,3600,10,Acme,0
        2016-04-31,3600,10,Acme,0
        """,
    )
    assert KimaiImporter(ledger="/nonexistent.beancount").date(path) == (
        datetime.date(2016, 3, 9)
    )
