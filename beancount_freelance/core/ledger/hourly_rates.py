"""The `custom "rate"` directive: what an hour with a client is worth.

    2016-01-01 custom "rate" "Lefevre" 95.00 EUR

values a client's unbilled hours from that date on (docs/time.md). A malformed
one is a FreelanceError at its file and line, and is left out.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from beancount_freelance.core.ledger.book import FreelanceError, shown
from beancount_freelance.core.messages import N_, message

__all__ = ["RATE", "HourlyRate", "rate_at", "read_rate"]

RATE = "rate"


class HourlyRate(NamedTuple):
    """A client's rate for an hour of work, in force from `date` on."""

    date: datetime.date
    client: str
    amount: Decimal
    currency: str
    entry: data.Custom


def read_rate(entry: data.Custom, errors: list[FreelanceError]) -> HourlyRate | None:
    """The rate a `custom "rate"` directive states, or None and a problem."""
    values = [getattr(value, "value", value) for value in entry.values or ()]
    if (
        len(values) == 2
        and isinstance(values[0], str)
        and values[0]
        and isinstance(values[1], Amount)
        and isinstance(values[1].number, Decimal)
        and values[1].number > 0
    ):
        return HourlyRate(
            entry.date, values[0], values[1].number, str(values[1].currency), entry
        )
    given = " ".join(shown(value) for value in values) or "no value"
    errors.append(
        FreelanceError(
            entry.meta,
            message(
                N_(
                    "Malformed rate directive ({given}): expected a client id and "
                    'an amount above zero; write `custom "rate" "<client id>" '
                    "95.00 EUR`"
                ),
                given=given,
            ),
            entry if entry.values else None,
        )
    )
    return None


def rate_at(
    rates: tuple[HourlyRate, ...], client: str, day: datetime.date
) -> HourlyRate | None:
    """The client's rate in force on `day`: the latest dated on or before it."""
    found = [rate for rate in rates if rate.client == client and rate.date <= day]
    return max(reversed(found), key=lambda rate: rate.date) if found else None
