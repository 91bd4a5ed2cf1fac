"""The page's Time section and a client's hours (templates/time_section.html).

From the report's typed hours part (`core.time.hours.Hours`): the effective
rate of each client as a horizontal bar (the longest rate fills the row, the
median is a line across the bars), hours worked against billed, unbilled hours
and their value, and each replacement in hours of new work. Nothing is
computed here but widths and formatting; absent when the books record no hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.money import amount
from beancount_freelance.text.hours_sentences import (
    hours_word,
    replacement_hours_sentence,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from beancount_freelance.core.time.hours import HourFigures, Hours
    from beancount_freelance.core.time.replacing import ReplacementHours

__all__ = ["TimeRow", "TimeSection", "cents", "client_hours", "time_section"]

_NONE = "–"


@dataclass(frozen=True)
class TimeRow:
    """One client's hours, as the page shows them."""

    client: str | None  # None: the hours without a client
    name: str
    rate: str  # the effective rate of the trailing 12 months
    rate_width: float  # the bar's length, in percent of the row
    worked: str
    billed: str
    worked_width: float  # hours worked against billed, in percent of the most
    billed_width: float
    unbilled: str
    unbilled_value: str
    billed_rate: str


@dataclass(frozen=True)
class TimeSection:
    """The Time section: a row per client, the median rate, the sentences."""

    rows: tuple[TimeRow, ...]
    totals: TimeRow
    median: str
    median_left: float | None  # where the median line crosses the bars, percent
    sentences: tuple[str, ...]


def cents(currency: str) -> Callable[[Decimal], str]:
    """Rates and values to cents, whatever precision the ledger shows amounts
    with: `33.33 EUR`."""

    def formatted(value: Decimal) -> str:
        return f"{amount(value)} {currency}"

    return formatted


def _text(value: Decimal | None, money: Callable[[Decimal], str]) -> str:
    return _NONE if value is None else money(value)


def _percent(part: Decimal | None, whole: Decimal) -> float:
    if part is None or whole <= 0 or part <= 0:
        return 0.0
    return round(float(part / whole) * 100, 2)


def _row(
    client: str | None,
    name: str,
    figures: HourFigures,
    money: Callable[[Decimal], str],
    scale: tuple[Decimal, Decimal],
) -> TimeRow:
    top_rate, top_hours = scale
    return TimeRow(
        client=client,
        name=name,
        rate=_text(figures.effective_rate_t12m, money),
        rate_width=_percent(figures.effective_rate_t12m, top_rate),
        worked=hours_word(figures.worked_period),
        billed=hours_word(figures.billed_period),
        worked_width=_percent(figures.worked_period, top_hours),
        billed_width=_percent(figures.billed_period, top_hours),
        unbilled=hours_word(figures.unbilled_hours),
        unbilled_value=_text(figures.unbilled_value, money),
        billed_rate=_text(figures.billed_rate_t12m, money),
    )


def time_section(
    hours: Hours | None,
    replacements: Sequence[ReplacementHours],
    names: Mapping[str, str],
    money: Callable[[Decimal], str],
    no_client: str,
) -> TimeSection | None:
    """The section, or None when the books record no hours."""
    if hours is None:
        return None
    every = list(hours.clients.values())
    if hours.no_client is not None:
        every.append(hours.no_client)
    rates = [f.effective_rate_t12m for f in every if f.effective_rate_t12m]
    worked = [max(f.worked_period, f.billed_period) for f in every]
    scale = (max(rates, default=Decimal(0)), max(worked, default=Decimal(0)))
    # The clients in the page's order, largest first (`names` follows the
    # portfolio's): the table lists the first of them (paging.py).
    order = {client: position for position, client in enumerate(names)}
    rows = [
        _row(client, names.get(client, client), figures, money, scale)
        for client, figures in sorted(
            hours.clients.items(),
            key=lambda item: (order.get(item[0], len(order)), item[0]),
        )
    ]
    if hours.no_client is not None:
        rows.append(_row(None, no_client, hours.no_client, money, scale))
    median = hours.median_effective_rate_t12m
    sentences = [
        replacement_hours_sentence(names.get(r.client, r.client), r, money)
        for r in replacements
    ]
    return TimeSection(
        rows=tuple(rows),
        totals=_row(None, "", hours.totals, money, scale),
        median=_text(median, money),
        median_left=_percent(median, scale[0]) if median is not None else None,
        sentences=tuple(s for s in sentences if s is not None),
    )


def client_hours(
    hours: Hours | None, client: str, money: Callable[[Decimal], str]
) -> TimeRow | None:
    """One client's hours for its view, None when it has none."""
    figures = None if hours is None else hours.of(client)
    if figures is None:
        return None
    scale = (
        figures.effective_rate_t12m or Decimal(0),
        max(figures.worked_period, figures.billed_period),
    )
    return _row(client, client, figures, money, scale)
