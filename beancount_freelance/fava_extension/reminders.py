"""The page's reminders and statement of account, from the cached analysis.

"Who pays late" lists a reminder per client (`page_reminders`); the page fetches
one's words when it is opened (`reminder_answer`, the `reminder` endpoint) and
downloads its `.eml` draft (`reminder_draft`, the `reminder_eml` endpoint): both
GET, both write nothing. A client's view shows its statement for the period
(`client_statement`). The words are `text.reminders`', as the CLI's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.i18n import using
from beancount_freelance.text.reminders import (
    draft,
    draft_file_names,
    letter,
    letter_catalogue,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from email.message import EmailMessage

    from beancount_freelance.core.receivables.reminders import Reminder, Reminders

__all__ = [
    "reminder_answer",
    "reminder_draft",
]


def _find(found: Reminders, client: str) -> Reminder | None:
    return next((item for item in found.reminders if item.client == client), None)


def reminder_answer(
    found: Reminders, client: str, languages: Sequence[str]
) -> dict[str, Any] | None:
    """What the `reminder` endpoint answers: the reminder's words, None without one."""
    reminder = _find(found, client)
    if reminder is None:
        return None
    with using(letter_catalogue(reminder, languages)):
        worded = letter(reminder, found.as_of, found.settings)
    return {
        "client": reminder.client,
        "to": reminder.email,
        "tone": reminder.tone,
        "subject": worded.subject,
        "body": worded.body,
        "file": draft_file_names([reminder.client])[reminder.client],
    }


def reminder_draft(
    found: Reminders, client: str, languages: Sequence[str]
) -> tuple[str, EmailMessage] | None:
    """The reminder's `.eml` draft and its file name; None without a reminder."""
    reminder = _find(found, client)
    if reminder is None:
        return None
    with using(letter_catalogue(reminder, languages)):
        worded = letter(reminder, found.as_of, found.settings)
    made = draft(reminder, worded, found.as_of, found.settings.sender)
    return draft_file_names([reminder.client])[reminder.client], made
