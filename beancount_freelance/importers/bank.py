"""The example's bank statement: a French bank's CSV export, knowing nothing of clients.

    Date;Counterparty;Reference;Amount;Balance
    04/01/2018;VIR SEPA STUDIO HUET YOGA;Studio Huet - janvier 2018;280,00;7 112,44

Semicolons, day-first dates, decimal commas with spaces between thousands, the
balance after each line. Extracts what `beangulp.importers.csvbase` would: one
single-legged transaction per line (payee, narration, amount on the bank account)
and a balance assertion the day after the last line. Where the money came from is
left to the user, and to the `assign_clients` hook for client money.

A line that cannot be read (a bad date or amount, a missing column, bytes that
are not UTF-8, a field too large) is not imported: it is reported with its row
number (the header is row 1), logged, and shown as a flagged `!` transaction
without postings, as the invoice register does. Every row read is either a
transaction or a reported row.
"""

from __future__ import annotations

import csv
import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount.core import data, flags
from beancount.core.amount import Amount
from beangulp.extract import DUPLICATE
from beangulp.importers import csvbase

from beancount_freelance.importers.columns import (
    RowProblem,
    parse_amount,
    parse_date,
    problem_markers,
)
from beancount_freelance.importers.reading import (
    csv_rows,
    header_problem,
    said_unreadable,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    Line = tuple[data.Transaction, data.Balance | None]

log = logging.getLogger(__name__)

HEADER = ("Date", "Counterparty", "Reference", "Amount", "Balance")
REQUIRED = HEADER[:4]
DATE_FORMAT = "%d/%m/%Y"
_ONE_DAY = datetime.timedelta(days=1)
_WINDOW = datetime.timedelta(days=2)  # beangulp's, for duplicates


class _Semicolons(csv.excel):
    delimiter = ";"


@dataclass(frozen=True)
class StatementReport:
    """What became of each row of one bank statement."""

    filename: str
    rows_read: int
    transactions: tuple[data.Transaction, ...] = ()  # in date order
    balance: data.Balance | None = None  # the day after the latest line
    problems: tuple[RowProblem, ...] = ()

    @property
    def balanced(self) -> bool:
        """Every row read is a transaction or a reported problem."""
        return self.rows_read == len(self.transactions) + len(self.problems)


class BankStatementImporter(csvbase.Importer):  # type: ignore[misc]  # untyped base
    """Bank CSV export: `Date;Counterparty;Reference;Amount;Balance`."""

    dialect = _Semicolons
    encoding = "utf-8-sig"

    def __init__(
        self, account: str, currency: str = "EUR", flag: str = flags.FLAG_OKAY
    ) -> None:
        super().__init__(account, currency, flag)

    def identify(self, filepath: str) -> bool:
        if not filepath.lower().endswith(".csv"):
            return False
        try:
            with open(filepath, "rb") as file:
                rows = csv_rows(file, self.encoding, None, dialect=self.dialect)
                header = next(rows, None)
        except OSError as exc:
            return said_unreadable(log, filepath, f"cannot open it: {exc}")
        problem = header_problem(header, self.encoding)
        if problem is not None:
            return said_unreadable(log, filepath, problem)
        return header is not None and (
            tuple(name.strip() for name in header.fields) == HEADER
        )

    def date(self, filepath: str) -> datetime.date | None:
        """The date of the latest line that reads."""
        latest = None
        try:
            for made in self.stream(filepath):
                if not isinstance(made, RowProblem):
                    date = made[0].date
                    latest = date if latest is None or date > latest else latest
        except OSError:
            pass
        return latest

    def extract(
        self, filepath: str, existing: Sequence[data.Directive]
    ) -> list[data.Directive]:
        report = self.read_statement(filepath)
        for problem in report.problems:
            log.warning("%s row %d: %s", filepath, problem.row, problem.message)
        first = report.transactions[0].date if report.transactions else None
        balance = [report.balance] if report.balance is not None else []
        return [
            *report.transactions,
            *balance,
            *problem_markers(filepath, report.problems, first),
        ]

    def deduplicate(
        self, entries: list[data.Directive], existing: Sequence[data.Directive]
    ) -> None:
        """beangulp's transaction heuristics, and the same balance assertion.

        beangulp compares entries within two days of each other: a line on the
        calendar's first or last days has no such days, and is left alone.
        """
        first, last = datetime.date.min + _WINDOW, datetime.date.max - _WINDOW
        super().deduplicate([e for e in entries if first <= e.date <= last], existing)
        balances = {
            (entry.date, entry.account, entry.amount): entry
            for entry in existing
            if isinstance(entry, data.Balance)
        }
        for entry in entries:
            if isinstance(entry, data.Balance):
                known = balances.get((entry.date, entry.account, entry.amount))
                if known is not None and known is not entry:
                    entry.meta[DUPLICATE] = known

    # --- The statement ---------------------------------------------------------

    def read_statement(self, filepath: str) -> StatementReport:
        """Every row of the file, as a transaction or a reported problem.

        The rows are read as a stream: what is kept is the transactions (the
        extracted entries), the problems, and the first and last balances.
        """
        transactions: list[data.Transaction] = []
        problems: list[RowProblem] = []
        balances: list[data.Balance] = []  # the first and the last
        rows_read = 0
        try:
            for made in self.stream(filepath):
                rows_read += 1
                if isinstance(made, RowProblem):
                    problems.append(made)
                    continue
                transactions.append(made[0])
                if made[1] is not None:
                    balances[1 if balances else 0 :] = [made[1]]
        except OSError as exc:
            rows_read += 1
            problems.append(RowProblem(rows_read + 1, f"cannot read the file: {exc}"))
        # Banks list lines newest first or oldest first; the books want oldest first.
        if transactions and transactions[0].date > transactions[-1].date:
            transactions.reverse()
            balances.reverse()
        return StatementReport(
            filepath,
            rows_read,
            tuple(transactions),
            balances[-1] if balances else None,
            tuple(problems),
        )

    def stream(self, filepath: str) -> Iterator[RowProblem | Line]:
        """What each row after the header gives, one at a time: a problem, or a
        transaction with the balance assertion its Balance column makes."""
        with open(filepath, "rb") as file:
            columns: dict[str, int] | None = None
            for row in csv_rows(
                file,
                self.encoding,
                self.comments,
                starts_row=_starts_row,
                dialect=self.dialect,
            ):
                if row.error is not None:
                    yield RowProblem(row.line, f"cannot read the row: {row.error}")
                elif columns is None:
                    columns = {name.strip(): i for i, name in enumerate(row.fields)}
                elif row.undecodable:
                    yield RowProblem(row.line, f"not {self.encoding} text")
                else:
                    yield self._line(filepath, row.line, columns, row.fields)

    def _line(
        self,
        filepath: str,
        number: int,
        columns: dict[str, int],
        record: Sequence[str],
    ) -> RowProblem | Line:
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            names = ", ".join(repr(name) for name in missing)
            return RowProblem(number, f"missing {names} column")
        size = len(record)
        fields = {
            name: record[index].strip() if index < size else ""
            for name, index in columns.items()
        }
        errors = [
            f"missing {name!r}" for name in ("Date", "Amount") if not fields[name]
        ]
        date = amount = balance = None
        if fields["Date"]:
            try:
                date = parse_date(fields["Date"], DATE_FORMAT)
            except ValueError as exc:
                errors.append(f"Date: {exc}")
        if fields["Amount"]:
            try:
                amount = parse_amount(fields["Amount"], ",")
            except ValueError as exc:
                errors.append(f"Amount: {exc}")
        if fields.get("Balance"):
            try:
                balance = parse_amount(fields["Balance"], ",")
            except ValueError as exc:
                errors.append(f"Balance: {exc}")
        if errors or date is None or amount is None:
            return RowProblem(number, "; ".join(errors), date)
        units = Amount(amount, self.currency)
        transaction = data.Transaction(
            data.new_metadata(filepath, number),
            date,
            self.flag,
            fields["Counterparty"],
            fields["Reference"],
            data.EMPTY_SET,
            data.EMPTY_SET,
            [data.Posting(self.importer_account, units, None, None, None, None)],
        )
        assertion = None
        if balance is not None and date < datetime.date.max:
            assertion = data.Balance(
                data.new_metadata(filepath, number),
                date + _ONE_DAY,
                self.importer_account,
                Amount(balance, self.currency),
                None,
                None,
            )
        return transaction, assertion


def _starts_row(header: Sequence[str], fields: Sequence[str]) -> bool:
    """A line starts a row when its Date reads: a line of a description does not."""
    columns = [name.strip() for name in header]
    if "Date" not in columns:
        return True
    index = columns.index("Date")
    try:
        parse_date(fields[index].strip(), DATE_FORMAT)
    except (ValueError, IndexError):
        return False
    return True
