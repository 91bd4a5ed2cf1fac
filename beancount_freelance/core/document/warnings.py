"""Warnings as the document writes them: `file:line: message`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_, Message, message, verbatim

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.book import FreelanceError

__all__ = ["warning_text"]


def warning_text(warning: FreelanceError) -> str:
    """`file:line: message`, as bean-check prints an error."""
    source = warning.source or {}
    filename, lineno = source.get("filename"), source.get("lineno")
    if filename is None:
        return warning.message
    if isinstance(warning.message, Message):
        # English as ever, and translatable by a face (`i18n.translated`).
        return message(
            N_("{where}: {message}"),
            where=verbatim(f"{filename}:{lineno}"),
            message=warning.message,
        )
    return f"{filename}:{lineno}: {warning.message}"
