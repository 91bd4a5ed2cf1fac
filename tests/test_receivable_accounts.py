"""Receivable accounts and the client a per-client receivable names."""

from __future__ import annotations

import re

import pytest

from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts

BROAD = re.compile(r"^Assets:(Accounts)?Receivables?")


@pytest.mark.parametrize(
    ("account", "root", "client"),
    [
        ("Assets:Receivable", "Assets:Receivable", None),
        ("Assets:Receivable:Acme", "Assets:Receivable", "Acme"),
        ("Assets:AccountsReceivable:Globex", "Assets:AccountsReceivable", "Globex"),
        ("Assets:Receivables:Initech:2024", "Assets:Receivables", "Initech"),
        ("Assets:Bank:Checking", None, None),
        ("Assets:ReceivableX:Acme", "Assets:ReceivableX", "Acme"),
    ],
)
def test_root_and_client(account: str, root: str | None, client: str | None) -> None:
    accounts = ReceivableAccounts(BROAD)
    assert accounts.root(account) == root
    assert accounts.is_receivable(account) is (root is not None)
    assert accounts.client_of(account) == client


def test_a_declared_receivable_names_its_client() -> None:
    accounts = ReceivableAccounts(BROAD, {"Assets:Receivable:AcmeCorp": "Acme"})
    assert accounts.client_of("Assets:Receivable:AcmeCorp") == "Acme"
    assert accounts.client_of("Assets:Receivable:AcmeCorp:2024") == "Acme"
    assert accounts.client_of("Assets:Receivable:Globex") == "Globex"
