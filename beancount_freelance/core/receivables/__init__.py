"""Receivables: invoice matching, open items, reminders, statements."""
