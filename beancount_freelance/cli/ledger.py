"""A ledger loaded for `bean-clients`, and the checks of what a command asks.

Loads as bean-check does (its errors printed the same way, to stderr), with
Python's collector paused and the loaded ledger frozen out of its walks; the
analysis runs once, on what the command line asked (a period, a currency, a
date), each mistake there one `CliError`.
"""

from __future__ import annotations

import datetime
import gc
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import click
from beancount import loader
from beancount.core import data
from beancount.parser import printer

from beancount_freelance.cli import gc_pause
from beancount_freelance.core.messages import closest, cut, short
from beancount_freelance.core.report import analyse_report
from beancount_freelance.i18n import _

if TYPE_CHECKING:
    from beancount_freelance.core.report import Report


class CliError(click.ClickException):
    """A problem with what was asked on the command line: exit code 2."""

    exit_code = 2


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


def ledger_report(
    path: str,
    *,
    currency: str | None,
    as_of: datetime.date | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    whole: bool = True,
) -> Report:
    """The ledger at `path` loaded (its errors on stderr), then the one analysis."""
    return run_analysis(
        load_ledger(path, sys.stderr),
        currency=currency,
        as_of=as_of,
        start=start,
        end=end,
        whole=whole,
    )


def run_analysis(
    ledger: Ledger,
    *,
    currency: str | None,
    as_of: datetime.date | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    whole: bool = True,
) -> Report:
    """The one analysis of every command, its parts computed with the collector
    paused: every part, or (`whole` false) the streams and the receivables."""
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
        # The Report computes a part when first asked: here, the collector paused.
        portfolio, _receivables = found.portfolio, found.receivables
        if whole:
            _parts = (found.outlook, found.plan)
    if currency is not None and portfolio.warnings and not portfolio.lines:
        raise CliError(
            _(
                "No income amount converts to {currency}: the ledger has no price "
                "between it and the currencies of your income up to {as_of}; add "
                "`price` directives or choose another currency."
            ).format(currency=currency, as_of=portfolio.as_of)
        )
    return found
