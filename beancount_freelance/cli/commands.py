"""`bean-clients`: the freelancer's clients, from the command line.

    bean-clients report LEDGER [--from DATE] [--to DATE] [--as-of DATE]
                               [--currency CUR] [--json]
    bean-clients client LEDGER ID [...]
    bean-clients what-if LEDGER ID [...]
    bean-clients invoices LEDGER [--overdue] [...]
    bean-clients forecast LEDGER [--without ID] [...]
    bean-clients pipeline LEDGER [--from DATE] [--to DATE] [...]
    bean-clients setup LEDGER
    bean-clients explain LEDGER [--client ID | --account ACC]

Loads the ledger as bean-check does (`cli.ledger`: its errors are printed the
same way, to stderr), runs the analysis core once and prints its JSON document,
or the text that text_report makes of it. A problem with the command line
itself (a missing file, a bad date, an unknown client, an unknown currency) is
one message on stderr and exit code 2; the report exits 0 once it is printed,
even when the ledger has errors, because its numbers are computed from what
the ledger says.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from beancount_freelance import i18n
from beancount_freelance.cli import forecast_text, setup_explain, text_report
from beancount_freelance.cli.invoices_text import (
    client_receivables_text,
    invoices_text,
    report_receivables_text,
)
from beancount_freelance.cli.ledger import (
    CliError,
    closest_hint,
    load_ledger,
    run_analysis,
)
from beancount_freelance.cli.pipeline_text import pipeline_text, report_plan_text
from beancount_freelance.core.ahead.forecast import NoRunRate, forecast
from beancount_freelance.core.document import (
    client_receivables_document,
    forecast_document,
    invoices_document,
    overdue_document,
    replacement_document,
    unapplied_document,
    warning_text,
)
from beancount_freelance.core.quoting import cut
from beancount_freelance.core.revenue.streams import NotActive, UnknownClient, what_if
from beancount_freelance.i18n import _, short

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


def print_warnings(document: Mapping[str, Any]) -> None:
    """Warnings of the analysis (unconvertible amounts), to stderr, at the end.

    At most MAX_WARNINGS of them, then how many more: `--json` lists them all.
    """
    lines = text_report.warning_lines(document.get("warnings") or ())
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
    loaded = load_ledger(ledger, sys.stderr)
    found = run_analysis(loaded, currency=currency, as_of=as_of, start=start, end=end)
    document = found.document()
    if as_json:
        print_json(document)
    else:
        text = (
            forecast_text.at_risk_text(document)
            + text_report.report_text(document)
            + report_plan_text(document)
        )
        text += report_receivables_text(document)
        click.echo(text, nl=False)
    print_warnings(document)


def find_client(document: Mapping[str, Any], client_id: str) -> Mapping[str, Any]:
    for client in document["clients"]:
        if client["id"] == client_id:
            return client  # type: ignore[no-any-return]  # the document is JSON
    known = [client["id"] for client in document["clients"]]
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
    loaded = load_ledger(ledger, sys.stderr)
    analysed = run_analysis(
        loaded, currency=currency, as_of=as_of, start=start, end=end
    )
    document = analysed.document()
    found = find_client(document, client_id)
    replacement = next(
        (r for r in document["replacements"] if r["client"] == client_id), None
    )
    overdue = [i for i in document["overdue_invoices"] if i["client"] == client_id]
    if as_json:
        print_json(
            {
                "as_of": document["as_of"],
                "currency": document["currency"],
                "period": document["period"],
                "client": found,
                "replacement": replacement,
                "overdue_invoices": overdue,
                "warnings": document["warnings"],
            }
        )
    else:
        text = text_report.client_text(document, found, replacement)
        text += client_receivables_text(document, found, overdue)
        click.echo(text, nl=False)
    print_warnings(document)


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
    loaded = load_ledger(ledger, sys.stderr)
    analysed = run_analysis(loaded, currency=currency, as_of=as_of)
    document = analysed.document()
    found = find_client(document, client_id)
    try:
        replacement = replacement_document(what_if(analysed.portfolio, client_id))
    except NotActive:
        active = [c["id"] for c in document["clients"] if c["status"] == "active"]
        raise CliError(
            _(
                "Client {client!r} is {status} as of {as_of}; what-if asks about "
                "an active client: {active}."
            ).format(
                client=short(client_id),
                status=text_report.status_word(found["status"]),
                as_of=document["as_of"],
                active=", ".join(active) or _("there is none"),
            )
        ) from None
    except UnknownClient as exc:
        raise CliError(
            _("Unknown client {client!r}").format(client=short(exc.client))
        ) from None
    if as_json:
        print_json(replacement)
    else:
        click.echo(
            text_report.what_if_text(
                replacement, document["currency"], document["as_of"]
            ),
            nl=False,
        )
    print_warnings(document)


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
    found = run_analysis(loaded, currency=currency, as_of=as_of).receivables
    document: dict[str, Any] = {
        "as_of": found.as_of.isoformat(),
        "currency": found.currency,
        "overdue_invoices": overdue_document(found),
    }
    if not overdue:
        document["clients"] = {
            item.client: client_receivables_document(found, item.client)
            for item in found.clients
        }
        document["invoices"] = invoices_document(found)
        document["unapplied_credits"] = unapplied_document(found)
    document["warnings"] = [warning_text(warning) for warning in found.warnings]
    if as_json:
        print_json(document)
    else:
        click.echo(invoices_text(document), nl=False)
    print_warnings(document)


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
    loaded = load_ledger(ledger, sys.stderr)
    analysed = run_analysis(loaded, currency=currency, as_of=as_of)
    document = analysed.document()
    found = document["forecast"]
    if without is not None:
        find_client(document, without)
        portfolio = analysed.portfolio
        try:
            found = forecast_document(
                forecast(
                    portfolio.clients,
                    portfolio.history,
                    portfolio.as_of,
                    without=without,
                )
            )
        except NoRunRate as exc:
            raise CliError(f"{i18n.translated(exc.args[0])}.") from None
    if as_json:
        print_json(found)
    else:
        click.echo(forecast_text.forecast_text(document, found, without), nl=False)
    print_warnings(document)


#: The plan's keys of the document, as `pipeline --json` prints them.
PLAN_KEYS = ("as_of", "currency", "period", "open_gap", "pipeline", "targets")


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
    loaded = load_ledger(ledger, sys.stderr)
    found = run_analysis(loaded, currency=currency, as_of=as_of, start=start, end=end)
    document = found.document()
    if as_json:
        print_json(
            {
                **{key: document[key] for key in PLAN_KEYS},
                "ceilings": document["ceilings"],
                "warnings": document["warnings"],
            }
        )
    else:
        click.echo(pipeline_text(document), nl=False)
    print_warnings(document)


for _command in setup_explain.COMMANDS:
    main.add_command(_command)
