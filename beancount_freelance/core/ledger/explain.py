"""Why each income posting has its client, or has none (`bean-clients explain`).

`explain` reads the ledger once (`core.ledger.scan`, the one attribution) and
says, for each income posting, the rule that attributed it and what in the
books made the rule apply (the key, the tag, the account, the payee…), or why
no rule applied; each with the posting's own file and line. The closing entries
are listed as left out. Give it the ledger as written: the entries before the
plugin wrote `client:` into them, or every posting reads "its client: metadata".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.book import (
    CLIENT_KEY,
    Rule,
    deposit_client,
    posting_source,
)
from beancount_freelance.core.ledger.scan import scan_ledger
from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.scan import Scan

__all__ = ["Explained", "explain"]


@dataclass(frozen=True)
class Explained:
    """One income posting: its client and rule (None: none), and why."""

    filename: str
    lineno: int
    date: datetime.date
    account: str
    units: str
    client: str | None
    rule: Rule | None
    why: str
    closing: bool = False


def explain(
    entries: Sequence[data.Directive],
    config: Config,
    *,
    client: str | None = None,
    account: str | None = None,
) -> tuple[Explained, ...]:
    """Each income posting (of `client`, or on `account` and its sub-accounts)."""
    scan = scan_ledger(entries, config, receivables=False)
    found = [
        _explained(item, scan, _why(item, scan))
        for item in scan.attributed
        if (client is None or item.client == client) and _on(item.posting, account)
    ]
    if client is None:
        found.extend(_closing(scan, account))
    return tuple(sorted(found, key=lambda e: (e.date, e.filename, e.lineno)))


def _on(posting: data.Posting, account: str | None) -> bool:
    return account is None or (
        posting.account == account or posting.account.startswith(account + ":")
    )


def _explained(item: Attributed, scan: Scan, why: str) -> Explained:
    posting = item.posting
    source = posting_source(item.entry, posting)
    return Explained(
        filename=str(source.get("filename", "<ledger>")),
        lineno=int(source.get("lineno", 0) or 0),
        date=item.entry.date,
        account=posting.account,
        units=str(posting.units) if posting.units is not None else "",
        client=item.client,
        rule=item.rule,
        why=why,
    )


def _closing(scan: Scan, account: str | None) -> Iterator[Explained]:
    income = scan.config.income_re.search
    for entry in scan.closing:
        for posting in entry.postings:
            if income(posting.account) and _on(posting, account):
                source = posting_source(entry, posting)
                yield Explained(
                    filename=str(source.get("filename", "<ledger>")),
                    lineno=int(source.get("lineno", 0) or 0),
                    date=entry.date,
                    account=posting.account,
                    units=str(posting.units) if posting.units is not None else "",
                    client=None,
                    rule=None,
                    why=message(
                        N_("a closing entry (income moved to equity): left out")
                    ),
                    closing=True,
                )


def _why(item: Attributed, scan: Scan) -> str:
    """What made the rule apply, or why none did."""
    entry, posting, config = item.entry, item.posting, scan.config
    rule = item.rule
    if rule in ("posting", "transaction"):
        meta = posting.meta if rule == "posting" else entry.meta
        key = next((k for k in config.client_keys if (meta or {}).get(k)), CLIENT_KEY)
        return message(
            N_("its {where} metadata {key}: {value!r}"),
            where=rule,
            key=key,
            value=str((meta or {}).get(key)),
        )
    if rule == "tag":
        tags = sorted(t for t in entry.tags or () if config.client_tags_re.search(t))
        return message(N_("its tag #{tag}"), tag=tags[0] if tags else "")
    if rule == "account":
        return message(
            N_("the account {account} is the client's"), account=posting.account
        )
    if rule == "payee":
        return message(
            N_("its payee {payee!r} matches the client's payee: regex"),
            payee=entry.payee,
        )
    if rule == "narration":
        return message(
            N_(
                "no payee; its narration {narration!r} matches the client's "
                "payee: regex"
            ),
            narration=entry.narration,
        )
    if rule == "payee_account":
        return message(
            N_("{account} is on payee_accounts: its payee {payee!r} is the client"),
            account=posting.account,
            payee=entry.payee,
        )
    if rule in ("receivable", "deposit"):
        named = [
            p.account
            for p in entry.postings
            if scan.receivable_accounts.client_of(p.account) == item.client
            or deposit_client(p.account) == item.client
        ]
        return message(
            N_("the transaction posts to {account}, which names the client"),
            account=named[0] if named else "",
        )
    return _why_none(item, scan)


def _why_none(item: Attributed, scan: Scan) -> str:
    entry, posting, config = item.entry, item.posting, scan.config
    keys = ", ".join(f"{key}:" for key in config.client_keys)
    if entry.payee:
        payee = message(
            N_("its payee {payee!r} matches no declared payee: regex"),
            payee=entry.payee,
        )
    else:
        payee = message(
            N_("it has no payee, and its narration matches no declared payee: regex")
        )
    return message(
        N_(
            "no rule applies: no {keys} metadata nor client tag; {account} belongs "
            "to no client; {payee}; no receivable or deposit names a client"
        ),
        keys=keys,
        account=posting.account,
        payee=payee,
    )
