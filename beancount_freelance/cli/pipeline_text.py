"""The text of `bean-clients pipeline`, and the report's short plan section.

Formats the report's typed `Plan` (pipeline, targets, ceilings) with the
sentences of `beancount_freelance.text.plan_sentences` (the Fava page says the
same), plus a table of the open proposals. Nothing is computed here.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from beancount_freelance.cli.text_report import LINE_WIDTH, NONE, table
from beancount_freelance.core.messages import N_
from beancount_freelance.core.money import amount
from beancount_freelance.i18n import _
from beancount_freelance.text.plan_sentences import (
    ceiling_sentences,
    pipeline_sentences,
    recurrence_text,
    target_sentences,
)
from beancount_freelance.text.sentences import percent_text

if TYPE_CHECKING:
    from collections.abc import Iterable

    from beancount_freelance.core.report import Report

_COLUMNS = (
    N_("Client"),
    N_("Sent"),
    N_("Amount"),
    N_("Recurrence"),
    N_("Chance"),
    N_("Weighted / month"),
)


def pipeline_text(report: Report) -> str:
    """The whole `pipeline` command: proposals, targets and ceilings."""
    plan = report.plan
    heading = _("Pipeline as of {as_of} ({currency})").format(
        as_of=report.as_of, currency=report.currency
    )
    lines = [heading, ""]
    rows = [
        [
            item.client,
            item.date.isoformat(),
            f"{amount(item.amount)} {item.currency}",
            recurrence_text(item.recurrence),
            percent_text(round(float(item.probability), 4)),
            NONE if item.weighted_monthly is None else amount(item.weighted_monthly),
        ]
        for item in plan.pipeline.open
    ]
    if rows:
        lines.extend(
            table(
                [[_(column) for column in _COLUMNS], *rows], (False,) * 2 + (True,) * 4
            )
        )
        lines.append("")
    lines.extend(_wrapped(pipeline_sentences(plan, report.currency), 0))
    lines.append("")
    lines.extend(plan_lines(report))
    return "\n".join(lines) + "\n"


def plan_lines(report: Report) -> list[str]:
    """Targets and ceilings, a sentence each (nothing when neither is set)."""
    lines = []
    targets = target_sentences(report.plan, report.currency)
    if targets:
        lines.append(_("Income targets:"))
        lines.extend(_wrapped(targets, 2))
    ceilings = ceiling_sentences(report.plan, report.currency, report.as_of)
    if ceilings:
        lines.append(_("Ceilings:"))
        lines.extend(_wrapped(ceilings, 2))
    return lines


def report_plan_text(report: Report) -> str:
    """The report's short section: the pipeline's two sentences, targets, ceilings."""
    lines = ["", _("Pipeline:")]
    lines.extend(_wrapped(pipeline_sentences(report.plan, report.currency), 2))
    lines.extend(plan_lines(report))
    return "\n".join(lines) + "\n"


def _wrapped(sentences: Iterable[str], indent: int) -> list[str]:
    """Each sentence wrapped to the line width, its next lines indented more."""
    return [
        textwrap.fill(
            sentence,
            LINE_WIDTH,
            initial_indent=" " * indent,
            subsequent_indent=" " * (indent + 2),
            break_on_hyphens=False,
        )
        for sentence in sentences
    ]
