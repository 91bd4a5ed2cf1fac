"""beangulp importers and an import hook that attribute income to clients.

- `assign_clients`: the hook, for any importer (`HOOKS = [assign_clients]`);
  `assign_clients_hook(...)` makes one with other placeholder accounts.
- `InvoiceRegisterImporter`: one invoice per CSV row, booked as an accrual.
- `BankStatementImporter`: the example's bank CSV (knows nothing about clients);
  a malformed line is reported with its row number, as in the invoice register.
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

__all__ = [
    "ERROR_KEY",
    "UNATTRIBUTED_KEY",
    "BankStatementImporter",
    "InvoiceRegisterImporter",
    "RegisterReport",
    "RowProblem",
    "StatementReport",
    "assign_clients",
    "assign_clients_hook",
]
