"""The concentration flags in words, for every face (docs/metrics.md).

The document's `flags` carry English labels (the JSON is English); the CLI and
the page say each label, and what its threshold means, in the reader's language.
"""

from __future__ import annotations

from beancount_freelance.core.messages import N_
from beancount_freelance.core.revenue.concentration import THRESHOLDS
from beancount_freelance.i18n import _

__all__ = ["THRESHOLDS", "flag_label", "flag_meaning"]

#: Each label of the document, and what it means for her.
FLAG_WORDS: dict[str, tuple[str, str]] = {
    "major client": (
        N_("major client"),
        N_("A client bringing a tenth of your income or more."),
    ),
    "high dependency": (
        N_("high dependency"),
        N_("A quarter of your income or more: losing it hurts."),
    ),
    "economic dependency": (
        N_("economic dependency"),
        N_(
            "Three quarters or more: in Spain, the threshold of the economically "
            "dependent self-employed (TRADE)."
        ),
    ),
    "one main client": (
        N_("one main client"),
        N_(
            "Five sixths or more: in Germany, the rule that makes a self-employed "
            "person with one main client pay into the pension fund."
        ),
    ),
}


def flag_label(label: str) -> str:
    """A flag's label in the language in use (an unknown one as it is)."""
    words = FLAG_WORDS.get(label)
    return _(words[0]) if words else label


def flag_meaning(label: str) -> str:
    """What reaching the flag's threshold means, in the language in use."""
    words = FLAG_WORDS.get(label)
    return _(words[1]) if words else ""
