"""The columns of each time tracker's CSV export, and how one row reads.

- Toggl: `Client`, `Duration` HH:MM:SS, `Start date` ISO, `Billable` Yes/No.
- Harvest: `Client`, `Hours` decimal (not `Hours Rounded`), `Date` ISO,
  `Billable?` and `Invoiced?` Yes/No.
- Clockify: `Client`, `Duration (decimal)` else `Duration (h)` HH:MM:SS,
  `Start Date` month/day/year or day/month/year, `Billable` Yes/No.
- Kimai: `customer`, `duration` seconds or HH:MM, `date` ISO, billable when
  `rate` is above zero, `exported` 1/0 or true/false (invoiced).

Header names match whatever their case (`columns.column_key`). A row that does
not read gives the reason, in words fit for the user.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple

from beancount_freelance.core.messages import quoted
from beancount_freelance.importers.columns import parse_amount, parse_date

__all__ = ["TRACKERS", "DateOrder", "Tracker", "TrackerRow", "read_row"]

DateOrder = Literal["month", "day"]
_SECONDS = Decimal(3600)
_MILLIONTH = Decimal("0.000001")
_CLOCK = re.compile(r"^(\d+):([0-5]\d)(?::([0-5]\d))?$")
_YES = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}
_MAX_HOURS = Decimal(10_000)


class TrackerRow(NamedTuple):
    """What one row of an export says."""

    date: datetime.date
    client: str
    hours: Decimal
    billable: bool
    invoiced: bool
    description: str


def clock_hours(text: str) -> Decimal:
    """`01:30:00` or `1:30`: hours, minutes and perhaps seconds."""
    found = _CLOCK.match(text.strip())
    if found is None:
        raise ValueError(f"bad duration {quoted(text)} (expected HH:MM:SS)")
    hours, minutes, seconds = found.groups()
    total = int(hours) * 3600 + int(minutes) * 60 + int(seconds or 0)
    return seconds_hours(total)


def seconds_hours(total: int) -> Decimal:
    """Seconds as hours, to the millionth of an hour, without trailing zeros."""
    exact = (Decimal(total) / _SECONDS).quantize(_MILLIONTH)
    return Decimal(format(exact, "f").rstrip("0").rstrip(".") or "0")


def decimal_hours(text: str) -> Decimal:
    """`1.5` (or `1,5`): hours as a decimal number."""
    try:
        return parse_amount(text)
    except ValueError:
        raise ValueError(f"bad number of hours {quoted(text)}") from None


def kimai_hours(text: str) -> Decimal:
    """Kimai's `duration`: seconds, or HH:MM."""
    value = text.strip()
    if value.isdigit():
        return seconds_hours(int(value))
    return clock_hours(value)


@dataclass(frozen=True)
class Tracker:
    """Which columns of an export say what."""

    label: str
    client: str
    date: str
    durations: tuple[tuple[str, Callable[[str], Decimal]], ...]
    billable: str
    invoiced: str | None
    description: tuple[str, ...]
    date_order: DateOrder = "month"
    billable_by_rate: bool = False

    def recognises(self, header: list[str]) -> bool:
        """Whether a header (column keys) is this tracker's."""
        has_duration = any(name in header for name, _ in self.durations)
        wanted = (self.client, self.date, self.billable)
        return has_duration and all(name in header for name in wanted)


TRACKERS: Mapping[str, Tracker] = {
    "toggl": Tracker(
        "Toggl",
        client="client",
        date="start date",
        durations=(("duration", clock_hours),),
        billable="billable",
        invoiced=None,
        description=("project", "description"),
    ),
    "harvest": Tracker(
        "Harvest",
        client="client",
        date="date",
        durations=(("hours", decimal_hours),),
        billable="billable?",
        invoiced="invoiced?",
        description=("project", "task", "notes"),
    ),
    "clockify": Tracker(
        "Clockify",
        client="client",
        date="start date",
        durations=(
            ("duration (decimal)", decimal_hours),
            ("duration (h)", clock_hours),
        ),
        billable="billable",
        invoiced=None,
        description=("project", "description"),
    ),
    "kimai": Tracker(
        "Kimai",
        client="customer",
        date="date",
        durations=(("duration", kimai_hours),),
        billable="rate",
        invoiced="exported",
        description=("project", "activity", "description"),
        billable_by_rate=True,
    ),
}


def _flag(fields: Mapping[str, str], column: str, errors: list[str]) -> bool:
    text = fields.get(column)
    if text is None:
        errors.append(f"missing {quoted(column)} column")
        return False
    value = _YES.get(text.strip().casefold())
    if value is None:
        errors.append(f"{column}: {quoted(text)} is neither yes nor no")
        return False
    return value


def _hours(tracker: Tracker, fields: Mapping[str, str], errors: list[str]) -> Decimal:
    for column, parse in tracker.durations:
        text = fields.get(column)
        if not text:
            continue
        try:
            hours = parse(text)
        except (ValueError, InvalidOperation) as exc:
            errors.append(f"{column}: {exc}")
            return Decimal(0)
        if hours <= 0 or hours > _MAX_HOURS:
            errors.append(f"{column}: {quoted(text)} is no duration of work")
        return hours
    errors.append("no duration")
    return Decimal(0)


def _billable(tracker: Tracker, fields: Mapping[str, str], errors: list[str]) -> bool:
    if not tracker.billable_by_rate:
        return _flag(fields, tracker.billable, errors)
    text = fields.get(tracker.billable, "")
    if not text.strip():
        return False
    try:
        return parse_amount(text) > 0
    except ValueError:
        errors.append(f"{tracker.billable}: bad amount {quoted(text)}")
        return False


def read_row(
    tracker: Tracker, fields: Mapping[str, str], dayfirst: bool
) -> TrackerRow | str:
    """The row, or why it does not read (every reason, joined)."""
    errors: list[str] = []
    date: datetime.date | None = None
    try:
        date = parse_date(fields.get(tracker.date, ""), None, dayfirst)
    except ValueError as exc:
        errors.append(f"{tracker.date}: {exc}")
    hours = _hours(tracker, fields, errors)
    billable = _billable(tracker, fields, errors)
    invoiced = False
    if tracker.invoiced is not None and fields.get(tracker.invoiced, "").strip():
        invoiced = _flag(fields, tracker.invoiced, errors)
    if errors or date is None:
        return "; ".join(errors)
    words = [fields.get(name, "") for name in tracker.description]
    return TrackerRow(
        date,
        fields.get(tracker.client, "").strip(),
        hours,
        billable,
        invoiced,
        " — ".join(word for word in words if word) or tracker.label,
    )
