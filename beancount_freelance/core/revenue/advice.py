"""What the analysis tells the user to add to the books, and in which order.

The income it could not give a client, named by account with the line to paste
(a `client_accounts` or `payee_accounts` config, else `custom "client"`
declarations); the clients it inferred from receivable accounts, so that a wrong
one is seen; and the one order of every warning of a report (`ordered`), the
most consequential first. docs/ledger.md ("Your books as they are") and
docs/errors.md describe each message.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.advice_line import (
    LineAdvice,
    advise,
    name_regex,
)
from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.ledger.config import config_from_mapping
from beancount_freelance.core.ledger.evidence import account_evidence
from beancount_freelance.core.ledger.plugin_line import plugin_line
from beancount_freelance.core.messages import N_, message, message_n, verbatim
from beancount_freelance.core.money import ZERO, amount
from beancount_freelance.core.question import CURRENCY_INFERRED

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Iterator, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.book import ClientBook
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.evidence import ReceivableLike
    from beancount_freelance.core.revenue.lines import RevenueLine

__all__ = [
    "UnattributedAccount",
    "closing_warnings",
    "discovery_warnings",
    "ordered",
    "unattributed_accounts",
    "unattributed_warnings",
]

UNATTRIBUTED = "of income has no client"
DISCOVERED = "found from their receivable accounts"
_SHOWN_ACCOUNTS = 3


@dataclass(frozen=True)
class UnattributedAccount:
    """An income account whose revenue has no client."""

    account: str
    revenue_total: Decimal
    postings: int


def unattributed_accounts(
    lines: Iterable[RevenueLine],
) -> tuple[UnattributedAccount, ...]:
    """The accounts of the lines without a client, largest revenue first."""
    totals: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for line in lines:
        if line.client is None:
            totals[line.account] = totals.get(line.account, ZERO) + line.revenue
            counts[line.account] = counts.get(line.account, 0) + 1
    return tuple(
        sorted(
            (UnattributedAccount(a, totals[a], counts[a]) for a in totals),
            key=lambda item: (-item.revenue_total, item.account),
        )
    )


def unattributed_warnings(
    accounts: Sequence[UnattributedAccount],
    lines: Sequence[RevenueLine],
    currency: str,
    config: Config | None = None,
    receivables: Sequence[ReceivableLike] = (),
) -> list[FreelanceError]:
    """One warning: how much income has no client, where, and the line to add."""
    first = next((line for line in lines if line.client is None), None)
    if first is None or not accounts:
        return []
    total = sum((item.revenue_total for item in accounts), ZERO)
    shown: str = ", ".join(
        f"{item.account} {amount(item.revenue_total)}"
        for item in accounts[:_SHOWN_ACCOUNTS]
    )
    hidden = len(accounts) - _SHOWN_ACCOUNTS
    if hidden > 0:
        shown = message(
            N_("{accounts} and {count} more"), accounts=verbatim(shown), count=hidden
        )
    return [
        FreelanceError(
            first.entry.meta,
            # The words of UNATTRIBUTED, which `ordered` looks for.
            message(
                N_("{amount} {currency} of income has no client ({accounts}); {fix}"),
                amount=amount(total),
                currency=currency,
                accounts=verbatim(shown) if hidden <= 0 else shown,
                fix=fix(accounts, lines, config, receivables),
            ),
            first.entry,
        )
    ]


def fix(
    accounts: Sequence[UnattributedAccount],
    lines: Iterable[RevenueLine],
    config: Config | None = None,
    receivables: Sequence[ReceivableLike] = (),
) -> str | None:
    """The ready-to-paste line that gives the unattributed income its clients,
    from the evidence of its postings (`core.ledger.advice_line`).

    Sub-accounts that one payee each pays (`Income:Consulting` over `:Acme` and
    `:Globex`): `client_accounts`. A shared account with several payees:
    `payee_accounts`. A metadata key or tag: `client_keys`, `client_tags`. Else
    `custom "client"` declarations for an account that one payee pays.
    """
    if not accounts:
        return None
    settings = config if config is not None else config_from_mapping({})
    advice = advise(
        account_evidence(unattributed_postings(lines), settings),
        settings,
        {item.account: item.revenue_total for item in accounts},
        receivables,
    )
    return advice_sentence(advice, settings)


def unattributed_postings(
    lines: Iterable[RevenueLine],
) -> Iterator[tuple[data.Transaction, data.Posting]]:
    """The posting of each line without a client (the first on its account)."""
    for line in lines:
        if line.client is None:
            posting = next(
                (p for p in line.entry.postings if p.account == line.account), None
            )
            if posting is not None:
                yield line.entry, posting


def advice_sentence(advice: LineAdvice, config: Config) -> str:
    """The advice said in one sentence, with the line to paste."""
    said = _line_sentence(advice, config)
    if not advice.named:
        return said
    declarations = verbatim(
        " ".join(
            f'`custom "client" "{client}" "{name}"` with `payee: "{name_regex(name)}"`;'
            for client, name in advice.named
        )
    )
    if advice.added:
        return message(
            N_("{said}; and declare the clients the narrations name: {declarations}"),
            said=said,
            declarations=declarations,
        )
    return message(
        N_(
            "the narrations name the clients (as hledger's `payee | note`): "
            "declare them, {declarations} a `payee:` regex is searched in the "
            "narration of a transaction without payee"
        ),
        declarations=declarations,
    )


def _line_sentence(advice: LineAdvice, config: Config) -> str:
    line = verbatim(f"`{plugin_line(config, advice.added)}`")
    if list(advice.added) == ["client_accounts"] and advice.parent is not None:
        return message(
            N_(
                "if each account below {parent} is a client, write the plugin line "
                "as {line}; if it is not business income, narrow the config's "
                "`income` regex"
            ),
            parent=verbatim(advice.parent),
            line=line,
        )
    if list(advice.added) == ["payee_accounts"]:
        return message(
            N_(
                "{account} has several payees; if the payee is the client, write "
                "the plugin line as {line}"
            ),
            account=verbatim(advice.shared[0]),
            line=line,
        )
    if advice.added:
        return message(
            N_(
                "from what the books carry ({evidence}), write the plugin line "
                "as {line}"
            ),
            evidence=verbatim(evidence_said(advice)),
            line=line,
        )
    if advice.declarations:
        declarations = " ".join(
            f'`custom "client" "{client}"` with `account: {account}`;'
            for client, _, account in advice.declarations[:_SHOWN_ACCOUNTS]
        )
        return message(
            N_(
                "declare the client of each account: {declarations} or narrow the "
                "config's `income` regex if it is not business income"
            ),
            declarations=verbatim(declarations),
        )
    if advice.not_clients:
        return message(
            N_(
                "no client pays {accounts} (no payee, or gains held at cost or "
                "converted at a price): if it is not business income, narrow the "
                "config's `income` regex to the accounts of your business"
            ),
            accounts=verbatim(", ".join(item.account for item in advice.not_clients)),
        )
    return message(
        N_(
            "nothing in the books names the client of this income (no payee, "
            'metadata key or tag): declare each client with `custom "client"` '
            "and `account:`, or narrow the config's `income` regex if it is not "
            "business income; `bean-clients setup` shows the evidence"
        )
    )


def evidence_said(advice: LineAdvice) -> str:
    """What led to each key of the proposal, in a few words."""
    said = []
    if advice.parent is not None:
        said.append(
            message(
                N_("each account below {parent} has one payee"), parent=advice.parent
            )
        )
    if advice.shared:
        said.append(
            message(
                N_("the payees of {accounts}"),
                accounts=verbatim(", ".join(advice.shared)),
            )
        )
    for key in advice.keys:
        said.append(message(N_("the metadata key {key}:"), key=verbatim(key)))
    for prefix in advice.tag_prefixes:
        said.append(message(N_("the tags #{prefix}-…"), prefix=verbatim(prefix)))
    if advice.receivables:
        said.append(
            message(
                N_("{accounts} behave like receivables"),
                accounts=verbatim(", ".join(advice.receivables)),
            )
        )
    return "; ".join(said)


def discovery_warnings(
    lines: Iterable[RevenueLine], book: ClientBook, config: Config
) -> list[FreelanceError]:
    """The clients inferred from receivable accounts, so that a wrong one is seen."""
    inferred = {c.id for c in book.clients.values() if c.origin == "receivable"}
    first: dict[str, RevenueLine] = {}
    for line in lines:
        if line.client in inferred:
            first.setdefault(line.client, line)
    if not first:
        return []
    named = ", ".join(
        f"{client} ({book.clients[client].found_in or client})"
        if client in book.clients
        else client
        for client in sorted(first)
    )
    line = min(first.values(), key=lambda item: item.date)
    return [
        FreelanceError(
            line.entry.meta,
            # The words of DISCOVERED, which `ordered` looks for.
            message_n(
                "{count} client found from their receivable accounts: {clients}; "
                "if it is no client, narrow the config's `receivables` "
                "({pattern}) or declare the account's client with `receivable:`",
                "{count} clients found from their receivable accounts: {clients}; "
                "if one is no client, narrow the config's `receivables` "
                "({pattern}) or declare the account's client with `receivable:`",
                len(first),
                clients=verbatim(named),
                pattern=verbatim(repr(config.receivables)),
            ),
            line.entry,
        )
    ]


def closing_warnings(
    closing: Sequence[data.Transaction], as_of: datetime.date
) -> list[FreelanceError]:
    """One warning for every closing entry up to `as_of`: left out of revenue."""
    shown = [entry for entry in closing if entry.date <= as_of]
    if not shown:
        return []
    first = shown[0]
    return [
        FreelanceError(
            first.meta,
            message_n(
                "{count} closing entry (income moved to equity, from {first}) is "
                "left out of the revenue: it is neither revenue nor a refund",
                "{count} closing entries (income moved to equity, from {first}) "
                "are left out of the revenue: they are neither revenue nor refunds",
                len(shown),
                first=first.date,
            ),
            first,
        )
    ]


def ordered(warnings: Iterable[FreelanceError]) -> list[FreelanceError]:
    """Every warning of a report, the most consequential first.

    Income without a client first (its fix is the line to paste), then the
    currency the report is in, then every other warning as it came (money
    that could not be counted), then the clients inferred from receivables.
    """
    return sorted(warnings, key=_rank)


def _rank(warning: FreelanceError) -> int:
    message = warning.message
    if UNATTRIBUTED in message:
        return 0
    if message.startswith(CURRENCY_INFERRED):
        return 1
    if DISCOVERED in message:
        return 3
    return 2
