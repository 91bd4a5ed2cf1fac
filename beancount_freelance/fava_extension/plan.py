"""The plan section of the Clients page: pipeline, income targets, ceilings.

Next to the replacement panel, the page says whether the open proposals cover
what the lost clients left, how far the year's income targets are, and how near
the turnover ceilings: the sentences of `beancount_freelance.text.plan_sentences`
(the very words `bean-clients pipeline` prints), amounts formatted as Fava
formats them, from the report's typed `Plan`. Nothing is computed here; the
template escapes each sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.core.money import amount, cents
from beancount_freelance.text.plan_sentences import (
    ceiling_sentences,
    pipeline_sentences,
    recurrence_text,
    target_sentences,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_freelance.core.report import Report


@dataclass(frozen=True)
class OpenProposalRow:
    """One open proposal in the page's table."""

    client: str
    name: str
    date: str
    amount: str
    recurrence: str
    probability: float
    weighted_monthly: str


@dataclass(frozen=True)
class PlanSection:
    """What the page says about the pipeline, the targets and the ceilings."""

    pipeline: tuple[str, ...]
    proposals: tuple[OpenProposalRow, ...] = ()
    targets: tuple[str, ...] = ()
    ceilings: tuple[str, ...] = ()


def plan_section(report: Report, money: Callable[[Decimal], str]) -> PlanSection:
    """The section of one report, its clients by name."""
    plan, currency, names = report.plan, report.currency, report.names
    rows = tuple(
        OpenProposalRow(
            client=item.client,
            name=names.get(item.client, item.client),
            date=item.date.isoformat(),
            amount=f"{amount(item.amount)} {item.currency}",
            recurrence=recurrence_text(item.recurrence),
            probability=round(float(item.probability), 4),
            weighted_monthly=(
                money(cents(item.weighted_monthly))
                if item.weighted_monthly is not None
                else "—"
            ),
        )
        for item in plan.pipeline.open
    )
    return PlanSection(
        pipeline=tuple(pipeline_sentences(plan, currency, money)),
        proposals=rows,
        targets=tuple(target_sentences(plan, currency, money)),
        ceilings=tuple(ceiling_sentences(plan, currency, report.as_of, money)),
    )
