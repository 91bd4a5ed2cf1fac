"""The reminders and the statements of account as the document writes them.

`reminders: [{"client", "name", "email", "tone", "invoices": [{"number", "date",
"due", "currency", "due_amount", "days_late"}], "totals": {currency: amount}}]`
and `statement: {"client", "from", "to", "currency", "opening", "lines":
[{"date", "kind", "reference", "amount", "balance"}], "closing"}`, one statement
per currency (docs/receivables.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.core.document.values import date_or_none
from beancount_freelance.core.messages import warning_text
from beancount_freelance.core.money import amount

if TYPE_CHECKING:
    from beancount_freelance.core.receivables.reminders import (
        OverdueInvoice,
        Reminder,
        Reminders,
        Totals,
    )
    from beancount_freelance.core.receivables.statements import (
        Statement,
        Statements,
    )

__all__ = [
    "reminder_document",
    "reminders_document",
    "statement_document",
    "statements_document",
]


def reminders_document(found: Reminders) -> dict[str, Any]:
    """What `bean-clients reminders --format json` prints."""
    return {
        "as_of": found.as_of.isoformat(),
        "min_days": found.min_days,
        "sender": found.settings.sender,
        "legal": found.settings.legal,
        "reminders": [reminder_document(item) for item in found.reminders],
        "warnings": [warning_text(warning) for warning in found.warnings],
    }


def reminder_document(reminder: Reminder) -> dict[str, Any]:
    return {
        "client": reminder.client,
        "name": reminder.name,
        "email": reminder.email,
        "tone": reminder.tone,
        "invoices": [_invoice(invoice) for invoice in reminder.invoices],
        "totals": _totals(reminder.totals),
        "lang": reminder.lang,
        "days_late": reminder.days_late,
        "not_yet_due": _totals(reminder.not_yet_due),
    }


def _invoice(invoice: OverdueInvoice) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "date": invoice.date.isoformat(),
        "due": invoice.due.isoformat(),
        "currency": invoice.currency,
        "due_amount": amount(invoice.due_amount),
        "days_late": invoice.days_late,
    }


def _totals(totals: Totals) -> dict[str, str]:
    return {currency: amount(value) for currency, value in totals}


def statements_document(found: Statements, currency: str) -> dict[str, Any]:
    """What `bean-clients statement --json` prints: `statement`, the one in
    `currency` (the reporting currency; else the first), and `statements`, one
    per currency."""
    every = [statement_document(item) for item in found.statements]
    primary = next((item for item in every if item["currency"] == currency), None)
    if primary is None and every:
        primary = every[0]
    return {
        "client": found.client,
        "from": date_or_none(found.start),
        "to": found.end.isoformat(),
        "statement": primary,
        "statements": every,
    }


def statement_document(statement: Statement) -> dict[str, Any]:
    return {
        "client": statement.client,
        "from": date_or_none(statement.start),
        "to": statement.end.isoformat(),
        "currency": statement.currency,
        "opening": amount(statement.opening),
        "lines": [
            {
                "date": line.date.isoformat(),
                "kind": line.kind,
                "reference": line.reference,
                "amount": amount(line.amount),
                "balance": amount(line.balance),
                "account": line.account,
            }
            for line in statement.lines
        ],
        "closing": amount(statement.closing),
        "settled_unnamed": amount(statement.settled_unnamed),
    }
