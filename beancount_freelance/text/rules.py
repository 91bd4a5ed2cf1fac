"""The rules of attribution in words, for every face (docs/ledger.md).

`bean-clients setup`, `bean-clients explain` and the client view of the page
say by which rule a client's revenue was found, in the reader's language.
"""

from __future__ import annotations

from beancount_freelance.core.messages import N_
from beancount_freelance.i18n import _

__all__ = ["RULE_WORDS", "found_by_text", "rule_word"]

#: Each rule of `core.ledger.book.Rule`, as the faces say it.
RULE_WORDS: dict[str, str] = {
    "posting": N_("posting metadata"),
    "transaction": N_("transaction metadata"),
    "tag": N_("tag"),
    "account": N_("account"),
    "payee": N_("payee"),
    "narration": N_("narration"),
    "payee_account": N_("payee on a shared account"),
    "receivable": N_("receivable"),
    "deposit": N_("deposit"),
}


def rule_word(rule: str) -> str:
    """A rule of attribution in the reader's language."""
    word = RULE_WORDS.get(rule)
    return _(word) if word is not None else rule


def found_by_text(rules: tuple[tuple[str, int], ...]) -> str:
    """`account (12), payee (3)`: the rules and their postings."""
    return ", ".join(f"{rule_word(rule)} ({count})" for rule, count in rules)
