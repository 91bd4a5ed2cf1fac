"""beangulp importers and an import hook that attribute income to clients.

- `assign_clients`: the hook, for any importer (`HOOKS = [assign_clients]`);
  `assign_clients_hook(...)` makes one with other placeholder accounts.
- `InvoiceRegisterImporter`: one invoice per CSV row, booked as an accrual.
- `BankStatementImporter`: the example's bank CSV (knows nothing about clients);
  a malformed line is reported with its row number, as in the invoice register.
- `TogglImporter`, `HarvestImporter`, `ClockifyImporter`, `KimaiImporter`: a
  time tracker's CSV export, one transaction of hours per row (docs/time.md).
"""

from __future__ import annotations

from beancount_freelance.importers.bank import BankStatementImporter, StatementReport
from beancount_freelance.importers.columns import ERROR_KEY, RowProblem
from beancount_freelance.importers.hook import (
    UNATTRIBUTED_KEY,
    assign_clients,
    assign_clients_hook,
)
from beancount_freelance.importers.invoices import (
    InvoiceRegisterImporter,
    RegisterReport,
)
from beancount_freelance.importers.time_trackers import (
    TIME_ID_KEY,
    ClockifyImporter,
    HarvestImporter,
    KimaiImporter,
    TimeReport,
    TimeTrackerImporter,
    TogglImporter,
)

__all__ = [
    "ERROR_KEY",
    "TIME_ID_KEY",
    "UNATTRIBUTED_KEY",
    "BankStatementImporter",
    "ClockifyImporter",
    "HarvestImporter",
    "InvoiceRegisterImporter",
    "KimaiImporter",
    "RegisterReport",
    "RowProblem",
    "StatementReport",
    "TimeReport",
    "TimeTrackerImporter",
    "TogglImporter",
    "assign_clients",
    "assign_clients_hook",
]
