"""`bean-clients`: the freelancer's clients, from the command line.

    bean-clients report LEDGER [--from DATE] [--to DATE] [--as-of DATE]
                               [--currency CUR] [--json]
    bean-clients client LEDGER ID [...]
    bean-clients what-if LEDGER ID [...]
    bean-clients invoices LEDGER [--overdue] [...]
    bean-clients forecast LEDGER [--without ID] [...]
    bean-clients pipeline LEDGER [--from DATE] [--to DATE] [...]

Loads the ledger as bean-check does (its errors are printed the same way, to
stderr), runs the analysis core once and prints its JSON document, or the text
that text_report makes of it. A problem with the command line itself (a missing
file, a bad date, an unknown client, an unknown currency) is one message on stderr
and exit code 2; the report exits 0 once it is printed, even when the ledger has
errors, because its numbers are computed from what the ledger says.
"""

from __future__ import annotations

import datetime
import gc
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from beancount import loader
from beancount.core import data
from beancount.parser import printer

from beancount_freelance import i18n
from beancount_freelance.cli import forecast_text, gc_pause, text_report
from beancount_freelance.cli.invoices_text import (
    client_receivables_text,
    invoices_text,
    report_receivables_text,
)
from beancount_freelance.cli.pipeline_text import pipeline_text, report_plan_text
from beancount_freelance.core.document import (
    client_receivables_document,
    forecast_document,
    invoices_document,
    overdue_document,
    replacement_document,
    unapplied_document,
    warning_text,
)
from beancount_freelance.core.forecast import NoRunRate, forecast
from beancount_freelance.core.quoting import cut
from beancount_freelance.core.report import analyse_report
from beancount_freelance.core.spelling import closest
from beancount_freelance.core.streams import NotActive, UnknownClient, what_if
from beancount_freelance.i18n import _, short

if TYPE_CHECKING:
    from beancount_freelance.core.report import Report

Command = TypeVar("Command", bound=Callable[..., Any])

MAX_WARNINGS = 20


class CliError(click.ClickException):
    """A problem with what was asked on the command line: exit code 2."""

    exit_code = 2


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


# --- Loading --------------------------------------------------------------------


@dataclass(frozen=True)
class Ledger:
    """What the Beancount loader read, its errors already printed."""

    entries: list[data.Directive]
    options_map: dict[str, Any]


def load_ledger(path: str, stderr: IO[str]) -> Ledger:
    """Load a ledger as bean-check does; print its errors as bean-check prints them."""
    if not os.path.exists(path):
        raise CliError(_("Ledger {path!r} does not exist.").format(path=short(path)))
    if os.path.isdir(path):
        raise CliError(
            _("Ledger {path!r} is a directory; give its main .beancount file.").format(
                path=short(path)
            )
        )
    if not os.path.isfile(path):  # a named pipe would block the read below
        raise CliError(
            _("Cannot read ledger {path!r}: not a regular file.").format(
                path=short(path)
            )
        )
    try:
        with open(path, encoding="utf-8") as ledger:
            ledger.read(1)
    except OSError as exc:
        raise CliError(
            _("Cannot read ledger {path!r}: {error}.").format(
                path=short(path), error=exc.strerror
            )
        ) from None
    except UnicodeDecodeError:
        raise CliError(
            _("Ledger {path!r} is not UTF-8 text.").format(path=short(path))
        ) from None
    # The loader makes next to no reference cycles (about twenty objects on a
    # 50,000-transaction ledger): the collector's passes over the growing ledger
    # would cost a sixth of the load and free nothing, so it is paused. The
    # ledger then lives until the command exits: frozen, the collector never
    # walks it again while the analysis allocates.
    try:
        with gc_pause.paused():
            # Uncached, as Fava loads (Beancount's `_load`): the cache would
            # write a pickle next to the ledger, and keep an older plugin's say.
            entries, errors, options_map = loader._load(
                [(os.path.abspath(path), True)], None, None, None
            )
    except OSError as exc:  # Beancount's loader lets an unreadable include raise
        raise CliError(unreadable_include(path, exc)) from None
    gc.freeze()
    if errors:
        # beancount's printer has no annotations.
        printer.print_errors(errors, file=stderr)  # type: ignore[no-untyped-call]
    return Ledger(entries, options_map)


def unreadable_include(path: str, exc: OSError) -> str:
    """The message for a file the ledger includes that cannot be read."""
    if not isinstance(exc.filename, str):
        return _(
            "Ledger {path!r} includes a file, which cannot be read: {error}."
        ).format(path=short(path), error=exc.strerror or exc.__class__.__name__)
    included = exc.filename
    if isinstance(exc, IsADirectoryError):
        return _(
            "Ledger {path!r} includes {included!r}, a directory; include the files "
            'in it instead (a glob works: `include "{folder}/*.beancount"`).'
        ).format(
            path=short(path),
            included=short(included),
            folder=cut(os.path.basename(included)),
        )
    return _(
        "Ledger {path!r} includes {included!r}, which cannot be read: {error}."
    ).format(
        path=short(path),
        included=short(included),
        error=exc.strerror or exc.__class__.__name__,
    )


def known_currencies(ledger: Ledger) -> set[str]:
    """Every currency the ledger mentions: amounts, prices, commodities, options."""
    found = set(ledger.options_map.get("operating_currency") or ())
    for entry in ledger.entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if posting.units is not None:
                    found.add(posting.units.currency)
                if posting.price is not None:
                    found.add(posting.price.currency)
                if posting.cost is not None and posting.cost.currency:
                    found.add(posting.cost.currency)
        elif isinstance(entry, data.Price):
            found.update((entry.currency, entry.amount.currency))
        elif isinstance(entry, data.Commodity):
            found.add(entry.currency)
        elif isinstance(entry, data.Open):
            found.update(entry.currencies or ())
    return {currency for currency in found if isinstance(currency, str)}


def check_currency(ledger: Ledger, currency: str | None) -> None:
    if currency is None:
        return
    known = known_currencies(ledger)
    if currency not in known:
        raise CliError(
            _(
                "Unknown currency {currency!r}: the ledger has no amount or price "
                "in it, so nothing can be converted to it; known: {known}."
            ).format(currency=short(currency), known=", ".join(sorted(known)))
        )


def closest_hint(client_id: str, known: Sequence[str]) -> str:
    match = closest(client_id, known)
    if match is not None:
        return _("did you mean {client!r}?").format(client=short(match))
    return _("known clients: {known}.").format(
        known=", ".join(sorted(known)) or _("none")
    )


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


def run_analysis(
    ledger: Ledger,
    *,
    currency: str | None,
    as_of: datetime.date | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Report:
    """The one analysis of every command: revenue streams and receivables."""
    if start is not None and end is not None and start > end:
        raise CliError(
            _("--from {start} is after --to {end}; swap them.").format(
                start=start, end=end
            )
        )
    check_currency(ledger, currency)
    with gc_pause.paused():
        found = analyse_report(
            ledger.entries,
            ledger.options_map,
            currency=currency,
            start=start,
            end=end,
            as_of=as_of,
        )
    portfolio = found.portfolio
    if currency is not None and portfolio.warnings and not portfolio.lines:
        raise CliError(
            _(
                "No income amount converts to {currency}: the ledger has no price "
                "between it and the currencies of your income up to {as_of}; add "
                "`price` directives or choose another currency."
            ).format(currency=currency, as_of=portfolio.as_of)
        )
    return found


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
