"""`bean-clients reminders` and `bean-clients statement`: their text and files.

The reminders are worded by `text.reminders` (each in its client's language)
and printed, or written as `.eml` drafts into a folder; the statement of account
is laid out as a table per currency. Nothing is computed here, nothing is sent.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from beancount_freelance import i18n
from beancount_freelance.cli.ledger import (
    CliError,
    closest_hint,
    ledger_report,
)
from beancount_freelance.cli.text_report import table
from beancount_freelance.core.document.reminders import (
    reminders_document,
    statements_document,
)
from beancount_freelance.core.messages import N_, short, warning_text
from beancount_freelance.core.receivables.statements import statements_of
from beancount_freelance.i18n import _, ngettext
from beancount_freelance.text.reminders import (
    draft,
    draft_file_names,
    letter,
    letter_catalogue,
    money,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.receivables.reminders import Reminders
    from beancount_freelance.core.receivables.statements import (
        Statement,
        Statements,
    )

#: A statement line's `kind` as its table says it.
KIND_TEXT = {
    "invoice": N_("invoice"),
    "payment": N_("payment"),
    "credit_note": N_("credit note"),
    "write_off": N_("write-off"),
    "other": N_("other"),
}
RULE = "-" * 72


def find_reminders(
    ledger_path: str, as_of: datetime.date | None, min_days: int
) -> Reminders:
    """The reminders due at `as_of` (default: the ledger's last transaction)."""
    report = ledger_report(ledger_path, currency=None, as_of=as_of)
    return report.reminders(min_days)


def reminders_text(found: Reminders, languages: Sequence[str]) -> str:
    """Every reminder, each in its client's language, one after the other."""
    if not found.reminders:
        return (
            ngettext(
                "No client has an invoice overdue by {days} day or more on {date}.",
                "No client has an invoice overdue by {days} days or more on {date}.",
                found.min_days,
            ).format(days=found.min_days, date=found.as_of)
            + "\n"
        )
    parts = []
    for reminder in found.reminders:
        with i18n.using(letter_catalogue(reminder, languages)):
            worded = letter(reminder, found.as_of, found.settings)
            if reminder.email:
                to = _("To: {name} <{email}>").format(
                    name=reminder.name, email=reminder.email
                )
            else:
                to = _("To: {name} (no address: add `email:` to its declaration)")
                to = to.format(name=reminder.name)
            head = [
                to,
                _("Subject: {subject}").format(subject=worded.subject),
            ]
        parts.append("\n".join([RULE, *head, "", worded.body]))
    return "\n".join(parts)


def out_folder(out: str | None) -> Path:
    """The folder the drafts go to: given, and a folder if it exists."""
    if out is None:
        raise CliError(_("--format eml writes files: give the folder with --out DIR."))
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise CliError(
            _("--out {path!r} exists and is not a folder; give a folder.").format(
                path=short(out)
            )
        )
    return folder


def write_drafts(found: Reminders, folder: Path, languages: Sequence[str]) -> None:
    """One `<client>.eml` per reminder in `folder`, created when missing; says
    which files it wrote."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(
            _("Cannot create the folder {path!r}: {error}.").format(
                path=short(str(folder)), error=exc.strerror or exc.__class__.__name__
            )
        ) from None
    names = draft_file_names(reminder.client for reminder in found.reminders)
    sender = found.settings.sender
    for reminder in found.reminders:
        with i18n.using(letter_catalogue(reminder, languages)):
            worded = letter(reminder, found.as_of, found.settings)
        path = folder / names[reminder.client]
        try:
            path.write_bytes(draft(reminder, worded, found.as_of, sender).as_bytes())
        except OSError as exc:
            raise CliError(
                _("Cannot write {path!r}: {error}.").format(
                    path=short(str(path)),
                    error=exc.strerror or exc.__class__.__name__,
                )
            ) from None
        click.echo(str(path))
    if not found.reminders:
        click.echo(reminders_text(found, languages), nl=False)


def print_warnings(warnings: Iterable[FreelanceError]) -> None:
    for warning in warnings:
        click.echo(i18n.translated(warning_text(warning)), err=True)


# --- The statement -------------------------------------------------------------


def find_statements(
    ledger_path: str,
    client: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> tuple[Statements, str, str]:
    """The client's statements, its name and the reporting currency; CliError
    for an unknown client or one with nothing on a receivable."""
    if start is not None and end is not None and start > end:
        raise CliError(
            _("--from {start} is after --to {end}; swap them.").format(
                start=start, end=end
            )
        )
    report = ledger_report(ledger_path, currency=None, as_of=end)
    book = report.book
    if client not in book.clients:
        raise CliError(
            _("Unknown client {client!r}; {hint}").format(
                client=short(client), hint=closest_hint(client, list(book.clients))
            )
        )
    found = statements_of(report.question.scan, report.receivables, client, start)
    if not found.statements:
        raise CliError(
            _(
                "Client {client!r} has no invoice nor payment on a receivable "
                "account up to {date}: there is no statement to make."
            ).format(client=short(client), date=found.end)
        )
    return found, book.clients[client].name, report.question.currency


def statements_text(found: Statements, name: str) -> str:
    return "\n".join(_statement_text(item, name) for item in found.statements)


def _statement_text(statement: Statement, name: str) -> str:
    values = {"name": name, "currency": statement.currency, "end": statement.end}
    if statement.start is None:
        heading = _("Statement of account: {name}, {currency}, up to {end}")
    else:
        heading = _("Statement of account: {name}, {currency}, from {start} to {end}")
        values["start"] = statement.start
    heading = heading.format(**values)
    currency = statement.currency
    rows = [[_("Date"), _("Kind"), _("Reference"), _("Amount"), _("Balance")]]
    rows.append(["", _("Opening balance"), "", "", money(statement.opening, currency)])
    for line in statement.lines:
        rows.append(
            [
                line.date.isoformat(),
                _(KIND_TEXT[line.kind]),
                line.reference,
                money(line.amount, currency),
                money(line.balance, currency),
            ]
        )
    rows.append(["", _("Closing balance"), "", "", money(statement.closing, currency)])
    lines = [heading, "", *table(rows, [False, False, False, True, True])]
    if statement.settled_unnamed:
        lines += [
            "",
            _(
                "{amount} of these invoices was settled by payments to a shared "
                "receivable that name no client; add `client:` to them to list "
                "them here."
            ).format(amount=money(statement.settled_unnamed, currency)),
        ]
    return "\n".join(lines) + "\n"


def languages_of(lang: str | None) -> list[str]:
    """`--lang` after the subcommand, else before it, else the locale's."""
    context = click.get_current_context(silent=True)
    given = lang or (context.find_root().params.get("lang") if context else None)
    if isinstance(given, str) and given:
        return [given]
    return i18n.environment_languages(os.environ)


# --- The commands ---------------------------------------------------------------


def run_reminders(
    ledger: str,
    as_of: datetime.date | None,
    min_days: int,
    lang: str | None,
    form: str,
    out: str | None,
    print_json: Callable[[Any], None],
) -> None:
    """`bean-clients reminders`: the options checked before the ledger is read."""
    folder = out_folder(out) if form == "eml" else None
    if form != "eml" and out is not None:
        raise CliError(_("--out is where --format eml writes; add --format eml."))
    languages = languages_of(lang)
    with i18n.using(i18n.translations(languages)):
        found = find_reminders(ledger, as_of, min_days)
        if form == "json":
            print_json(reminders_document(found))
        elif folder is not None:
            write_drafts(found, folder, languages)
        else:
            click.echo(reminders_text(found, languages), nl=False)
        if form != "json":
            print_warnings(found.warnings)


def run_statement(
    ledger: str,
    client: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_json: bool,
    print_json: Callable[[Any], None],
) -> None:
    """`bean-clients statement`."""
    found, name, currency = find_statements(ledger, client, start, end)
    if as_json:
        print_json(statements_document(found, currency))
    else:
        click.echo(statements_text(found, name), nl=False)
