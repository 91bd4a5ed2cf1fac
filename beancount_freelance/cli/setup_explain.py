"""`bean-clients setup` and `bean-clients explain`: the books as they are.

    bean-clients setup LEDGER
    bean-clients explain LEDGER [--client ID | --account ACC]

`setup` shows the evidence of the income without a client, the plugin line it
supports and the client table that line would give (a dry run: nothing is
written). `explain` says, for each income posting, the rule that attributed it
or why none did, with its file and line. Both read the ledger as written: the
package's own plugin does not run, so that what it would write is not read back
as the user's `client:` (docs/ledger.md, "Your books as they are").
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click
from beancount import loader
from beancount.core import data
from beancount.parser import booking

from beancount_freelance.cli.ledger import CliError, closest_hint, load_ledger
from beancount_freelance.cli.text_report import table
from beancount_freelance.core.ledger.config import PLUGIN_MODULE, ledger_config
from beancount_freelance.core.ledger.explain import explain
from beancount_freelance.core.money import ZERO, amount
from beancount_freelance.core.revenue.setup import setup
from beancount_freelance.i18n import _, translated
from beancount_freelance.text.rules import found_by_text, rule_word

if TYPE_CHECKING:
    from beancount_freelance.core.ledger.evidence import AccountEvidence
    from beancount_freelance.core.ledger.explain import Explained
    from beancount_freelance.core.revenue.setup import ClientRow, Setup

__all__ = ["COMMANDS", "explain_command", "setup_command"]

LEDGER = click.argument("ledger", type=click.Path(dir_okay=True, path_type=str))
_SHOWN = 3


def as_written(path: str) -> tuple[list[data.Directive], dict[str, Any]]:
    """The ledger loaded as bean-check does, minus this package's plugin.

    Loaded first as every command loads it (`load_ledger`: a missing file, a
    directory, an unreadable include are one message and exit code 2; the
    ledger's errors, the plugin's among them, printed to stderr).
    """
    load_ledger(path, sys.stderr)
    sources = [(os.path.abspath(path), True)]
    entries, _errors, options_map = loader._parse_recursive(sources, None, None)
    entries.sort(key=data.entry_sortkey)
    # beancount's booking has no annotations.
    entries, _ = booking.book(entries, options_map)  # type: ignore[no-untyped-call]
    others = {
        **options_map,
        "plugin": [p for p in options_map["plugin"] if p[0] != PLUGIN_MODULE],
    }
    entries, _ = loader.run_transformations(entries, [], others, None)
    return entries, options_map


# --- setup ----------------------------------------------------------------------


@click.command("setup")
@LEDGER
def setup_command(ledger: str) -> None:
    """What your books say about your clients, and the plugin line to paste."""
    entries, options_map = as_written(ledger)
    found = setup(entries, options_map)
    click.echo(setup_text(found), nl=False)


def setup_text(found: Setup) -> str:
    lines = [
        _("Setup (a dry run: nothing is written), amounts in {currency}").format(
            currency=found.currency
        ),
        "",
    ]
    if not found.evidence and not found.receivable_like:
        lines.append(_("Every income posting has a client: nothing to propose."))
    else:
        lines += evidence_lines(found)
    lines += ["", _("Clients today:"), *client_table(found.before)]
    lines.append(
        _("Income without a client: {amount}").format(
            amount=amount(found.unattributed_before)
        )
    )
    if found.sentence:
        lines += [
            "",
            _("Proposal: {sentence}.").format(sentence=translated(found.sentence)),
        ]
    if found.line is not None or found.advice.named:
        if found.line is not None:
            lines += ["", _("With this line:"), f"  {found.line}"]
        lines += ["", _("Clients it would give:"), *client_table(found.after)]
        lines.append(
            _("Income without a client: {amount}").format(
                amount=amount(found.unattributed_after)
            )
        )
    return "\n".join(lines) + "\n"


def evidence_lines(found: Setup) -> list[str]:
    rows = [[_("Account"), _("Revenue"), _("Postings"), _("Payees"), _("Keys, tags")]]
    for item in found.evidence:
        rows.append(
            [
                item.account,
                amount(found.revenue.get(item.account, ZERO)),
                str(item.postings),
                _payees(item),
                _marks(item),
            ]
        )
    lines = [_("Income without a client, by account (the evidence):")]
    lines += [f"  {line}" for line in table(rows, [False, True, True, False, False])]
    for left_out in found.advice.not_clients:
        reason = (
            _("held at cost or converted at a price: gains, no client")
            if left_out.reason == "gains"
            else _("no payee pays it: no client is made of it")
        )
        lines.append(f"  {left_out.account}: {reason}")
    for like in found.receivable_like:
        lines.append(
            "  "
            + _(
                "{account} behaves like a receivable: income booked against it "
                "{invoices} times, paid out to bank or cash {payments} times"
            ).format(
                account=like.account, invoices=like.invoices, payments=like.payments
            )
        )
    return lines


def _payees(item: AccountEvidence) -> str:
    """The payees, else the names the narrations start with (`Acme | …`)."""
    named = item.payees or tuple(
        (f"{name} | …", count) for name, count in item.narration_names
    )
    if not named:
        return "-"
    shown = ", ".join(f"{payee} ({count})" for payee, count in named[:_SHOWN])
    more = len(named) - _SHOWN
    return shown + (f", +{more}" if more > 0 else "")


def _marks(item: AccountEvidence) -> str:
    marks = [f"{key}: {count}/{item.postings}" for key, count, _ in item.keys[:2]]
    marks += [f"#{tag}-… {count}/{item.postings}" for tag, count in item.tags[:2]]
    return ", ".join(marks) or "-"


def client_table(rows: tuple[ClientRow, ...]) -> list[str]:
    if not rows:
        return ["  " + _("none")]
    cells = [[_("Client"), _("Revenue"), _("Found by")]]
    for row in rows:
        cells.append(
            [row.id, amount(row.revenue_total), found_by_text(row.rules) or "-"]
        )
    return [f"  {line}" for line in table(cells, [False, True, False])]


# --- explain --------------------------------------------------------------------


@click.command("explain")
@LEDGER
@click.option("--client", "client", metavar="ID", help="Only this client's postings.")
@click.option(
    "--account", "account", metavar="ACC", help="Only this account and below it."
)
def explain_command(ledger: str, client: str | None, account: str | None) -> None:
    """Each income posting's client, and the rule that found it (or why none)."""
    if client is not None and account is not None:
        raise CliError(_("Give --client or --account, not both."))
    entries, options_map = as_written(ledger)
    config = ledger_config(options_map)
    found = explain(entries, config, client=client, account=account)
    if not found and client is not None:
        known = sorted({e.client for e in explain(entries, config) if e.client})
        raise CliError(
            _("No income posting of client {client!r}; {hint}").format(
                client=client, hint=closest_hint(client, known)
            )
        )
    click.echo(explain_text(found), nl=False)


def explain_text(found: tuple[Explained, ...]) -> str:
    if not found:
        return _("No income posting.") + "\n"
    lines = []
    for item in found:
        who = item.client if item.client is not None else _("no client")
        rule = rule_word(item.rule) if item.rule is not None else "-"
        lines.append(
            f"{item.filename}:{item.lineno}: {item.date} {item.account} "
            f"{item.units}: {who} [{rule}]"
        )
        lines.append(f"  {translated(item.why)}")
    return "\n".join(lines) + "\n"


#: The commands this module adds to `bean-clients`.
COMMANDS = (setup_command, explain_command)
