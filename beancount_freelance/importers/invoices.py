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
date, a bad amount, a missing column or an unknown client is not imported: it is
reported with its row number (the spreadsheet's row: the header is row 1) in the
`RegisterReport`, logged on stderr, and shown in the extracted entries as a
flagged `!` transaction without postings. Every row read is either an invoice or
a reported row. Re-importing marks invoices already in the books as duplicates.
"""

from __future__ import annotations

import csv
import datetime
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount import loader
from beancount.core import data, flags
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE
from beangulp.importers import csvbase

from beancount_freelance.core.clients import CLIENT_KEY
from beancount_freelance.core.config import Config
from beancount_freelance.core.settlements import DUE_KEY
from beancount_freelance.importers.columns import (
    ERROR_KEY,
    LenientDate,
    LocaleAmount,
    RowProblem,
    column_key,
    csv_rows,
    problem_markers,
)
from beancount_freelance.importers.directory import INVOICE_KEY, ClientDirectory

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

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


@dataclass(frozen=True)
class _Row:
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
      entries (`bean-extract` without `--existing`, beangulp's test command).
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
        self.config = config or Config()

    # --- beangulp.Importer ---------------------------------------------------

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        try:
            header = self._header(filepath)
        except (OSError, UnicodeError, csv.Error):
            return False
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
        except (OSError, csv.Error):
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
        known = _booked_invoices(
            (entry for entry in existing if id(entry) not in batch), self.config
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
        directory = ClientDirectory.from_entries(self._books(existing), self.config)
        invoices: list[data.Transaction] = []
        problems: list[RowProblem] = []
        seen: dict[str, int] = {}  # invoice number -> first row, for repeats
        rows_read = 0
        last_row = 1  # the header
        try:
            for row in self._rows(filepath):
                rows_read += 1
                last_row = row.number
                made = self._invoice(filepath, row, directory, seen)
                if isinstance(made, RowProblem):
                    problems.append(made)
                else:
                    invoices.append(made)
        except (OSError, UnicodeError, csv.Error) as exc:
            problems.append(
                RowProblem(last_row + 1, f"cannot read the file from here on: {exc}")
            )
            rows_read += 1
        return RegisterReport(filepath, rows_read, tuple(invoices), tuple(problems))

    def markers(self, report: RegisterReport) -> list[data.Transaction]:
        """One flagged, posting-less transaction per problem, dated near its row."""
        first = min((entry.date for entry in report.invoices), default=None)
        return problem_markers(report.filename, report.problems, first)

    def _books(self, existing: Sequence[data.Directive]) -> Sequence[data.Directive]:
        if existing or not self.ledger:
            return existing
        entries, _, _ = loader.load_file(self.ledger)
        return list(entries)

    def _header(self, filepath: str) -> list[str]:
        with open(filepath, encoding=self.encoding, newline="") as file:
            for record in csv.reader(file, delimiter=self.delimiter):
                if record and not record[0].startswith(self.comments or "\0"):
                    return [column_key(name) for name in record]
        return []

    def _rows(self, filepath: str) -> Iterator[_Row]:
        with open(filepath, "rb") as file:
            header: list[str] | None = None
            rows = csv_rows(
                file, self.encoding, self.comments, delimiter=self.delimiter
            )
            for row in rows:
                if row.error is not None:
                    # One bad field (a huge one) costs its row; the reader goes on.
                    yield _Row(row.line, {}, unreadable=row.error)
                elif header is None:
                    header = [column_key(name) for name in row.fields]
                else:
                    fields = self._fields(header, row.fields)
                    yield _Row(row.line, fields, row.undecodable)

    def _fields(
        self, header: list[str], record: Sequence[str]
    ) -> dict[str, str | None]:
        fields: dict[str, str | None] = {}
        for name, column in self.header_names.items():
            wanted = column_key(column)
            index = header.index(wanted) if wanted in header else None
            if index is None:
                fields[name] = "" if name in OPTIONAL else None
            else:
                fields[name] = record[index].strip() if index < len(record) else None
        return fields

    def _invoice(
        self,
        filepath: str,
        row: _Row,
        directory: ClientDirectory,
        seen: dict[str, int],
    ) -> data.Transaction | RowProblem:
        if row.unreadable:
            return RowProblem(row.number, f"cannot read the row: {row.unreadable}")
        if row.undecodable:
            return RowProblem(row.number, f"not {self.encoding} text")
        missing = [name for name in REQUIRED if not row.fields[name]]
        errors = [
            f"missing {self.header_names[name]!r}"
            + ("" if row.fields[name] == "" else " column")
            for name in missing
        ]
        parsed: dict[str, Any] = {}
        for name in ("date", "amount", "due"):
            text = row.fields[name]
            if text:
                try:
                    parsed[name] = self.parsers[name].parse(text)
                except ValueError as exc:
                    errors.append(f"{self.header_names[name]}: {exc}")
        currency = row.fields["currency"] or self.currency
        if not _CURRENCY.match(currency):
            errors.append(f"bad currency {currency!r}")
        number = row.fields["invoice"] or ""
        if number in seen:
            errors.append(f"invoice {number!r} is already on row {seen[number]}")
        match = directory.by_reference(row.fields["client"] or "")
        if "client" not in missing and match.client is None:
            errors.append(match.problem)
        if "date" in parsed and "due" not in parsed:
            try:
                parsed["due"] = parsed["date"] + self.terms
            except OverflowError:
                errors.append(f"no due date after {parsed['date']} in the calendar")
        if errors or match.client is None:
            return RowProblem(row.number, "; ".join(errors), parsed.get("date"))
        seen[number] = row.number
        return self._entry(
            filepath, row, number, match.client, currency, parsed, directory
        )

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
        date: datetime.date = parsed["date"]
        amount = Amount(Decimal(parsed["amount"]), currency)
        client = directory.book.clients[client_id]
        meta = data.new_metadata(filepath, row.number)
        meta[INVOICE_KEY] = number
        meta[DUE_KEY] = parsed["due"]
        meta[CLIENT_KEY] = client_id
        link = self.link_prefix + _LINK_UNSAFE.sub("-", number).strip("-")
        return data.Transaction(
            meta,
            date,
            self.flag,
            client.name,
            row.fields["description"] or f"Invoice {number}",
            data.EMPTY_SET,
            frozenset({link}),
            [
                data.Posting(self.importer_account, amount, None, None, None, None),
                data.Posting(
                    directory.income_account(client_id), -amount, None, None, None, None
                ),
            ],
        )


def _booked_invoices(
    entries: Iterable[data.Directive], config: Config
) -> dict[str, data.Transaction]:
    """Invoices and credit notes in the books, by `invoice:` number and by link,
    and the problem markers saved from earlier imports.

    A payment shares its invoice's link but books no income: it is not one.
    """
    income = config.income_re.search
    known: dict[str, data.Transaction] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        number = entry.meta.get(INVOICE_KEY)
        if number is not None:
            known.setdefault(f"{INVOICE_KEY}:{number}", entry)
        if ERROR_KEY in entry.meta:
            known.setdefault(f"{ERROR_KEY}:{entry.date}:{entry.narration}", entry)
        if any(income(posting.account) for posting in entry.postings):
            for link in entry.links:
                known.setdefault(link, entry)
    return known
