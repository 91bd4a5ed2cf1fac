"""Date arithmetic bounded by the calendar's last day.

Beancount accepts every date up to 9999-12-31. A due date thirty days after an
invoice of 9999-12-30, the year after 9999 or the month after December 9999 do
not exist: each step here stops at `LAST_DAY` instead of raising; the caller
says so where it matters.
"""

from __future__ import annotations

import datetime

__all__ = ["LAST_DAY", "days_after", "next_year_start"]

LAST_DAY = datetime.date.max


def days_after(day: datetime.date, days: int) -> datetime.date:
    """`day` plus `days` days, or LAST_DAY when that is past the calendar."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return LAST_DAY if days > 0 else datetime.date.min


def next_year_start(day: datetime.date) -> datetime.date:
    """January 1st after `day`'s year; LAST_DAY in the year 9999."""
    if day.year >= LAST_DAY.year:
        return LAST_DAY
    return datetime.date(day.year + 1, 1, 1)
