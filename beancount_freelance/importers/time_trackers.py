"""Import the CSV exports of Toggl, Harvest, Clockify and Kimai as hours.

Each row writes one transaction of the stock-of-hours form (docs/time.md):

    2016-03-02 * "Toggl" "Site — maquettes"
      time_id: "5f0c…"
      client: "Lefevre"
      Assets:Time:Lefevre   1.5 H
      Equity:Time          -1.5 H

billable work into `Assets:Time:<client>`, work that is not billable into
`Expenses:Time:<client>`, and for a row the tracker marks invoiced the same
hours out again to `Equity:Time:Billed` (the accounts are constructor
parameters). The client is the export's client column, recognised as the
import hook recognises one (`ClientDirectory.by_reference`: an id, a name, a
`payee:` regex); a client the books do not know yet gets its own time
sub-account. The file is read on the package's own CSV reader: a row that
does not read (a bad date, duration or flag, a quote left open) is reported
with its row number (the header is row 1) and every other row is imported.
Each entry carries `time_id:`, a hash of its row and of how many identical
rows came before it in the file: a duplicate is decided on it alone, so two
identical rows of one day stay two, and importing a file again adds nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, NamedTuple

import beangulp
from beancount import loader
from beancount.core import data, flags
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE

from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.importers.columns import (
    ERROR_KEY,
    RowProblem,
    column_key,
    problem_markers,
)
from beancount_freelance.importers.directory import ClientDirectory
from beancount_freelance.importers.ledger import plugin_config
from beancount_freelance.importers.reading import csv_rows
from beancount_freelance.importers.tracker_columns import (
    TRACKERS,
    DateOrder,
    Tracker,
    TrackerRow,
    read_row,
)

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = [
    "TIME_ID_KEY",
    "ClockifyImporter",
    "HarvestImporter",
    "KimaiImporter",
    "TimeReport",
    "TimeTrackerImporter",
    "TogglImporter",
]

log = logging.getLogger(__name__)

TIME_ID_KEY = "time_id"
_NOT_ACCOUNT = re.compile(r"[^A-Za-z0-9\-]+")


class _Record(NamedTuple):
    number: int
    fields: Mapping[str, str]
    problem: str = ""


@dataclass(frozen=True)
class TimeReport:
    """What became of each row of one export."""

    filename: str
    rows_read: int
    entries: tuple[data.Transaction, ...] = ()
    problems: tuple[RowProblem, ...] = ()


class TimeTrackerImporter(beangulp.Importer):  # type: ignore[misc]  # untyped base
    """A time tracker's CSV export (the subclasses say which tracker).

    stock / not_billable / worked_from / billed_to: the accounts of the
    transactions (see the module docstring); commodity: the hours' commodity.
    date_order: "month" or "day" first for dates such as 03/04/2016 when no day
    above 12 in the file settles it (default: the tracker's). ledger: the
    ledger to read clients (and the plugin's configuration) from when the
    importer gets no existing entries.
    """

    tracker: Tracker = TRACKERS["toggl"]

    def __init__(
        self,
        *,
        stock: str = "Assets:Time",
        not_billable: str = "Expenses:Time",
        worked_from: str = "Equity:Time",
        billed_to: str = "Equity:Time:Billed",
        commodity: str = "H",
        date_order: DateOrder | None = None,
        ledger: str | None = None,
        config: Config | None = None,
        delimiter: str = ",",
        encoding: str = "utf-8-sig",
        flag: str = flags.FLAG_OKAY,
    ) -> None:
        self.stock = stock
        self.not_billable = not_billable
        self.worked_from = worked_from
        self.billed_to = billed_to
        self.commodity = commodity
        self.date_order: DateOrder = date_order or self.tracker.date_order
        self.ledger = ledger
        self.given_config = config
        self.delimiter = delimiter
        self.encoding = encoding
        self.flag = flag

    # --- beangulp.Importer ---------------------------------------------------

    @property
    def name(self) -> str:
        return f"{self.tracker.label} time export"

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        try:
            header = self._header(filepath)
        except OSError:
            return False
        return self.tracker.recognises(header)

    def account(self, filepath: str) -> str:
        return self.stock

    def date(self, filepath: str) -> datetime.date | None:
        """The latest date of a row that reads (no client lookup: Fava asks on
        every listing)."""
        records = [r for r in self._records(filepath) if not r.problem]
        dayfirst = self._dayfirst(records)
        dates = [
            read.date
            for record in records
            if not isinstance(
                read := read_row(self.tracker, record.fields, dayfirst), str
            )
        ]
        return max(dates, default=None)

    def extract(
        self, filepath: str, existing: Sequence[data.Directive]
    ) -> list[data.Directive]:
        report = self.read_export(filepath, existing)
        for problem in report.problems:
            log.warning("%s row %d: %s", filepath, problem.row, problem.message)
        first = min((entry.date for entry in report.entries), default=None)
        return [
            *report.entries,
            *problem_markers(report.filename, report.problems, first),
        ]

    def deduplicate(
        self, entries: list[data.Directive], existing: Sequence[data.Directive]
    ) -> None:
        """Mark the entries whose `time_id` the books hold already."""
        batch = {id(entry) for entry in entries}
        known: dict[str, data.Directive] = {}
        for entry in existing:
            if id(entry) in batch or not isinstance(entry, data.Transaction):
                continue
            key = entry.meta.get(TIME_ID_KEY)
            if isinstance(key, str):
                known[key] = entry
            elif ERROR_KEY in entry.meta:
                known[f"{ERROR_KEY}:{entry.date}:{entry.narration}"] = entry
        for entry in entries:
            if not isinstance(entry, data.Transaction):
                continue
            key = entry.meta.get(TIME_ID_KEY)
            if ERROR_KEY in entry.meta:
                key = f"{ERROR_KEY}:{entry.date}:{entry.narration}"
            if isinstance(key, str) and key in known:
                entry.meta[DUPLICATE] = known[key]

    # --- The export ----------------------------------------------------------

    def read_export(
        self, filepath: str, existing: Sequence[data.Directive]
    ) -> TimeReport:
        """Every row of the file, as an entry or a reported problem."""
        entries: list[data.Transaction] = []
        problems: list[RowProblem] = []
        records = list(self._records(filepath))
        dayfirst = self._dayfirst(records)
        directory: ClientDirectory | None = None
        seen: dict[tuple[tuple[str, str], ...], int] = {}
        for record in records:
            if record.problem:
                problems.append(RowProblem(record.number, record.problem))
                continue
            read = read_row(self.tracker, record.fields, dayfirst)
            if isinstance(read, str):
                problems.append(RowProblem(record.number, read))
                continue
            if directory is None:
                directory = ClientDirectory.from_entries(
                    self._books(existing), self.config()
                )
            identity = tuple(sorted(record.fields.items()))
            occurrence = seen[identity] = seen.get(identity, -1) + 1
            entries.append(
                self._entry(
                    filepath, record.number, read, occurrence, identity, directory
                )
            )
        rows_read = len(entries) + len(problems)
        return TimeReport(filepath, rows_read, tuple(entries), tuple(problems))

    def config(self) -> Config:
        """The configuration given, else the plugin line of `ledger`, else the
        defaults."""
        if self.given_config is not None:
            return self.given_config
        return plugin_config(self.ledger) if self.ledger else Config()

    def _dayfirst(self, records: Sequence[_Record]) -> bool:
        """The file's date order, decided once: a day above 12 settles it."""
        column = self.tracker.date
        for record in records:
            parts = re.split(r"[/.\-]", record.fields.get(column, "").strip())
            if len(parts) == 3 and len(parts[0]) <= 2 and len(parts[1]) <= 2:
                first, second = (int(p) if p.isdigit() else 0 for p in parts[:2])
                if first > 12 >= second:
                    return True
                if second > 12 >= first:
                    return False
        return self.date_order == "day"

    def _entry(
        self,
        filepath: str,
        number: int,
        row: TrackerRow,
        occurrence: int,
        identity: tuple[tuple[str, str], ...],
        directory: ClientDirectory,
    ) -> data.Transaction:
        client, component = self._client(row.client, directory)
        meta: dict[str, object] = {
            "filename": filepath,
            "lineno": number,
            TIME_ID_KEY: time_id(self.tracker.label, identity, occurrence),
        }
        if client is not None:
            meta[CLIENT_KEY] = client
        root = self.stock if row.billable else self.not_billable
        account = f"{root}:{component}" if component else root
        postings = [
            self._posting(account, row.hours),
            self._posting(self.worked_from, -row.hours),
        ]
        if row.invoiced and row.billable:
            postings.append(self._posting(account, -row.hours))
            postings.append(self._posting(self.billed_to, row.hours))
        return data.Transaction(
            meta,
            row.date,
            self.flag,
            row.client or None,
            row.description,
            data.EMPTY_SET,
            data.EMPTY_SET,
            postings,
        )

    def _posting(self, account: str, hours: Decimal) -> data.Posting:
        return data.Posting(
            account, Amount(hours, self.commodity), None, None, None, None
        )

    def _client(
        self, reference: str, directory: ClientDirectory
    ) -> tuple[str | None, str]:
        """The client id (None: unknown) and the account component it gets."""
        if not reference.strip():
            return None, ""
        match = directory.by_reference(reference)
        if match.client is not None:
            return match.client, match.client
        component = _NOT_ACCOUNT.sub("", reference.title())
        if not component or not component[0].isalnum():
            return None, ""
        return None, component[0].upper() + component[1:]

    def _books(self, existing: Sequence[data.Directive]) -> Sequence[data.Directive]:
        if existing or not self.ledger:
            return existing
        entries, _, _ = loader._load(
            [(os.path.abspath(self.ledger), True)], None, None, None
        )
        return list(entries)

    def _header(self, filepath: str) -> list[str]:
        with open(filepath, "rb") as file:
            rows = csv_rows(file, self.encoding, None, delimiter=self.delimiter)
            header = next(rows, None)
        if header is None or header.undecodable:
            return []
        return [column_key(name) for name in header.fields]

    def _records(self, filepath: str) -> Iterator[_Record]:
        try:
            with open(filepath, "rb") as file:
                yield from self._read(file)
        except OSError as exc:
            yield _Record(1, {}, f"cannot read the file: {exc}")

    def _read(self, file: IO[bytes]) -> Iterator[_Record]:
        names: list[str] | None = None
        rows = csv_rows(file, self.encoding, None, delimiter=self.delimiter)
        for row in rows:
            if row.error is not None:
                yield _Record(row.line, {}, f"cannot read the row: {row.error}")
            elif names is None:
                names = [column_key(name) for name in row.fields]
            elif row.undecodable:
                yield _Record(row.line, {}, f"not {self.encoding} text")
            else:
                fields = dict(zip(names, (f.strip() for f in row.fields), strict=False))
                yield _Record(row.line, fields)


def time_id(
    tracker: str, identity: tuple[tuple[str, str], ...], occurrence: int
) -> str:
    """A row's hash: its tracker, its fields, and how many identical rows
    came before it in the file."""
    text = "\x1f".join([tracker, str(occurrence), *(f"{k}={v}" for k, v in identity)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class TogglImporter(TimeTrackerImporter):
    """Toggl Track's detailed report export."""

    tracker = TRACKERS["toggl"]


class HarvestImporter(TimeTrackerImporter):
    """Harvest's detailed time report export."""

    tracker = TRACKERS["harvest"]


class ClockifyImporter(TimeTrackerImporter):
    """Clockify's detailed report export."""

    tracker = TRACKERS["clockify"]


class KimaiImporter(TimeTrackerImporter):
    """Kimai's timesheet CSV export."""

    tracker = TRACKERS["kimai"]
