"""Import an invoice register: one CSV row per invoice, booked as an accrual.

    date,invoice,client,amount,currency,due,description
    2018-01-31,2018-004,Dubois,450.00,EUR,2018-03-02,Community management janvier

gives

    2018-01-31 * "Dubois Immobilier" "Community management janvier" ^invoice-2018-004
      invoice: "2018-004"
      due: 2018-03-02
      client: "Dubois"
      Assets:AccountsReceivable   450.00 EUR
      Income:Clients:Dubois      -450.00 EUR

The client column holds a client id, a client's name or anything its `payee:`
regex matches, looked up in the existing ledger's declarations. A row with a bad
date, a bad amount, a missing column, an unknown client or a quote left open is
not imported: it is reported with its row number (the line it starts on: the
header is row 1) in the `RegisterReport`, logged on stderr, and shown in the
extracted entries as a flagged `!` transaction without postings. Every row read
is either an invoice or a reported row; the file is read as a stream
(`reading.csv_rows`). Re-importing marks invoices already in the books as
duplicates.
"""

from __future__ import annotations

import datetime
import functools
import logging
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from beancount import loader
from beancount.core import data, flags
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE
from beangulp.importers import csvbase

from beancount_freelance.core.ledger.book import CLIENT_KEY
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.messages import quoted
from beancount_freelance.core.receivables.open_items import DUE_KEY
from beancount_freelance.importers.columns import (
    ERROR_KEY,
    LenientDate,
    LocaleAmount,
    RowProblem,
    column_key,
    problem_markers,
)
from beancount_freelance.importers.directory import (
    INVOICE_KEY,
    ClientDirectory,
    ClientMatch,
    booked_invoices,
)
from beancount_freelance.importers.ledger import plugin_config
from beancount_freelance.importers.reading import (
    csv_rows,
    header_problem,
    said_unreadable,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

log = logging.getLogger(__name__)

REQUIRED = ("date", "invoice", "client", "amount")
OPTIONAL = ("currency", "due", "description")
_LINK_UNSAFE = re.compile(r"[^A-Za-z0-9\-_/.]+")
_CURRENCY = re.compile(r"^[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]$|^[A-Z]$")


@dataclass(frozen=True)
class RegisterReport:
    """What became of each row of one invoice register."""

    filename: str
    rows_read: int
    invoices: tuple[data.Transaction, ...] = ()
    problems: tuple[RowProblem, ...] = ()

    @property
    def balanced(self) -> bool:
        """Every row read is an invoice or a reported problem."""
        return self.rows_read == len(self.invoices) + len(self.problems)


class _Row(NamedTuple):  # one per row: a tuple is quickest to make
    number: int
    fields: Mapping[str, str | None]
    undecodable: bool = False
    unreadable: str = ""  # why the CSV reader could not read the row


class InvoiceRegisterImporter(csvbase.Importer):  # type: ignore[misc]  # untyped base
    """An invoice register CSV: one invoice per row (see the module docstring).

    receivable: the account invoices are owed on; currency: when no currency column.
    columns: the CSV header names, by field, for files with other names, e.g.
      `{"invoice": "Numéro", "client": "Customer"}` (defaults: the field names).
    date_format: a `strptime` format; None parses leniently with dateutil
      (`dayfirst` decides 05/01/2018). decimal_mark: "," or "."; None guesses.
    ledger: the ledger to read clients from when the importer gets no existing
      entries (`bean-extract` without `--existing`, beangulp's test command), and
      whose plugin line gives the configuration when `config` is not given.
    payment_terms_days: `due` for a row without one, counted from its date.
    """

    encoding = "utf-8-sig"

    def __init__(
        self,
        receivable: str = "Assets:AccountsReceivable",
        currency: str = "EUR",
        *,
        columns: Mapping[str, str] | None = None,
        date_format: str | None = None,
        dayfirst: bool = False,
        decimal_mark: str | None = None,
        delimiter: str = ",",
        ledger: str | None = None,
        payment_terms_days: int = 30,
        link_prefix: str = "invoice-",
        config: Config | None = None,
        flag: str = flags.FLAG_OKAY,
    ) -> None:
        super().__init__(receivable, currency, flag)
        names = {name: name for name in REQUIRED + OPTIONAL}
        unknown = set(columns or {}) - set(names)
        if unknown:
            raise ValueError(
                f"Unknown invoice register field(s) {sorted(unknown)}; "
                f"the fields are {', '.join(names)}"
            )
        names.update(columns or {})
        self.header_names: Mapping[str, str] = names
        self.parsers: Mapping[str, Any] = {
            "date": LenientDate(names["date"], date_format, dayfirst),
            "due": LenientDate(names["due"], date_format, dayfirst),
            "amount": LocaleAmount(names["amount"], decimal_mark),
        }
        self.delimiter = delimiter
        self.ledger = ledger
        self.terms = datetime.timedelta(days=payment_terms_days)
        self.link_prefix = link_prefix
        self.given_config = config

    # --- beangulp.Importer ---------------------------------------------------

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        try:
            header = self._header(filepath)
        except OSError as exc:
            return said_unreadable(log, filepath, f"cannot open it: {exc}")
        return all(column_key(self.header_names[name]) in header for name in REQUIRED)

    def date(self, filepath: str) -> datetime.date | None:
        """The latest invoice date (no client lookup: Fava asks on every listing)."""
        dates = []
        try:
            for row in self._rows(filepath):
                try:
                    dates.append(
                        self.parsers["date"].parse(row.fields.get("date") or "")
                    )
                except ValueError:
                    continue
        except OSError:
            pass
        return max(dates, default=None)

    def extract(
        self, filepath: str, existing: Sequence[data.Directive]
    ) -> list[data.Directive]:
        report = self.read_register(filepath, existing)
        for problem in report.problems:
            log.warning("%s row %d: %s", filepath, problem.row, problem.message)
        return [*report.invoices, *self.markers(report)]

    def deduplicate(
        self, entries: list[data.Directive], existing: Sequence[data.Directive]
    ) -> None:
        """Mark invoices whose number or link is already in the books.

        A problem marker saved into the books as it was is a duplicate too: the
        same row of the same file, with the same problem.
        """
        batch = {id(entry) for entry in entries}
        known = booked_invoices(
            (entry for entry in existing if id(entry) not in batch), self.config()
        )
        for entry in entries:
            if not isinstance(entry, data.Transaction):
                continue
            number = entry.meta.get(INVOICE_KEY)
            keys = [f"{INVOICE_KEY}:{number}", *entry.links] if number else []
            if ERROR_KEY in entry.meta:
                keys = [f"{ERROR_KEY}:{entry.date}:{entry.narration}"]
            for key in keys:
                if key in known:
                    entry.meta[DUPLICATE] = known[key]
                    break

    # --- The register --------------------------------------------------------

    def read_register(
        self, filepath: str, existing: Sequence[data.Directive]
    ) -> RegisterReport:
        """Every row of the file, as an invoice or a reported problem."""
        invoices: list[data.Transaction] = []
        problems: list[RowProblem] = []
        for made in self.stream(filepath, existing):
            if isinstance(made, RowProblem):
                problems.append(made)
            else:
                invoices.append(made)
        rows_read = len(invoices) + len(problems)
        return RegisterReport(filepath, rows_read, tuple(invoices), tuple(problems))

    def stream(
        self, filepath: str, existing: Sequence[data.Directive]
    ) -> Iterator[data.Transaction | RowProblem]:
        """What each row after the header gives, one at a time (read as a stream):
        an invoice, or a problem."""
        directory = ClientDirectory.from_entries(self._books(existing), self.config())
        # A register names the same few clients on every row: each name looked up once.
        lookup = functools.lru_cache(maxsize=1024)(directory.by_reference)
        seen: dict[str, int] = {}  # invoice number -> first row, for repeats
        last_row = 1  # the header
        try:
            for row in self._rows(filepath):
                last_row = row.number
                yield self._invoice(filepath, row, directory, seen, lookup)
        except OSError as exc:
            yield RowProblem(last_row + 1, f"cannot read the file from here on: {exc}")

    def config(self) -> Config:
        """The configuration given, else the plugin line of `ledger` (read anew
        each time: the ledger may change between imports), else the defaults."""
        if self.given_config is not None:
            return self.given_config
        return plugin_config(self.ledger) if self.ledger else Config()

    def markers(self, report: RegisterReport) -> list[data.Transaction]:
        """One flagged, posting-less transaction per problem, dated near its row."""
        first = min((entry.date for entry in report.invoices), default=None)
        return problem_markers(report.filename, report.problems, first)

    def _books(self, existing: Sequence[data.Directive]) -> Sequence[data.Directive]:
        if existing or not self.ledger:
            return existing
        # Uncached, as Fava loads (Beancount's `_load`): the cache would write a
        # pickle next to the ledger.
        entries, _, _ = loader._load(
            [(os.path.abspath(self.ledger), True)], None, None, None
        )
        return list(entries)

    def _header(self, filepath: str) -> list[str]:
        with open(filepath, "rb") as file:
            rows = csv_rows(
                file, self.encoding, self.comments, delimiter=self.delimiter
            )
            header = next(rows, None)
        problem = header_problem(header, self.encoding)
        if problem is not None:
            said_unreadable(log, filepath, problem)
            return []
        return [] if header is None else [column_key(name) for name in header.fields]

    def _rows(self, filepath: str) -> Iterator[_Row]:
        with open(filepath, "rb") as file:
            indices: dict[str, int | None] | None = None
            rows = csv_rows(
                file,
                self.encoding,
                self.comments,
                starts_row=self._starts_row,
                delimiter=self.delimiter,
            )
            for row in rows:
                if row.error is not None:
                    # One bad record costs its row; the reader goes on.
                    yield _Row(row.line, {}, unreadable=row.error)
                elif indices is None:
                    indices = self._indices([column_key(n) for n in row.fields])
                else:
                    fields = _fields(indices, row.fields)
                    yield _Row(row.line, fields, row.undecodable)

    def _starts_row(self, header: Sequence[str], fields: Sequence[str]) -> bool:
        """A line starts a row when its date reads: a line of a description does
        not, however many commas it holds."""
        keys = [column_key(name) for name in header]
        wanted = column_key(self.header_names["date"])
        if wanted not in keys:
            return True
        index = keys.index(wanted)
        try:
            self.parsers["date"].parse(fields[index])
        except (ValueError, OverflowError, IndexError):
            return False
        return True

    def _indices(self, header: list[str]) -> dict[str, int | None]:
        """Each field's column in the header, None when the header lacks it."""
        found: dict[str, int | None] = {}
        for name, column in self.header_names.items():
            wanted = column_key(column)
            found[name] = header.index(wanted) if wanted in header else None
        return found

    def _invoice(
        self,
        filepath: str,
        row: _Row,
        directory: ClientDirectory,
        seen: dict[str, int],
        lookup: Callable[[str], ClientMatch],
    ) -> data.Transaction | RowProblem:
        if row.unreadable:
            return RowProblem(row.number, f"cannot read the row: {row.unreadable}")
        if row.undecodable:
            return RowProblem(row.number, f"not {self.encoding} text")
        fields = row.fields
        missing = [name for name in REQUIRED if not fields[name]]
        errors = [
            f"missing {quoted(self.header_names[name])}"
            + ("" if fields[name] == "" else " column")
            for name in missing
        ]
        parsed = self._parsed(fields, errors)
        currency = fields["currency"] or self.currency
        if not _is_currency(currency):
            errors.append(f"bad currency {quoted(currency)}")
        number = fields["invoice"] or ""
        if number in seen:
            errors.append(f"invoice {quoted(number)} is already on row {seen[number]}")
        match = lookup(fields["client"] or "")
        if "client" not in missing and match.client is None:
            errors.append(match.problem)
        if errors or match.client is None:
            return RowProblem(row.number, "; ".join(errors), parsed.get("date"))
        seen[number] = row.number
        return self._entry(
            filepath, row, number, match.client, currency, parsed, directory
        )

    def _parsed(
        self, fields: Mapping[str, str | None], errors: list[str]
    ) -> dict[str, Any]:
        """The date, amount and due date of a row, each that reads; the due date
        from the terms when the row has none. What does not read goes to errors."""
        parsed: dict[str, Any] = {}
        for name in ("date", "amount", "due"):
            text = fields[name]
            if text:
                try:
                    parsed[name] = self.parsers[name].parse(text)
                except ValueError as exc:
                    errors.append(f"{self.header_names[name]}: {exc}")
        if "date" in parsed and "due" not in parsed:
            try:
                parsed["due"] = parsed["date"] + self.terms
            except OverflowError:
                errors.append(f"no due date after {parsed['date']} in the calendar")
        return parsed

    def _entry(
        self,
        filepath: str,
        row: _Row,
        number: str,
        client_id: str,
        currency: str,
        parsed: Mapping[str, Any],
        directory: ClientDirectory,
    ) -> data.Transaction:
        units: Decimal = parsed["amount"]
        name, income = _client_accounts(directory, client_id)
        meta = {
            "filename": filepath,
            "lineno": row.number,
            INVOICE_KEY: number,
            DUE_KEY: parsed["due"],
            CLIENT_KEY: client_id,
        }
        return data.Transaction(
            meta,
            parsed["date"],
            self.flag,
            name,
            row.fields["description"] or f"Invoice {number}",
            data.EMPTY_SET,
            frozenset({self.link_prefix + _link_safe(number)}),
            [
                data.Posting(
                    self.importer_account,
                    Amount(units, currency),
                    None,
                    None,
                    None,
                    None,
                ),
                data.Posting(income, Amount(-units, currency), None, None, None, None),
            ],
        )


def _client_accounts(directory: ClientDirectory, client_id: str) -> tuple[str, str]:
    """A client's name, and the income account its invoices go to."""
    return directory.book.clients[client_id].name, directory.income_account(client_id)


def _link_safe(number: str) -> str:
    return _LINK_UNSAFE.sub("-", number).strip("-")


@functools.lru_cache(maxsize=256)
def _is_currency(text: str) -> bool:
    return _CURRENCY.match(text) is not None


def _fields(
    indices: Mapping[str, int | None], record: Sequence[str]
) -> dict[str, str | None]:
    """A record's fields by name: "" for an optional column the file lacks,
    None for a required one or a record too short to have it."""
    size = len(record)
    fields: dict[str, str | None] = {}
    for name, index in indices.items():
        if index is None:
            fields[name] = "" if name in OPTIONAL else None
        else:
            fields[name] = record[index].strip() if index < size else None
    return fields
