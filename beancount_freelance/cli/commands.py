"""`bean-clients`: the freelancer's clients, from the command line.

    bean-clients report LEDGER [--from DATE] [--to DATE] [--as-of DATE]
                               [--currency CUR] [--json]
    bean-clients client LEDGER ID [...]
    bean-clients what-if LEDGER ID [...]
    bean-clients invoices LEDGER [--overdue] [...]
    bean-clients forecast LEDGER [--without ID] [...]
    bean-clients pipeline LEDGER [--from DATE] [--to DATE] [...]
    bean-clients movements LEDGER [--by month] [--from DATE] [--to DATE] [...]

    bean-clients reminders LEDGER [--min-days N] [--format text|eml|json] [...]
    bean-clients statement LEDGER ID [--from DATE] [--to DATE] [--json]
    bean-clients setup LEDGER
    bean-clients explain LEDGER [--client ID | --account ACC]

Loads the ledger as bean-check does (`cli.ledger`: its errors are printed the
same way, to stderr), asks the core for its typed `Report` once and prints the
text that text_report and its siblings make of it, or, with `--json`, the JSON
document of `core.document`. A problem with the command line
itself (a missing file, a bad date, an unknown client, an unknown currency) is
one message on stderr and exit code 2; the report exits 0 once it is printed,
even when the ledger has errors, because its numbers are computed from what
the ledger says.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from beancount_freelance import i18n
from beancount_freelance.cli import (
    forecast_text,
    movements_text,
    setup_explain,
    text_report,
)
from beancount_freelance.cli.hours_text import client_hours_text, what_if_hours_text
from beancount_freelance.cli.invoices_text import (
    client_receivables_text,
    invoices_text,
    report_receivables_text,
)
from beancount_freelance.cli.ledger import (
    CliError,
    closest_hint,
    ledger_report,
    load_ledger,
    run_analysis,
)
from beancount_freelance.cli.pipeline_text import pipeline_text, report_plan_text
from beancount_freelance.cli.reminders_text import run_reminders, run_statement
from beancount_freelance.core.ahead.forecast import NoRunRate
from beancount_freelance.core.document.outlook import forecast_document
from beancount_freelance.core.document.report import (
    client_document,
    invoices_command_document,
    movements_command_document,
    pipeline_command_document,
    report_document,
    what_if_document,
)
from beancount_freelance.core.messages import cut, short
from beancount_freelance.core.revenue.streams import NotActive, UnknownClient
from beancount_freelance.i18n import _

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.portfolio import ClientStream

Command = TypeVar("Command", bound=Callable[..., Any])

MAX_WARNINGS = 20


def parse_date(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> datetime.date | None:
    """An ISO date, YYYY-MM-DD, with a message that says what is wrong."""
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(
            _("{value!r} is not a date ({error}); write YYYY-MM-DD").format(
                value=short(value), error=cut(str(exc))
            ),
            ctx,
            param,
        ) from None


# --- Output ---------------------------------------------------------------------


def print_json(value: Any) -> None:
    """The document exactly, in its own key order."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def print_answer(
    as_json: bool,
    document: Callable[[], Any],
    text: Callable[[], str],
    warnings: Sequence[FreelanceError],
) -> None:
    """A command's answer: its JSON document or its text (only the one asked
    for is made), then the analysis's warnings."""
    if as_json:
        print_json(document())
    else:
        click.echo(text(), nl=False)
    print_warnings(warnings)


def print_warnings(warnings: Sequence[FreelanceError]) -> None:
    """Warnings of the analysis (unconvertible amounts), to stderr, at the end.

    At most MAX_WARNINGS of them, then how many more: `--json` lists them all.
    """
    lines = text_report.warning_lines(warnings)
    for line in lines[:MAX_WARNINGS]:
        click.echo(line, err=True)
    if len(lines) > MAX_WARNINGS:
        click.echo(
            _(
                "... and {count} more warnings (--json lists them all under "
                '"warnings").'
            ).format(count=len(lines) - MAX_WARNINGS),
            err=True,
        )


def common_options(command: Command) -> Command:
    """--as-of, --currency and --json, taken by every subcommand."""
    options = (
        click.option(
            "--as-of",
            "as_of",
            metavar="DATE",
            callback=parse_date,
            help="Date the numbers are computed at (default: --to, else the "
            "ledger's last entry).",
        ),
        click.option(
            "--currency",
            help="Reporting currency (default: the first operating_currency).",
        ),
        click.option(
            "--json", "as_json", is_flag=True, help="Print the JSON document instead."
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def period_options(command: Command) -> Command:
    command = click.option(
        "--to",
        "end",
        metavar="DATE",
        callback=parse_date,
        help="Last day of the report period, inclusive (default: open).",
    )(command)
    return click.option(
        "--from",
        "start",
        metavar="DATE",
        callback=parse_date,
        help="First day of the report period, inclusive (default: open).",
    )(command)


# --- Commands -------------------------------------------------------------------

LEDGER = click.argument("ledger", type=click.Path(dir_okay=True, path_type=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="beancount-freelance")
@click.option(
    "--lang",
    metavar="LANG",
    help="Language of the text (en, fr); default: LANGUAGE, LC_ALL, "
    "LC_MESSAGES, LANG. The JSON is the same in every language.",
)
@click.pass_context
def main(ctx: click.Context, lang: str | None) -> None:
    """Who your clients are, what each brings, and what a lost one costs."""
    # For the whole command, and no longer: the language ends with the run.
    languages = [lang] if lang else i18n.environment_languages()
    ctx.with_resource(i18n.using(i18n.translations(languages)))


@main.command()
@LEDGER
@period_options
@common_options
def report(
    ledger: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """Every client, concentration, replacements, and who pays late."""
    found = ledger_report(ledger, currency=currency, as_of=as_of, start=start, end=end)
    if as_json:
        print_json(report_document(found))
    else:
        text = (
            forecast_text.at_risk_text(found)
            + text_report.report_text(found.portfolio)
            + report_plan_text(found)
        )
        ids = [client.id for client in found.portfolio.clients]
        text += report_receivables_text(found.receivables, ids)
        click.echo(text, nl=False)
    print_warnings(found.warnings)


def find_client(report: Report, client_id: str) -> ClientStream:
    found = report.client(client_id)
    if found is not None:
        return found
    known = [client.id for client in report.portfolio.clients]
    raise CliError(
        _("Unknown client {client!r}; {hint}").format(
            client=short(client_id), hint=closest_hint(client_id, known)
        )
    )


@main.command()
@LEDGER
@click.argument("client_id", metavar="ID")
@period_options
@common_options
def client(
    ledger: str,
    client_id: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """One client: its row, events, monthly revenue, replacement and invoices."""
    analysed = ledger_report(
        ledger, currency=currency, as_of=as_of, start=start, end=end
    )
    found = find_client(analysed, client_id)
    if as_json:
        print_json(client_document(analysed, client_id))
    else:
        replacement = analysed.replacement_of(client_id)
        paid = analysed.client_receivables(client_id)
        text = text_report.client_text(analysed.portfolio, found, replacement, paid)
        text += client_hours_text(analysed, client_id)
        text += client_receivables_text(analysed.receivables, client_id)
        click.echo(text, nl=False)
    print_warnings(analysed.warnings)


@main.command("what-if")
@LEDGER
@click.argument("client_id", metavar="ID")
@common_options
def what_if_command(
    ledger: str,
    client_id: str,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """What replacing an active client would take, were it lost at --as-of."""
    analysed = ledger_report(ledger, currency=currency, as_of=as_of)
    found = find_client(analysed, client_id)
    try:
        replacement = analysed.what_if(client_id)
    except NotActive:
        clients = analysed.portfolio.clients
        active = [c.id for c in clients if c.status == "active"]
        raise CliError(
            _(
                "Client {client!r} is {status} as of {as_of}; what-if asks about "
                "an active client: {active}."
            ).format(
                client=short(client_id),
                status=text_report.status_word(found.status),
                as_of=analysed.as_of,
                active=", ".join(active) or _("there is none"),
            )
        ) from None
    except UnknownClient as exc:
        raise CliError(
            _("Unknown client {client!r}").format(client=short(exc.client))
        ) from None
    if as_json:
        print_json(what_if_document(analysed, replacement))
    else:
        click.echo(
            text_report.what_if_text(replacement, analysed.currency)
            + what_if_hours_text(analysed, replacement, found.name or found.id),
            nl=False,
        )
    print_warnings(analysed.warnings)


@main.command()
@LEDGER
@click.option(
    "--overdue", is_flag=True, help="Only the invoices past due and still open."
)
@common_options
def invoices(
    ledger: str,
    overdue: bool,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """Invoices and payments: days to pay, open and overdue amounts per client."""
    loaded = load_ledger(ledger, sys.stderr)
    # The same analysis as `report`: same as_of, currency and receivables.
    found = run_analysis(
        loaded, currency=currency, as_of=as_of, whole=False
    ).receivables
    print_answer(
        as_json,
        lambda: invoices_command_document(found, overdue_only=overdue),
        lambda: invoices_text(found, overdue_only=overdue),
        found.warnings,
    )


@main.command("forecast")
@LEDGER
@click.option(
    "--without",
    "without",
    metavar="ID",
    help="Leave out this active regular client's run rate (retention unchanged).",
)
@common_options
def forecast_command(
    ledger: str,
    without: str | None,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """The next 12 months from run rates, your retention and one-off work."""
    analysed = ledger_report(ledger, currency=currency, as_of=as_of)
    found = analysed.outlook.forecast
    if without is not None:
        find_client(analysed, without)
        try:
            found = analysed.forecast_without(without)
        except NoRunRate as exc:
            raise CliError(f"{i18n.translated(exc.args[0])}.") from None
    if as_json:
        print_json(forecast_document(found))
    else:
        click.echo(forecast_text.forecast_text(analysed, found, without), nl=False)
    print_warnings(analysed.warnings)


@main.command("pipeline")
@LEDGER
@period_options
@common_options
def pipeline_command(
    ledger: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """Open proposals against the gap lost clients left; targets and ceilings."""
    found = ledger_report(ledger, currency=currency, as_of=as_of, start=start, end=end)
    print_answer(
        as_json,
        lambda: pipeline_command_document(found),
        lambda: pipeline_text(found),
        found.warnings,
    )


@main.command("movements")
@LEDGER
@click.option(
    "--by",
    type=click.Choice(["quarter", "month"]),
    default="quarter",
    show_default=True,
    help="Bridge each complete quarter, or each complete month.",
)
@period_options
@common_options
def movements_command(
    ledger: str,
    by: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_of: datetime.date | None,
    currency: str | None,
    as_json: bool,
) -> None:
    """What moved the revenue: new, returned, more, less and lost clients."""
    found = ledger_report(ledger, currency=currency, as_of=as_of, start=start, end=end)
    print_answer(
        as_json,
        lambda: movements_command_document(found, by),
        lambda: movements_text.movements_text(
            found.movements if by == "quarter" else found.monthly_movements,
            found.cohorts,
        ),
        found.warnings,
    )


@main.command("reminders")
@LEDGER
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    callback=parse_date,
    help="Date the invoices are late at (default: the last transaction).",
)
@click.option(
    "--min-days",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Remind a client whose invoice is this many days late or more.",
)
@click.option(
    "--lang",
    metavar="LANG",
    help="Language of the reminders (en, fr); a client's `lang:` wins.",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "eml", "json"]),
    default="text",
    show_default=True,
    help="Print them, write .eml drafts into --out, or print the JSON document.",
)
@click.option("--out", metavar="DIR", help="Folder of the .eml drafts (created).")
def reminders_command(
    ledger: str,
    as_of: datetime.date | None,
    min_days: int,
    lang: str | None,
    form: str,
    out: str | None,
) -> None:
    """Reminders for the clients whose invoices are overdue; never sent."""
    run_reminders(ledger, as_of, min_days, lang, form, out, print_json)


@main.command("statement")
@LEDGER
@click.argument("client_id", metavar="ID")
@period_options
@click.option("--json", "as_json", is_flag=True, help="Print the JSON document.")
def statement_command(
    ledger: str,
    client_id: str,
    start: datetime.date | None,
    end: datetime.date | None,
    as_json: bool,
) -> None:
    """A client's statement of account: invoices, payments, running balance."""
    run_statement(ledger, client_id, start, end, as_json, print_json)


for _command in setup_explain.COMMANDS:
    main.add_command(_command)
