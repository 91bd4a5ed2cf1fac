"""The streams' part of the document: clients, totals, concentration,
replacements, and the outlook and receivables beside them (docs/metrics.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beancount_freelance.core.ahead.outlook import outlook_of
from beancount_freelance.core.document.outlook import add_outlook
from beancount_freelance.core.document.receivables import (
    client_receivables_document,
    overdue_document,
    unapplied_document,
)
from beancount_freelance.core.document.values import (
    date_or_none,
    optional_amount,
    rounded,
    share,
)
from beancount_freelance.core.messages import warning_text
from beancount_freelance.core.money import amount, whole, whole_days
from beancount_freelance.core.revenue.advice import ordered

if TYPE_CHECKING:
    from beancount_freelance.core.ahead.outlook import Outlook
    from beancount_freelance.core.receivables.analysis import ReceivablesAsOf
    from beancount_freelance.core.revenue.concentration import Concentration
    from beancount_freelance.core.revenue.portfolio import (
        ClientStream,
        Portfolio,
        RevenueSums,
        Totals,
    )
    from beancount_freelance.core.revenue.replacement import Replacement

__all__ = ["replacement_document", "to_document"]


def to_document(
    portfolio: Portfolio,
    receivables: ReceivablesAsOf | None = None,
    outlook: Outlook | None = None,
) -> dict[str, Any]:
    """The whole analysis as the JSON document of docs/metrics.md.

    With the receivables of the same `as_of` and currency, every client
    gains `receivables`, the document gains `overdue_invoices`, and their warnings
    follow the analysis' own.
    """
    document: dict[str, Any] = {
        "as_of": portfolio.as_of.isoformat(),
        "currency": portfolio.currency,
        "period": {
            "start": date_or_none(portfolio.start),
            "end": date_or_none(portfolio.end),
        },
        "clients": [_client(stream) for stream in portfolio.clients],
        "totals": {
            **_totals(portfolio.totals),
        },
        "concentration": _concentration(portfolio.concentration),
        "replacements": [replacement_document(r) for r in portfolio.replacements],
        "replacement_history": [
            replacement_document(r) for r in portfolio.replacement_history
        ],
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
    document["vat_included"] = _vat_included(portfolio)
    add_outlook(document, outlook if outlook is not None else outlook_of(portfolio))
    warnings = list(portfolio.warnings)
    if receivables is not None:
        for client in document["clients"]:
            client["receivables"] = client_receivables_document(
                receivables, client["id"]
            )
            client["last_paid"] = client["receivables"]["last_paid"]
        document["invoices_without_client"] = sum(
            1 for invoice in receivables.invoices if invoice.client is None
        )
        document["overdue_invoices"] = overdue_document(receivables)
        document["unapplied_credits"] = unapplied_document(receivables)
        warnings.extend(receivables.warnings)
    document["warnings"] = [warning_text(w) for w in ordered(warnings)]
    return document


def _vat_included(portfolio: Portfolio) -> list[dict[str, Any]]:
    """The income netted of the VAT it included, per account and rate."""
    return [
        {
            "account": item.account,
            "rate": str(item.rate),
            "gross": amount(item.gross),
            "net": amount(item.net),
            "postings": item.postings,
        }
        for item in portfolio.vat_included
    ]


def replacement_document(replacement: Replacement) -> dict[str, Any]:
    """One replacement object of the contract (also `what-if --json`)."""
    return {
        "client": replacement.client,
        "ended": replacement.ended.isoformat(),
        "reason": replacement.reason,
        "note": replacement.note,
        "monthly_lost": amount(replacement.monthly_lost),
        "share_at_end": share(replacement.share_at_end),
        "new_client_monthly": optional_amount(replacement.new_client_monthly),
        "clients_needed": replacement.clients_needed,
        "acquisition_per_month": round(replacement.acquisition_per_month, 4),
        "months_to_replace": rounded(replacement.months_to_replace, 1),
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
        "progress": [
            {
                "month": item.month,
                "new_clients": amount(item.new_clients),
                "replaced_monthly": amount(item.replaced_monthly),
            }
            for item in replacement.progress
        ],
        "recurring": replacement.recurring,
    }


def _client(stream: ClientStream) -> dict[str, Any]:
    return {
        "id": stream.id,
        "name": stream.name,
        "kind": stream.kind,
        "status": stream.status,
        "start": date_or_none(stream.start),
        "end": date_or_none(stream.end),
        "last_revenue": date_or_none(stream.last_revenue),
        "tenure_months": stream.tenure_months,
        "cadence_days": whole_days(stream.cadence_days),
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
        "recurring": _sums(totals.recurring),
        "one_off": _sums(totals.one_off),
    }


def _sums(sums: RevenueSums) -> dict[str, str]:
    return {
        "revenue_total": amount(sums.revenue_total),
        "revenue_period": amount(sums.revenue_period),
        "revenue_t12m": amount(sums.revenue_t12m),
    }


def _concentration(concentration: Concentration) -> dict[str, Any]:
    return {
        "hhi": whole(concentration.hhi),
        "effective_clients": rounded(concentration.effective_clients, 2),
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
