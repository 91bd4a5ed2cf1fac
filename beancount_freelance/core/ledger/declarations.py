"""One `custom` directive of the client vocabulary, read (docs/ledger.md).

`custom "client"` with its `account:`, `receivable:`, `payee:` and `kind:`, and
`custom "client-lost"` / `custom "client-back"`: each malformed one is a
FreelanceError at its file and line, and is left out. `book_reader` reads a
whole ledger's with these.
"""

from __future__ import annotations

from collections.abc import Mapping

from beancount.core import account as account_lib
from beancount.core import data

from beancount_freelance.core.ledger.book import (
    Client,
    EventKind,
    FreelanceError,
    LifecycleEvent,
    shown,
)
from beancount_freelance.core.ledger.patterns import (
    InvalidPattern,
    Pattern,
    PatternError,
    compile_pattern,
)
from beancount_freelance.core.messages import N_, message

__all__ = ["read_declaration", "read_event"]


def _problem(errors: list[FreelanceError], entry: data.Custom, said: str) -> None:
    """One problem of a directive, at its file and line (shown when printable)."""
    errors.append(FreelanceError(entry.meta, said, _printable(entry)))


def _strings(entry: data.Custom) -> list[str] | None:
    """The directive's values if they are all strings, else None."""
    values = []
    for value in entry.values or ():
        if getattr(value, "dtype", None) is not str or not isinstance(value.value, str):
            return None
        values.append(value.value)
    return values


def _printable(entry: data.Custom) -> data.Custom | None:
    """The entry to show under the error, unless Beancount's printer cannot print it.

    A `custom` directive with no value has `values=None`, on which the printer
    raises: bean-check then shows the file and line without the entry.
    """
    return entry if entry.values else None


def _given(entry: data.Custom) -> str:
    values = entry.values or ()
    if not values:
        return "no value"
    return "given " + " ".join(shown(getattr(v, "value", v)) for v in values)


def read_declaration(
    entry: data.Custom, clients: dict[str, Client], errors: list[FreelanceError]
) -> None:
    """One `custom "client"` directive into `clients`, or its problem into `errors`."""
    values = _strings(entry) or []  # not all strings: as malformed as none
    problem = _declaration_problem(entry, values, clients)
    if problem is not None:
        _problem(errors, entry, problem)
        return
    client_id = values[0]
    kind = entry.meta.get("kind")
    clients[client_id] = Client(
        id=client_id,
        name=values[1] if len(values) == 2 and values[1].strip() else client_id,
        declared=entry.date,
        account=_read_account(entry, client_id, clients, errors),
        payee=_read_payee(entry, client_id, errors),
        kind=kind if isinstance(kind, str) else None,
        source=entry.meta,
        receivable=_read_receivable(entry, client_id, errors),
    )


def _declaration_problem(
    entry: data.Custom, values: list[str], clients: Mapping[str, Client]
) -> str | None:
    """What makes a declaration unreadable: its values, its id, a duplicate."""
    usage = '`custom "client" "<id>" "<name>"` (name optional)'
    if not 1 <= len(values) <= 2:
        return message(
            N_(
                "Malformed client directive ({given}): expected one or two "
                "strings; write {usage}"
            ),
            given=_given(entry),
            usage=usage,
        )
    client_id = values[0]
    if not _valid_id(client_id):
        return message(
            N_(
                "Malformed client id {client!r}: use a name without spaces "
                "or colons, as in an account component; write {usage}"
            ),
            client=client_id,
            usage=usage,
        )
    if client_id in clients:
        first = clients[client_id].source or {}
        return message(
            N_(
                "Duplicate declaration of client {client!r} (first declared "
                "at {filename}:{lineno}); keep only one"
            ),
            client=client_id,
            filename=first.get("filename"),
            lineno=first.get("lineno"),
        )
    return None


def _valid_id(client_id: str) -> bool:
    return bool(client_id) and not any(c.isspace() or c == ":" for c in client_id)


def _read_account(
    entry: data.Custom,
    client_id: str,
    clients: Mapping[str, Client],
    errors: list[FreelanceError],
) -> str | None:
    account = entry.meta.get("account")
    if account is None:
        return None
    if not isinstance(account, str) or not account_lib.is_valid(account):
        _problem(
            errors,
            entry,
            message(
                N_(
                    "Client {client!r} has an invalid account {account!r}; write "
                    "`account: Income:Clients:{client}`"
                ),
                client=client_id,
                account=account,
            ),
        )
        return None
    for other in clients.values():
        if other.account == account:
            _problem(
                errors,
                entry,
                message(
                    N_(
                        "Client {client!r} declares account {account}, already "
                        "the account of client {other!r}; give each client its "
                        "own account, or use `payee:` regexes on a shared account"
                    ),
                    client=client_id,
                    account=account,
                    other=other.id,
                ),
            )
            return None
    return str(account)


def _read_receivable(
    entry: data.Custom, client_id: str, errors: list[FreelanceError]
) -> str | None:
    account = entry.meta.get("receivable")
    if account is None:
        return None
    if not isinstance(account, str) or not account_lib.is_valid(account):
        _problem(
            errors,
            entry,
            message(
                N_(
                    "Client {client!r} has an invalid receivable {account}; "
                    "write `receivable: Assets:Receivable:{client}`"
                ),
                client=client_id,
                account=shown(account),
            ),
        )
        return None
    return str(account)


def _read_payee(
    entry: data.Custom, client_id: str, errors: list[FreelanceError]
) -> Pattern | None:
    payee = entry.meta.get("payee")
    if payee is None:
        return None
    if not isinstance(payee, str) or not payee:
        _problem(
            errors,
            entry,
            message(
                N_(
                    "Client {client!r} has a payee that is not a non-empty "
                    'string ({payee}); write `payee: "REGEX"` in quotes'
                ),
                client=client_id,
                payee=shown(payee),
            ),
        )
        return None
    try:
        return compile_pattern(
            payee,
            message(N_("The payee regex of client {client!r}"), client=client_id),
            ignore_case=True,
        )
    except InvalidPattern as exc:
        text: str = message(
            N_(
                "Client {client!r} has an invalid payee regex {payee!r}: "
                "{error}; fix the regex (escape special characters with a "
                "backslash)"
            ),
            client=client_id,
            payee=payee,
            error=exc.reason,
        )
    except PatternError as exc:
        text = exc.message
    _problem(errors, entry, text)
    return None


def read_event(
    entry: data.Custom, errors: list[FreelanceError]
) -> LifecycleEvent | None:
    values = _strings(entry)
    if values is None or not 1 <= len(values) <= 2:
        _problem(
            errors,
            entry,
            message(
                N_(
                    "Malformed {kind} directive ({given}): expected one or two "
                    'strings; write `custom "{kind}" "<client id>" "<reason>"` '
                    "(reason optional)"
                ),
                kind=entry.type,
                given=_given(entry),
            ),
        )
        return None
    kind: EventKind = "lost" if entry.type == "client-lost" else "back"
    note = values[1] if len(values) == 2 else ""
    return LifecycleEvent(entry.date, values[0], kind, note, entry)
