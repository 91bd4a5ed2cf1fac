"""The example's bank statement: a French bank's CSV export, knowing nothing of clients.

    Date;Counterparty;Reference;Amount;Balance
    04/01/2018;VIR SEPA STUDIO HUET YOGA;Studio Huet - janvier 2018;280,00;7 112,44

Semicolons, day-first dates, decimal commas with spaces between thousands, the
balance after each line. Built on `beangulp.importers.csvbase` with its default
extraction: one single-legged transaction per line (payee, narration, amount on the
bank account) and a balance assertion the day after the last line. Where the money
came from is left to the user, and to the `assign_clients` hook for client money.
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from beancount.core import data, flags
from beangulp.extract import DUPLICATE
from beangulp.importers import csvbase

if TYPE_CHECKING:
    from collections.abc import Sequence

HEADER = ("Date", "Counterparty", "Reference", "Amount", "Balance")
# "1 234,50" -> "1234.50": spaces (also non-breaking) group thousands.
_FRENCH_NUMBER = {r"[\s\u00a0\u202f]": "", ",": "."}


class _Semicolons(csv.excel):
    delimiter = ";"


class BankStatementImporter(csvbase.Importer):  # type: ignore[misc]  # untyped base
    """Bank CSV export: `Date;Counterparty;Reference;Amount;Balance`."""

    date = csvbase.Date("Date", "%d/%m/%Y")
    payee = csvbase.Column("Counterparty")
    narration = csvbase.Column("Reference")
    amount = csvbase.Amount("Amount", subs=_FRENCH_NUMBER)
    balance = csvbase.Amount("Balance", subs=_FRENCH_NUMBER)
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
            with open(filepath, encoding=self.encoding, newline="") as file:
                header = next(csv.reader(file, dialect=self.dialect), [])
        except (OSError, UnicodeError, csv.Error):
            return False
        return tuple(name.strip() for name in header) == HEADER

    def deduplicate(
        self, entries: list[data.Directive], existing: Sequence[data.Directive]
    ) -> None:
        """beangulp's transaction heuristics, and the same balance assertion."""
        super().deduplicate(entries, existing)
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
