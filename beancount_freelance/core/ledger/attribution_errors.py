"""What the attribution says when the books name a client wrongly.

The words only: `core.ledger.attribution` decides when each applies (its rules
live there alone). docs/errors.md lists every message with its fix.
"""

from __future__ import annotations

from collections.abc import Sequence

from beancount_freelance.core.ledger.book import shown
from beancount_freelance.core.messages import N_, message

__all__ = [
    "account_as_client",
    "malformed_client",
    "malformed_key",
    "several_payee_clients",
    "several_tag_clients",
    "unattributed",
]


def unattributed(account: str) -> str:
    return message(
        N_(
            "Income posting to {account} has no client; add "
            '`client: "<id>"` to the posting or the transaction, book '
            "it to the client's account, or give the client a "
            "`payee:` regex"
        ),
        account=account,
    )


def malformed_client(where: str, value: object) -> str:
    return message(
        N_(
            "The {where} metadata client: must be a client id in "
            'quotes, as `client: "<id>"`, not {value}'
        ),
        where=where,
        value=shown(value),
    )


def malformed_key(where: str, key: str, value: object) -> str:
    return message(
        N_(
            "The {where} metadata {key}: must name the client in "
            'quotes, as `{key}: "<client>"`, not {value}'
        ),
        where=where,
        key=key,
        value=shown(value),
    )


def account_as_client(where: str, value: str) -> str:
    return message(
        N_(
            "The {where} metadata client: {value!r} is an account, not a "
            'client id; write `client: "{client}"`'
        ),
        where=where,
        value=value,
        client=value.rpartition(":")[2],
    )


def several_tag_clients(clients: Sequence[str]) -> str:
    return message(
        N_(
            "The transaction's tags name several clients ({clients}); "
            'keep one, or add `client: "<id>"` to each income posting'
        ),
        clients=", ".join(clients),
    )


def several_payee_clients(payee: str, clients: Sequence[str]) -> str:
    return message(
        N_(
            "Payee {payee!r} matches the payee regex of several "
            "clients ({clients}); make the regexes exclusive or add "
            '`client: "<id>"` to the transaction'
        ),
        payee=payee,
        clients=", ".join(clients),
    )
