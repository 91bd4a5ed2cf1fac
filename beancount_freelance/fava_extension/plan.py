"""The plan section of the Clients page: pipeline, income targets, ceilings.

Next to the replacement panel, the page says whether the open proposals cover
what the lost clients left, how far the year's income targets are, and how near
the turnover ceilings: the sentences of `beancount_freelance.text.plan_sentences`
(the very words `bean-clients pipeline` prints), amounts formatted as Fava
formats them. Nothing is computed here; the template escapes each sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.text.plan_sentences import (
    ceiling_sentences,
    pipeline_sentences,
    recurrence_text,
    target_sentences,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


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


def plan_section(
    document: Mapping[str, Any],
    money: Callable[[Decimal], str],
    names: Mapping[str, str],
) -> PlanSection:
    """The section for one document; `names`: client id -> name to show."""
    found = document.get("pipeline") or {}
    rows = tuple(
        OpenProposalRow(
            client=str(item["client"]),
            name=names.get(item["client"], item["client"]),
            date=str(item["date"]),
            amount=f"{item['amount']} {item['currency']}",
            recurrence=recurrence_text(str(item["recurrence"])),
            probability=float(item["probability"]),
            weighted_monthly=(
                money(Decimal(str(item["weighted_monthly"])))
                if item.get("weighted_monthly") is not None
                else "—"
            ),
        )
        for item in found.get("open") or ()
    )
    return PlanSection(
        pipeline=tuple(pipeline_sentences(document, money)),
        proposals=rows,
        targets=tuple(target_sentences(document, money)),
        ceilings=tuple(ceiling_sentences(document, money)),
    )
