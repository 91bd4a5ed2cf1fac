"""Typed values of the report, written by hand for the faces' tests.

The faces read `ClientStream`, `Portfolio`, `Concentration`, … (never the JSON
document): these builders let a test write one the way docs/metrics.md writes
its document — dates as `YYYY-MM-DD`, amounts as `"300.00"` — and give every
other field a neutral value.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from beancount_freelance.core.revenue.concentration import (
    Concentration,
    ConcentrationFlag,
)
from beancount_freelance.core.revenue.lifecycle import ClientEvent
from beancount_freelance.core.revenue.portfolio import ClientStream, Portfolio, Totals
from beancount_freelance.core.revenue.replacement import History

_DATES = ("start", "end", "last_revenue", "as_of")
_AMOUNTS = (
    "revenue_total",
    "revenue_period",
    "revenue_t12m",
    "unattributed_total",
    "unattributed_period",
    "unattributed_t12m",
)


def day(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _typed(values: dict[str, Any]) -> dict[str, Any]:
    for key, value in values.items():
        if key in _DATES and isinstance(value, str):
            values[key] = datetime.date.fromisoformat(value)
        elif key in _AMOUNTS and isinstance(value, str):
            values[key] = Decimal(value)
        elif key == "monthly":
            values[key] = {month: Decimal(v) for month, v in value.items()}
        elif key == "events":
            values[key] = tuple(
                ClientEvent(
                    datetime.date.fromisoformat(e["date"]), e["kind"], e["note"]
                )
                for e in value
            )
    return values


def stream(**values: Any) -> ClientStream:
    """A client; `id` and whatever the test is about."""
    fields: dict[str, Any] = {
        "id": "Client",
        "kind": None,
        "status": "active",
        "start": None,
        "end": None,
        "last_revenue": None,
        "tenure_months": None,
        "cadence_days": None,
        "recurring": False,
        "revenue_total": "0.00",
        "revenue_period": "0.00",
        "revenue_t12m": "0.00",
        "share_t12m": None,
        "monthly": {},
    }
    fields.update(values)
    fields.setdefault("name", fields["id"])
    return ClientStream(**_typed(fields))


def flag(client: str, share: float, threshold: float, label: str) -> ConcentrationFlag:
    return ConcentrationFlag(client, share, threshold, label)


def concentration(**values: Any) -> Concentration:
    fields: dict[str, Any] = {
        "hhi": 0.0,
        "effective_clients": None,
        "top1_share": 0.0,
        "top3_share": 0.0,
        "flags": (),
    }
    fields.update(values)
    fields["flags"] = tuple(fields["flags"])
    return Concentration(**fields)


def totals(**values: Any) -> Totals:
    fields: dict[str, Any] = {
        "revenue_total": "0.00",
        "revenue_period": "0.00",
        "revenue_t12m": "0.00",
        "unattributed_total": "0.00",
        "unattributed_period": "0.00",
        "unattributed_t12m": "0.00",
        "active_clients": 0,
    }
    fields.update(values)
    return Totals(**_typed(fields))


def portfolio(**values: Any) -> Portfolio:
    """A portfolio as of `as_of` in EUR, with no line behind it."""
    fields: dict[str, Any] = {
        "as_of": "2016-06-30",
        "currency": "EUR",
        "start": None,
        "end": None,
        "clients": (),
        "totals": totals(),
        "concentration": concentration(),
        "replacements": (),
        "warnings": (),
        "lines": (),
    }
    fields.update(values)
    fields = _typed(fields)
    fields["clients"] = tuple(fields["clients"])
    fields["replacements"] = tuple(fields["replacements"])
    as_of = fields["as_of"]
    fields["history"] = History(as_of, {}, {}, None)
    return Portfolio(**fields)
