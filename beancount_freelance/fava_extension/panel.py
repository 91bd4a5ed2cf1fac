"""The replacement panel of the Clients page.

One `Replacement` of the report (docs/metrics.md) becomes a `PanelEntry`:
the heading and sentences of `beancount_freelance.text.sentences`, the very words
`bean-clients` prints, with amounts formatted as Fava formats them. The template
escapes each sentence into a paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.text.sentences import (
    percent_text,
    replacement_heading,
    replacement_sentences,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_freelance.core.revenue.replacement import Replacement


@dataclass(frozen=True)
class PanelEntry:
    """One client's replacement, worded: a heading and its sentences."""

    client: str
    name: str
    heading: str
    sentences: tuple[str, ...]
    what_if: bool = False


def percent(share: float | None) -> str:
    """A share in [0, 1] as a whole percentage ("18 %"), or "—" when unknown."""
    return percent_text(share, none="—")


def describe(
    replacement: Replacement,
    name: str,
    money: Callable[[Decimal], str],
) -> PanelEntry:
    """Word one replacement as the CLI does; `money` formats an amount as Fava."""
    sentences = replacement_sentences(replacement, "", name=name, money=money)
    return PanelEntry(
        client=replacement.client,
        name=name,
        heading=replacement_heading(replacement, name=name),
        sentences=tuple(sentences),
        what_if=replacement.reason == "what-if",
    )
