"""A reminder in words, and as an e-mail draft: once, for every face.

`bean-clients reminders` and the Fava Clients page word a `Reminder` of the core
with `letter` (in the language in use: the caller picks the client's with
`letter_catalogue`), and make its `.eml` draft with `draft`. Nothing is computed
here, nothing is sent: the amounts are the core's, formatted; the draft is a file
a mail program opens (docs/receivables.md).
"""

from __future__ import annotations

import datetime
import re
import textwrap
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import TYPE_CHECKING

from beancount_freelance import i18n
from beancount_freelance.core.money import amount
from beancount_freelance.i18n import _, ngettext

if TYPE_CHECKING:
    import gettext
    from collections.abc import Iterable, Mapping, Sequence
    from decimal import Decimal

    from beancount_freelance.core.ledger.config import ReminderSettings
    from beancount_freelance.core.receivables.reminders import (
        OverdueInvoice,
        Reminder,
    )

__all__ = [
    "Letter",
    "draft",
    "draft_file_names",
    "letter",
    "letter_catalogue",
    "sender_name",
]

WIDTH = 72
#: Days a formal notice gives before further steps.
NOTICE_DAYS = 8
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_THOUSANDS_FR = "\u202f"  # a narrow no-break space, as French groups digits


@dataclass(frozen=True)
class Letter:
    """A reminder's subject and text, in one language."""

    subject: str
    body: str


def letter_catalogue(
    reminder: Reminder, languages: Sequence[str]
) -> gettext.NullTranslations:
    """The client's language (its declaration's `lang:`), else the reader's."""
    return i18n.translations([reminder.lang] if reminder.lang else languages)


def _french() -> bool:
    return str(i18n.active().info().get("language", "")).startswith("fr")


def money(value: Decimal, currency: str) -> str:
    """`1,234.50 EUR`; in French `1 234,50 EUR`."""
    text = amount(value)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _dot, cents = digits.partition(".")
    grouped = f"{int(whole):,}"
    if _french():
        grouped = grouped.replace(",", _THOUSANDS_FR)
        return f"{sign}{grouped},{cents} {currency}"
    return f"{sign}{grouped}.{cents} {currency}"


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y") if _french() else value.isoformat()


def letter(
    reminder: Reminder, as_of: datetime.date, settings: ReminderSettings
) -> Letter:
    """The reminder in the language in use, its tone the reminder's."""
    count = len(reminder.invoices)
    subjects = {
        "first": ngettext(
            "Payment reminder: {count} overdue invoice",
            "Payment reminder: {count} overdue invoices",
            count,
        ),
        "second": ngettext(
            "Second reminder: {count} overdue invoice",
            "Second reminder: {count} overdue invoices",
            count,
        ),
        "formal": ngettext(
            "Formal notice: {count} overdue invoice",
            "Formal notice: {count} overdue invoices",
            count,
        ),
    }
    paragraphs = [
        _("Dear {name},").format(name=reminder.name),
        _opening(reminder, as_of),
        "\n".join(_invoice_line(item) for item in reminder.invoices),
        "\n".join(_total_lines(reminder)),
        _closing(reminder),
    ]
    if settings.legal == "fr":
        paragraphs.append(_legal_fr())
    paragraphs.append(_signature(settings.sender))
    body = "\n\n".join(_wrapped(paragraph) for paragraph in paragraphs if paragraph)
    return Letter(subjects[reminder.tone].format(count=count), body + "\n")


def _opening(reminder: Reminder, as_of: datetime.date) -> str:
    count, date = len(reminder.invoices), _date(as_of)
    if reminder.tone == "first":
        said = ngettext(
            "Unless it crossed this message, the following invoice is still "
            "unpaid on {date}:",
            "Unless they crossed this message, the following invoices are still "
            "unpaid on {date}:",
            count,
        )
    elif reminder.tone == "second":
        said = ngettext(
            "We already reminded you of the following invoice, which is still "
            "unpaid on {date}:",
            "We already reminded you of the following invoices, which are still "
            "unpaid on {date}:",
            count,
        )
    else:
        said = ngettext(
            "Despite our reminders, the following invoice is still unpaid on "
            "{date}. We hereby formally ask you to pay the amount due within "
            "{days} days:",
            "Despite our reminders, the following invoices are still unpaid on "
            "{date}. We hereby formally ask you to pay the amount due within "
            "{days} days:",
            count,
        )
    return said.format(date=date, days=NOTICE_DAYS)


def _invoice_line(invoice: OverdueInvoice) -> str:
    values = {
        "number": invoice.number,
        "date": _date(invoice.date),
        "due": _date(invoice.due),
        "amount": money(invoice.due_amount, invoice.currency),
        "days": invoice.days_late,
    }
    if invoice.number is None:
        said = ngettext(
            "- invoice of {date}, due {due}: {amount} still due ({days} day late)",
            "- invoice of {date}, due {due}: {amount} still due ({days} days late)",
            invoice.days_late,
        )
    else:
        said = ngettext(
            "- invoice {number} of {date}, due {due}: {amount} still due ({days} "
            "day late)",
            "- invoice {number} of {date}, due {due}: {amount} still due ({days} "
            "days late)",
            invoice.days_late,
        )
    return said.format(**values)


def _total_lines(reminder: Reminder) -> Iterable[str]:
    yield _("Total due: {amounts}").format(amounts=_amounts(reminder.totals))
    if reminder.not_yet_due:
        yield _("Not yet due, for your information: {amounts}").format(
            amounts=_amounts(reminder.not_yet_due)
        )


def _amounts(totals: Iterable[tuple[str, Decimal]]) -> str:
    return _(", ").join(money(value, currency) for currency, value in totals)


def _closing(reminder: Reminder) -> str:
    if reminder.tone == "first":
        return _(
            "Could you please arrange the payment? If it is already on its way, "
            "please ignore this message."
        )
    if reminder.tone == "second":
        return _(
            "Please pay it in the coming days, or tell us if something about "
            "these invoices holds the payment up."
        )
    return _(
        "Without payment by then, we will have to take the steps the law "
        "provides to recover it."
    )


def _legal_fr() -> str:
    """The mentions of a French business reminder: the rule, no figure computed."""
    return _(
        "Under article L441-10 of the French Code de commerce, any late payment "
        "bears interest from the day after the due date, at the rate set in our "
        "contract or, failing that, at the European Central Bank's refinancing "
        "rate plus 10 percentage points; and under article D441-5, a fixed "
        "indemnity of 40 € per invoice is due for the costs of recovery."
    )


def sender_name(sender: str | None) -> str | None:
    """The name in `"Name <address>"`, or the sender as written."""
    if not sender:
        return None
    name, address = parseaddr(sender)
    return name or (None if address == sender and "@" in sender else sender)


def _signature(sender: str | None) -> str:
    name = sender_name(sender)
    regards = _("Kind regards,")
    return f"{regards}\n{name}" if name else regards


def _wrapped(paragraph: str) -> str:
    return "\n".join(
        textwrap.fill(line, WIDTH, subsequent_indent="  " if line[:2] == "- " else "")
        for line in paragraph.split("\n")
    )


def draft(
    reminder: Reminder,
    worded: Letter,
    as_of: datetime.date,
    sender: str | None,
) -> EmailMessage:
    """The reminder as an unsent e-mail: `To:` the client's `email:` when known,
    `From:` the sender when set, dated `as_of` at midnight UTC."""
    message = EmailMessage()
    if sender:
        message["From"] = sender
    recipient = _recipient(reminder)
    if recipient is not None:
        message["To"] = recipient
    message["Subject"] = worded.subject
    message["Date"] = format_datetime(
        datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.timezone.utc)
    )
    message["X-Unsent"] = "1"
    message.set_content(worded.body)
    return message


def _recipient(reminder: Reminder) -> Address | None:
    """The client's name and `email:`; None without one that e-mail can carry
    (the draft is then addressed by hand)."""
    if not reminder.email:
        return None
    try:
        return Address(display_name=reminder.name, addr_spec=reminder.email)
    except (ValueError, IndexError, HeaderParseError):
        return None


def draft_file_names(clients: Iterable[str]) -> Mapping[str, str]:
    """`<client>.eml` per client: `[A-Za-z0-9._-]` kept, others `_`; a name
    taken already (case aside: some disks ignore it) gets `-2`, `-3`…"""
    taken: set[str] = set()
    found: dict[str, str] = {}
    for client in clients:
        stem = _UNSAFE.sub("_", client) or "_"
        name, number = f"{stem}.eml", 1
        while name.lower() in taken:
            number += 1
            name = f"{stem}-{number}.eml"
        taken.add(name.lower())
        found[client] = name
    return found
