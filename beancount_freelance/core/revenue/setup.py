"""`bean-clients setup`: the evidence, the line it supports, what the line gives.

A dry run, nothing written: the ledger is analysed as it is configured, the
evidence of its income without a client is gathered (`core.ledger.evidence`,
with the asset accounts that behave like receivables), the advice made
(`core.ledger.advice_line`), and the ledger analysed again with the proposed
line, so that the user sees the clients and the revenue it gives before she
pastes it. Pure: the entries in, typed values out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data
from beancount.parser.grammar import ValueType

from beancount_freelance.core.ledger.advice_line import LineAdvice, advise, name_regex
from beancount_freelance.core.ledger.config import parse_config
from beancount_freelance.core.ledger.evidence import (
    AccountEvidence,
    ReceivableLike,
    account_evidence,
)
from beancount_freelance.core.ledger.plugin_line import config_text, plugin_line
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.advice import (
    advice_sentence,
    unattributed_postings,
)
from beancount_freelance.core.revenue.streams import analyse

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_freelance.core.ledger.book import Rule
    from beancount_freelance.core.revenue.lines import RevenueLine
    from beancount_freelance.core.revenue.portfolio import Portfolio

__all__ = ["ClientRow", "Setup", "rules_by_client", "setup"]


@dataclass(frozen=True)
class ClientRow:
    """A client, its revenue, and by which rules it was found (postings each)."""

    id: str
    revenue_total: Decimal
    rules: tuple[tuple[Rule, int], ...]


@dataclass(frozen=True)
class Setup:
    """What `bean-clients setup` shows."""

    currency: str
    evidence: tuple[AccountEvidence, ...]  # largest unattributed revenue first
    revenue: Mapping[str, Decimal]  # the unattributed revenue of each account
    receivable_like: tuple[ReceivableLike, ...]
    advice: LineAdvice
    sentence: str  # the advice in words, with the line
    line: str | None  # the proposed plugin line; None when nothing is proposed
    before: tuple[ClientRow, ...]
    unattributed_before: Decimal
    after: tuple[ClientRow, ...]  # with the proposed line (= before without one)
    unattributed_after: Decimal


def setup(
    entries: Sequence[data.Directive], options_map: Mapping[str, object]
) -> Setup:
    """The evidence and the proposal; the ledger as written (before the plugin
    wrote `client:`), so that a rule's result is not read as metadata."""
    question = ask(entries, options_map)
    config = question.config
    portfolio = analyse(question)
    accounts = portfolio.unattributed_accounts
    revenue = {item.account: item.revenue_total for item in accounts}
    found = account_evidence(unattributed_postings(portfolio.lines), config)
    evidence = tuple(found[item.account] for item in accounts if item.account in found)
    receivables = question.scan.receivable_like()
    advice = advise(found, config, revenue, receivables)
    after = portfolio
    line = None
    if advice.added or advice.named:
        proposed = config
        if advice.added:
            line = plugin_line(config, advice.added)
            proposed = parse_config(
                config_text(config, advice.added), config.roots, config.closing_roots
            )
        declared = [*declarations(advice, entries), *entries]
        after = analyse(
            ask(declared, options_map, config=proposed, currency=question.currency)
        )
    return Setup(
        currency=question.currency,
        evidence=evidence,
        revenue=revenue,
        receivable_like=receivables,
        advice=advice,
        sentence=advice_sentence(advice, config) if accounts or line else "",
        line=line,
        before=client_rows(portfolio),
        unattributed_before=portfolio.totals.unattributed_total,
        after=client_rows(after),
        unattributed_after=after.totals.unattributed_total,
    )


def declarations(
    advice: LineAdvice, entries: Sequence[data.Directive]
) -> list[data.Custom]:
    """The `custom "client"` directives the advice proposes, as if written on
    the ledger's first day (the date limits nothing)."""
    first = min((entry.date for entry in entries), default=None)
    if first is None:
        return []
    return [
        data.Custom(
            data.new_metadata("<setup>", 0, {"payee": name_regex(name)}),
            first,
            "client",
            [ValueType(client, str), ValueType(name, str)],
        )
        for client, name in advice.named
    ]


def client_rows(portfolio: Portfolio) -> tuple[ClientRow, ...]:
    """Each client with revenue, and the rules that found its revenue."""
    rules = rules_by_client(portfolio.lines)
    return tuple(
        ClientRow(stream.id, stream.revenue_total, rules.get(stream.id, ()))
        for stream in portfolio.clients
        if stream.revenue_total != ZERO or stream.id in rules
    )


def rules_by_client(
    lines: Iterable[RevenueLine],
) -> dict[str, tuple[tuple[Rule, int], ...]]:
    """Per client, the rules that found its revenue lines, most lines first."""
    counted: dict[str, dict[Rule, int]] = {}
    for line in lines:
        if line.client is not None and line.rule is not None:
            counts = counted.setdefault(line.client, {})
            counts[line.rule] = counts.get(line.rule, 0) + 1
    return {
        client: tuple(sorted(counts.items(), key=lambda item: -item[1]))
        for client, counts in counted.items()
    }
