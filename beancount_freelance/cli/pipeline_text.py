"""The text of `bean-clients pipeline`, and the report's short plan section.

Formats the document's `open_gap`, `pipeline`, `targets` and `ceilings` with the
sentences of `beancount_freelance.text.plan_sentences` (the Fava page says the
same), plus a table of the open proposals. Nothing is computed here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from beancount_freelance.cli.text_report import LINE_WIDTH, NONE, table
from beancount_freelance.core.messages import N_
from beancount_freelance.i18n import _
from beancount_freelance.text.plan_sentences import (
    ceiling_sentences,
    pipeline_sentences,
    recurrence_text,
    target_sentences,
)
from beancount_freelance.text.sentences import percent_text

Document = Mapping[str, Any]

_COLUMNS = (
    N_("Client"),
    N_("Sent"),
    N_("Amount"),
    N_("Recurrence"),
    N_("Chance"),
    N_("Weighted / month"),
)


def pipeline_text(document: Document) -> str:
    """The whole `pipeline` command: proposals, targets and ceilings."""
    found = document.get("pipeline") or {}
    heading = _("Pipeline as of {as_of} ({currency})").format(
        as_of=document["as_of"], currency=document["currency"]
    )
    lines = [heading, ""]
    rows = [
        [
            item["client"],
            item["date"],
            f"{item['amount']} {item['currency']}",
            recurrence_text(item["recurrence"]),
            percent_text(item["probability"]),
            item["weighted_monthly"] or NONE,
        ]
        for item in found.get("open") or ()
    ]
    if rows:
        lines.extend(
            table(
                [[_(column) for column in _COLUMNS], *rows], (False,) * 2 + (True,) * 4
            )
        )
        lines.append("")
    lines.extend(_wrapped(pipeline_sentences(document), 0))
    lines.append("")
    lines.extend(plan_lines(document))
    return "\n".join(lines) + "\n"


def plan_lines(document: Document) -> list[str]:
    """Targets and ceilings, a sentence each (nothing when neither is set)."""
    lines = []
    targets = target_sentences(document)
    if targets:
        lines.append(_("Income targets:"))
        lines.extend(_wrapped(targets, 2))
    ceilings = ceiling_sentences(document)
    if ceilings:
        lines.append(_("Ceilings:"))
        lines.extend(_wrapped(ceilings, 2))
    return lines


def report_plan_text(document: Document) -> str:
    """The report's short section: the pipeline's two sentences, targets, ceilings."""
    lines = ["", _("Pipeline:")]
    lines.extend(_wrapped(pipeline_sentences(document), 2))
    lines.extend(plan_lines(document))
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
