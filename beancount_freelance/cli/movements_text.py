"""The text of `bean-clients movements`: what moved the revenue, quarter by quarter.

The command (cli/commands.py) prints the bridge of each complete quarter (or
month), the period still running apart, the year's retention in words and the
cohorts of clients by year of first revenue, from the typed `Movements` of the
report (docs/metrics.md, "Movements"); `--json` prints the `movements` and
`cohorts` keys of the report's JSON document. Nothing is computed here.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from beancount_freelance.cli.text_report import LINE_WIDTH, table, wrapped
from beancount_freelance.core.money import amount
from beancount_freelance.i18n import _
from beancount_freelance.text.movement_sentences import (
    moved_clients,
    movement_name,
    ratio_text,
    retention_sentences,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal

    from beancount_freelance.core.revenue.movements import (
        Bridge,
        Kind,
        Movements,
    )
    from beancount_freelance.core.revenue.retention import Cohort

_COLUMNS: tuple[Kind, ...] = (
    "new",
    "returned",
    "expansion",
    "contraction",
    "lost",
    "adjustment",
)


def movements_text(movements: Movements, cohorts: Sequence[Cohort]) -> str:
    """The bridges, the period so far, the retention and the cohorts."""
    heading = (
        _("Revenue movements by quarter as of {as_of} ({currency})")
        if movements.by == "quarter"
        else _("Revenue movements by month as of {as_of} ({currency})")
    )
    lines = [heading.format(as_of=movements.as_of, currency=movements.currency), ""]
    if movements.periods:
        lines.extend(bridge_table(movements.periods))
        moved = client_lines(movements.periods)
        lines.extend(["", *moved] if moved else [])
    else:
        lines.append(_("No complete period to bridge."))
    so_far = movements.so_far
    if so_far is not None:
        said = _("So far in {period} (through {date}): {revenue}").format(
            period=so_far.period, date=so_far.through, revenue=amount(so_far.revenue)
        )
        lines.extend(["", said])
    lines.append("")
    lines.extend(wrapped(text, 0) for text in retention_sentences(movements.retention))
    lines.append("")
    lines.extend(cohort_lines(cohorts))
    return "\n".join(lines) + "\n"


def _minus(value: Decimal) -> str:
    """A loss as the bridge subtracts it."""
    return f"-{amount(value)}" if value else amount(value)


def bridge_table(periods: Sequence[Bridge]) -> list[str]:
    """One row per period: start, each movement, end and what replaced losses."""
    rows = [
        [
            _("Period"),
            _("Start"),
            *(movement_name(kind) for kind in _COLUMNS),
            _("End"),
            _("Replaced"),
        ]
    ]
    for bridge in periods:
        rows.append(
            [
                bridge.period,
                amount(bridge.start),
                amount(bridge.new),
                amount(bridge.returned),
                amount(bridge.expansion),
                _minus(bridge.contraction),
                _minus(bridge.lost),
                amount(bridge.adjustment),
                amount(bridge.end),
                ratio_text(bridge.replacement_ratio),
            ]
        )
    return table(rows, (False,) + (True,) * 9)


def client_lines(periods: Sequence[Bridge]) -> list[str]:
    """Per period, the clients of each movement (steady ones left out)."""
    lines = []
    for bridge in periods:
        said = moved_clients(bridge)
        if said:
            lines.append(
                textwrap.fill(
                    f"{bridge.period}  {said}",
                    LINE_WIDTH,
                    subsequent_indent=" " * (len(bridge.period) + 2),
                    break_on_hyphens=False,
                )
            )
    return lines


def cohort_lines(cohorts: Sequence[Cohort]) -> list[str]:
    """The cohort table: a row per year of first revenue, a column per year."""
    if not cohorts:
        return [_("No cohort: no client has brought revenue yet.")]
    years = sorted({year for cohort in cohorts for year in cohort.revenue})
    rows = [[_("First revenue"), _("Clients"), *(str(year) for year in years)]]
    for cohort in cohorts:
        rows.append(
            [
                str(cohort.year),
                str(len(cohort.clients)),
                *(
                    amount(cohort.revenue[year]) if year in cohort.revenue else ""
                    for year in years
                ),
            ]
        )
    return [
        _("Clients by year of first revenue, and what they brought each year:"),
        *table(rows, (False,) + (True,) * (len(years) + 1)),
    ]
