"""The JSON document of an analysis (docs/metrics.md, "JSON rounding").

The CLI's `--json` and the Fava endpoint return this same document; the faces
format it and never recompute a number. Amounts are strings rounded to cents,
shares and rates are floats rounded to 4 decimals, dates are ISO strings.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.advice import ordered
from beancount_freelance.core.money import amount
from beancount_freelance.core.receivables import (
    client_receivables_document,
    overdue_document,
)

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.book import FreelanceError
    from beancount_freelance.core.receivables import Receivables
    from beancount_freelance.core.replacement import Replacement
    from beancount_freelance.core.streams import (
        ClientStream,
        Concentration,
        Portfolio,
        Totals,
    )


def to_document(
    portfolio: Portfolio, receivables: Receivables | None = None
) -> dict[str, Any]:
    """The whole analysis as the JSON document of docs/metrics.md.

    With the receivables of the same `as_of` and currency, every client
    gains `receivables`, the document gains `overdue_invoices`, and their warnings
    follow the analysis' own.
    """
    document: dict[str, Any] = {
        "as_of": portfolio.as_of.isoformat(),
        "currency": portfolio.currency,
        "period": {"start": _date(portfolio.start), "end": _date(portfolio.end)},
        "clients": [_client(stream) for stream in portfolio.clients],
        "totals": _totals(portfolio.totals),
        "concentration": _concentration(portfolio.concentration),
        "replacements": [replacement_document(r) for r in portfolio.replacements],
    }
    document["unattributed_accounts"] = [
        {
            "account": item.account,
            "revenue_total": amount(item.revenue_total),
            "postings": item.postings,
        }
        for item in portfolio.unattributed_accounts
    ]
    document["unattributed_fix"] = portfolio.unattributed_fix
    warnings = list(portfolio.warnings)
    if receivables is not None:
        for client in document["clients"]:
            client["receivables"] = client_receivables_document(
                receivables, client["id"]
            )
        document["overdue_invoices"] = overdue_document(receivables)
        warnings.extend(receivables.warnings)
    document["warnings"] = [warning_text(w) for w in ordered(warnings)]
    return document


def replacement_document(replacement: Replacement) -> dict[str, Any]:
    """One replacement object of the contract (also `what-if --json`)."""
    return {
        "client": replacement.client,
        "ended": replacement.ended.isoformat(),
        "reason": replacement.reason,
        "note": replacement.note,
        "monthly_lost": amount(replacement.monthly_lost),
        "share_at_end": share(replacement.share_at_end),
        "new_client_monthly": _optional_amount(replacement.new_client_monthly),
        "clients_needed": replacement.clients_needed,
        "acquisition_per_month": round(replacement.acquisition_per_month, 4),
        "months_to_replace": _rounded(replacement.months_to_replace, 1),
        "replaced_monthly": amount(replacement.replaced_monthly),
        "replaced_share": share(replacement.replaced_share),
        "window": {
            "start": replacement.window_start,
            "end": replacement.window_end,
            "months": replacement.window_months,
        },
        "reference_clients": list(replacement.reference_clients),
        "reference_fallback": replacement.reference_fallback,
        "clients_acquired": replacement.clients_acquired,
        "acquisition_months": replacement.acquisition_months,
        "new_clients": list(replacement.new_clients),
    }


def share(value: float | None) -> float | None:
    """A share or rate rounded to 4 decimals."""
    return _rounded(value, 4)


def warning_text(warning: FreelanceError) -> str:
    """`file:line: message`, as bean-check prints an error."""
    source = warning.source or {}
    filename, lineno = source.get("filename"), source.get("lineno")
    if filename is None:
        return warning.message
    return f"{filename}:{lineno}: {warning.message}"


def _client(stream: ClientStream) -> dict[str, Any]:
    return {
        "id": stream.id,
        "name": stream.name,
        "kind": stream.kind,
        "status": stream.status,
        "start": _date(stream.start),
        "end": _date(stream.end),
        "last_revenue": _date(stream.last_revenue),
        "tenure_months": stream.tenure_months,
        "cadence_days": _number(stream.cadence_days),
        "recurring": stream.recurring,
        "revenue_total": amount(stream.revenue_total),
        "revenue_period": amount(stream.revenue_period),
        "revenue_t12m": amount(stream.revenue_t12m),
        "share_t12m": share(stream.share_t12m),
        "monthly": {month: amount(value) for month, value in stream.monthly.items()},
        "events": [
            {"date": event.date.isoformat(), "kind": event.kind, "note": event.note}
            for event in stream.events
        ],
        "selected": stream.selected,
    }


def _totals(totals: Totals) -> dict[str, Any]:
    return {
        "revenue_total": amount(totals.revenue_total),
        "revenue_period": amount(totals.revenue_period),
        "revenue_t12m": amount(totals.revenue_t12m),
        "unattributed": {
            "revenue_total": amount(totals.unattributed_total),
            "revenue_period": amount(totals.unattributed_period),
            "revenue_t12m": amount(totals.unattributed_t12m),
        },
        "active_clients": totals.active_clients,
    }


def _concentration(concentration: Concentration) -> dict[str, Any]:
    hhi = Decimal(repr(concentration.hhi)).quantize(Decimal(1), ROUND_HALF_UP)
    return {
        "hhi": int(hhi),
        "effective_clients": _rounded(concentration.effective_clients, 2),
        "top1_share": share(concentration.top1_share),
        "top3_share": share(concentration.top3_share),
        "flags": [
            {
                "client": flag.client,
                "share": share(flag.share),
                "threshold": share(flag.threshold),
                "label": flag.label,
            }
            for flag in concentration.flags
        ],
    }


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _optional_amount(value: Decimal | None) -> str | None:
    return amount(value) if value is not None else None


def _rounded(value: float | None, digits: int) -> float | None:
    return round(value, digits) if value is not None else None


def _number(value: float | None) -> int | float | None:
    """A count of days: a whole number when it is one (a median may end in .5)."""
    if value is None:
        return None
    return int(value) if value.is_integer() else value
