"""Import the example's downloads, with every client's money attributed.

    python import.py extract downloads --existing main.beancount

The bank statement importer knows nothing about clients; the `assign_clients` hook
finds them from the ledger's declarations, earlier payments and open invoices. The
time trackers' exports (Toggl, Harvest, Clockify, Kimai) become hours in
Assets:Time:<client>, their clients recognised as the hook recognises them
(docs/time.md). Fava
runs this file for its import page (`CONFIG` and `HOOKS`), see docs/importing.md.
"""

from __future__ import annotations

from pathlib import Path

import beangulp

from beancount_freelance.importers import (
    BankStatementImporter,
    ClockifyImporter,
    HarvestImporter,
    InvoiceRegisterImporter,
    KimaiImporter,
    TogglImporter,
    assign_clients_hook,
)

LEDGER = Path(__file__).resolve().parent / "main.beancount"

CONFIG = [
    BankStatementImporter("Assets:Bank:Checking", "EUR"),
    # `ledger` is read only when extract gets no existing entries (no --existing).
    InvoiceRegisterImporter("Assets:AccountsReceivable", "EUR", ledger=str(LEDGER)),
    TogglImporter(ledger=str(LEDGER)),
    HarvestImporter(ledger=str(LEDGER)),
    ClockifyImporter(ledger=str(LEDGER)),
    KimaiImporter(ledger=str(LEDGER)),
]

# The hook reads the configuration on the ledger's plugin line (beangulp gives it
# the entries, not the options).
HOOKS = [assign_clients_hook(ledger=str(LEDGER))]

if __name__ == "__main__":
    beangulp.Ingest(CONFIG, HOOKS)()
