"""The line to paste, from the evidence of the books (docs/ledger.md).

`advise` reads the evidence of each income account without a client
(`core.ledger.evidence`) with the thresholds of the design: a metadata key or a
tag on at least half of an account's postings names the client (`client_keys`,
`client_tags`); sub-accounts are clients when, in each, 80 % or more of the
postings carry one payee and the money came in from an asset; a shared account
is a `payee_accounts` one when two or more payees hold 80 % of its postings; an
account that behaves like a receivable widens `receivables`. An account without
payees, or whose other side is held at cost or converted at a price (gains), is
never a client. Several proposals are one line that keeps every key of today's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from beancount_freelance.core.ledger.config import defaults

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.evidence import (
        AccountEvidence,
        ReceivableLike,
    )

__all__ = ["LineAdvice", "NotClient", "advise", "client_id_of", "name_regex"]

NotClientReason = Literal["no_payee", "gains"]
HALF = Decimal("0.5")
ZERO = Decimal(0)
MOST = Decimal("0.8")


@dataclass(frozen=True)
class NotClient:
    """An income account the advice will not make a client, and why."""

    account: str
    reason: NotClientReason


@dataclass(frozen=True)
class LineAdvice:
    """What the evidence supports: the keys to set, and what led to each."""

    added: dict[str, object] = field(default_factory=dict)
    parent: str | None = None  # whose sub-accounts are clients
    shared: tuple[str, ...] = ()  # accounts whose payee is the client
    keys: tuple[str, ...] = ()  # metadata keys that name the client
    tag_prefixes: tuple[str, ...] = ()
    receivables: tuple[str, ...] = ()  # accounts that behave like receivables
    not_clients: tuple[NotClient, ...] = ()
    # (id, payee, account): one declaration per account that one payee pays.
    declarations: tuple[tuple[str, str, str], ...] = ()
    # (id, name): a client named only in narrations (`Acme Corp | website`),
    # to declare with a `payee:` regex, which rule 4 searches in the narration.
    named: tuple[tuple[str, str], ...] = ()


def advise(
    evidence: Mapping[str, AccountEvidence],
    config: Config,
    weights: Mapping[str, Decimal] | None = None,
    receivable_like: Sequence[ReceivableLike] = (),
) -> LineAdvice:
    """The proposal for these accounts (`weights`: their revenue, to rank)."""
    weights = weights or {}
    not_clients, left = _counterparties(evidence)
    added: dict[str, object] = {}
    keys = _named_by_keys(left)
    if keys:
        added["client_keys"] = (*config.client_keys, *keys)
    prefixes = _named_by_tags(left)
    if prefixes:
        added["client_tags"] = _tags_pattern(config, prefixes)
    left = {a: e for a, e in left.items() if not _covered(e, keys, prefixes)}
    parent = _client_parent(left, weights)
    if parent is not None:
        added["client_accounts"] = _client_accounts(config, parent)
        left = {a: e for a, e in left.items() if not a.startswith(parent + ":")}
    shared = tuple(
        account
        for account in sorted(left, key=lambda a: (-weights.get(a, 0), a))
        if _is_shared(left[account])
    )
    if shared:
        added["payee_accounts"] = _alternatives(config.payee_accounts, shared, "$")
    receivables = _receivable_roots(receivable_like)
    if receivables:
        added["receivables"] = _alternatives(config.receivables, receivables, "(:|$)")
    declarations: tuple[tuple[str, str, str], ...] = ()
    if not added:
        declarations = _declarations(left)
    return LineAdvice(
        added,
        parent,
        shared,
        keys,
        prefixes,
        receivables,
        tuple(not_clients),
        declarations,
        _named_in_narrations(left),
    )


def _counterparties(
    evidence: Mapping[str, AccountEvidence],
) -> tuple[list[NotClient], dict[str, AccountEvidence]]:
    """Split off the accounts nobody pays: no payee (nor key, nor tag), gains."""
    not_clients: list[NotClient] = []
    left: dict[str, AccountEvidence] = {}
    for account in sorted(evidence):
        item = evidence[account]
        if item.at_cost_or_price:
            not_clients.append(NotClient(account, "gains"))
        elif (
            item.with_payee
            or _named_by_keys({account: item})
            or _tag_of(item)
            or _narrations_name(item)
        ):
            left[account] = item
        else:
            not_clients.append(NotClient(account, "no_payee"))
    return not_clients, left


def _half(count: int, total: int) -> bool:
    return total > 0 and count >= HALF * total


def _most(count: int, total: int) -> bool:
    return total > 0 and count >= MOST * total


def _key_of(item: AccountEvidence) -> str | None:
    """A key on half the postings or more, unless each of three or more
    postings has its own value (a document's number, not a client's name)."""
    for key, count, distinct in item.keys:
        if _half(count, item.postings) and (distinct < count or count < 3):
            return key
    return None


def _tag_of(item: AccountEvidence) -> str | None:
    for prefix, count in item.tags:
        if _half(count, item.postings):
            return prefix
    return None


def _named_by_keys(left: Mapping[str, AccountEvidence]) -> tuple[str, ...]:
    found = (_key_of(item) for item in left.values())
    return tuple(dict.fromkeys(key for key in found if key is not None))


def _named_by_tags(left: Mapping[str, AccountEvidence]) -> tuple[str, ...]:
    found = (_tag_of(item) for item in left.values())
    return tuple(dict.fromkeys(tag for tag in found if tag is not None))


def _covered(item: AccountEvidence, keys: Sequence[str], tags: Sequence[str]) -> bool:
    return _key_of(item) in keys or _tag_of(item) in tags


def _tags_pattern(config: Config, prefixes: Sequence[str]) -> str:
    names = "|".join(re.escape(prefix) for prefix in ("client", *prefixes))
    if config.client_tags != r"^client[-/](?P<client>.+)$":
        names = "|".join(re.escape(prefix) for prefix in prefixes)
        return f"(?:{config.client_tags})|^(?:{names})[-/](?P<other>.+)$"
    return f"^(?:{names})[-/](?P<client>.+)$"


def _one_payee(items: Sequence[AccountEvidence]) -> bool:
    """80 % of the postings carry one payee; the money came from an asset."""
    postings = sum(item.postings for item in items)
    payees: dict[str, int] = {}
    for item in items:
        for payee, count in item.payees:
            payees[payee] = payees.get(payee, 0) + count
    top = max(payees.values(), default=0)
    return _most(top, postings) and any(item.from_money for item in items)


def _client_parent(
    left: Mapping[str, AccountEvidence], weights: Mapping[str, Decimal]
) -> str | None:
    """The parent whose sub-accounts each have one payee: each is a client.

    Deeper parents first may have one sub-account; the income root needs two.
    Two or more sub-accounts beat one, then the most revenue, then the deepest.
    """
    groups: dict[str, dict[str, list[AccountEvidence]]] = {}
    for account, item in left.items():
        parts = account.split(":")
        for depth in range(1, len(parts)):
            parent = ":".join(parts[:depth])
            groups.setdefault(parent, {}).setdefault(parts[depth], []).append(item)
    ranked = []
    for parent, children in groups.items():
        fewest = 1 if ":" in parent else 2
        if len(children) < fewest:
            continue
        if all(_one_payee(items) for items in children.values()):
            revenue = sum(
                (
                    weights.get(i.account, Decimal(0))
                    for c in children.values()
                    for i in c
                ),
                Decimal(0),
            )
            ranked.append((len(children) >= 2, revenue, -parent.count(":"), parent))
    return max(ranked)[3] if ranked else None


# A `client_accounts` of one prefix, as the advice writes it.
_PREFIXED = re.compile(r"\^(?P<prefix>[^()|]+):\(\?P<client>\[\^:\]\+\)")


def _client_accounts(config: Config, parent: str) -> str:
    """The pattern that makes the sub-accounts of `parent` clients, with
    today's prefix kept when it is one; else it replaces today's."""
    new = re.escape(parent)
    current = config.client_accounts
    match = _PREFIXED.fullmatch(current)
    if current == defaults(config.roots)["client_accounts"] or match is None:
        return f"^{new}:(?P<client>[^:]+)"
    return f"^(?:{match['prefix']}|{new}):(?P<client>[^:]+)"


def _is_shared(item: AccountEvidence) -> bool:
    """Two payees or more, holding 80 % of the postings."""
    return len(item.payees) >= 2 and _most(item.with_payee, item.postings)


def _receivable_roots(receivable_like: Sequence[ReceivableLike]) -> tuple[str, ...]:
    """The accounts, siblings gathered under their parent (one per client:
    `Assets:Forderungen:Mueller`, `:Schmidt` give `Assets:Forderungen`)."""
    children: dict[str, list[str]] = {}
    for item in receivable_like:
        parent = item.account.rpartition(":")[0]
        children.setdefault(parent, []).append(item.account)
    found: list[str] = []
    for parent, accounts in sorted(children.items()):
        if ":" in parent and len(accounts) >= 2:
            found.append(parent)
        else:
            found.extend(accounts)
    return tuple(found)


def _alternatives(current: str | None, accounts: Sequence[str], end: str) -> str:
    names = "|".join(re.escape(account) for account in accounts)
    pattern = f"^({names}){end}" if len(accounts) > 1 else f"^{names}{end}"
    return pattern if current is None else f"{current}|{pattern}"


def _narrations_name(item: AccountEvidence) -> bool:
    """80 % of the postings name someone before ` | ` in their narration."""
    return _most(sum(count for _, count in item.narration_names), item.postings)


def _named_in_narrations(
    left: Mapping[str, AccountEvidence],
) -> tuple[tuple[str, str], ...]:
    names: dict[str, str] = {}
    for item in left.values():
        if item.with_payee == 0 and _narrations_name(item):
            for name, _ in item.narration_names:
                names.setdefault(client_id_of(name), name)
    return tuple(sorted(names.items()))


def name_regex(name: str) -> str:
    """A `payee:` regex that finds `Name | …` at the start of a narration,
    written without backslashes (a special character in a class of its own)."""
    special = ".^$*+?{}()|["
    body = "".join(f"[{char}]" if char in special else char for char in name)
    return f"^{body} [|]"


def client_id_of(name: str) -> str:
    """An id for a declaration: the name without spaces, colons or quotes."""
    return re.sub(r"[^\w-]+", "", name) or "Client"


def _declarations(
    left: Mapping[str, AccountEvidence],
) -> tuple[tuple[str, str, str], ...]:
    found = []
    for account, item in sorted(left.items()):
        if item.payees and _most(item.payees[0][1], item.postings):
            payee = item.payees[0][0]
            client_id = client_id_of(payee)
            found.append((client_id, payee, account))
    return tuple(found)
