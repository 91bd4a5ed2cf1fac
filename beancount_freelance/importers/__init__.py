"""beangulp importers and an import hook that attribute income to clients.

- `assign_clients`: the hook, for any importer (`HOOKS = [assign_clients]`);
  `assign_clients_hook(...)` makes one with other placeholder accounts.
- `InvoiceRegisterImporter`: one invoice per CSV row, booked as an accrual.
- `BankStatementImporter`: the example's bank CSV (knows nothing about clients).
"""

from __future__ import annotations

from beancount_freelance.importers.bank import BankStatementImporter
from beancount_freelance.importers.hook import (
    UNATTRIBUTED_KEY,
    assign_clients,
    assign_clients_hook,
)
from beancount_freelance.importers.invoices import (
    ERROR_KEY,
    InvoiceRegisterImporter,
    RegisterReport,
    RowProblem,
)

__all__ = [
    "ERROR_KEY",
    "UNATTRIBUTED_KEY",
    "BankStatementImporter",
    "InvoiceRegisterImporter",
    "RegisterReport",
    "RowProblem",
    "assign_clients",
    "assign_clients_hook",
]
