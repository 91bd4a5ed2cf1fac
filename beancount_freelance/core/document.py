"""The JSON document of an analysis (docs/metrics.md, "JSON rounding").

The CLI's `--json` and the Fava endpoint return this same document; the faces
format it and never recompute a number. Amounts are strings rounded to cents,
shares and rates are floats rounded to 4 decimals, dates are ISO strings.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from beancount_freelance.core.advice import ordered
from beancount_freelance.core.forecast import forecast
from beancount_freelance.core.money import ZERO, amount
from beancount_freelance.core.receivables import AGING_BUCKETS
from beancount_freelance.core.risk import at_risk, clients_at_risk, days_silent
from beancount_freelance.core.risk import days_since_revenue as days_since
from beancount_freelance.core.survival import survival
from beancount_freelance.i18n import N_, Message, message, verbatim

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.book import FreelanceError
    from beancount_freelance.core.forecast import Forecast
    from beancount_freelance.core.receivables import Receivables
    from beancount_freelance.core.recurring import RevenueSums
    from beancount_freelance.core.replacement import Replacement
    from beancount_freelance.core.streams import (
        ClientStream,
        Concentration,
        Portfolio,
        Totals,
    )
    from beancount_freelance.core.survival import Survival


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
    add_outlook(document, portfolio)
    warnings = list(portfolio.warnings)
    if receivables is not None:
        for client in document["clients"]:
            client["receivables"] = client_receivables_document(
                receivables, client["id"]
            )
            client["last_paid"] = client["receivables"]["last_paid"]
        document["overdue_invoices"] = overdue_document(receivables)
        document["unapplied_credits"] = unapplied_document(receivables)
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
        "progress": [
            {"month": month, "new_clients": amount(value)}
            for month, value in replacement.progress
        ],
        "recurring": replacement.recurring,
    }


def _amount_or_none(value: Decimal | None) -> str | None:
    return None if value is None else amount(value)


def share(value: float | None) -> float | None:
    """A share or rate rounded to 4 decimals."""
    return _rounded(value, 4)


def warning_text(warning: FreelanceError) -> str:
    """`file:line: message`, as bean-check prints an error."""
    source = warning.source or {}
    filename, lineno = source.get("filename"), source.get("lineno")
    if filename is None:
        return warning.message
    if isinstance(warning.message, Message):
        # English as ever, and translatable by a face (`i18n.translated`).
        return message(
            N_("{where}: {message}"),
            where=verbatim(f"{filename}:{lineno}"),
            message=warning.message,
        )
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


# --- Ahead of a loss: at risk, survival, forecast (docs/metrics.md) ------------


def add_outlook(document: dict[str, Any], portfolio: Portfolio) -> None:
    """Per client `days_since_revenue`, `days_silent`, `at_risk`; `at_risk_clients`,
    `survival` and `forecast` at the top (all from every revenue line)."""
    as_of = portfolio.as_of
    streams = {stream.id: stream for stream in portfolio.clients}
    for client in document["clients"]:
        stream = streams[client["id"]]
        client["days_since_revenue"] = days_since(stream, as_of)
        client["days_silent"] = days_silent(stream, as_of)
        client["at_risk"] = at_risk(stream, as_of)
    document["at_risk_clients"] = [
        item.client for item in clients_at_risk(portfolio.clients, as_of)
    ]
    document["survival"] = survival_document(survival(portfolio.clients))
    found = forecast(portfolio.clients, portfolio.history, as_of)
    document["forecast"] = forecast_document(found)


def survival_document(found: Survival) -> dict[str, Any]:
    """`{"n", "events", "curve": [{"months", "survival", "low", "high"}], ...}`."""
    return {
        "n": found.relationships,
        "events": found.ended,
        "curve": [
            {
                "months": step.months,
                "survival": exact_rate(step.survival),
                "low": _optional_rate(step.low),
                "high": _optional_rate(step.high),
                "at_risk": step.at_risk,
                "ended": step.ended,
            }
            for step in found.curve
        ],
        "median_months": found.median_months,
    }


def forecast_document(found: Forecast) -> dict[str, Any]:
    """`{"monthly_retention", "months": [{"month", "recurring", "one_off",
    "total"}], "next_12_months"}`, with the samples behind them."""
    retention = found.retention
    return {
        "monthly_retention": exact_rate(retention.monthly),
        "retention_sample": {
            "ended": retention.ended,
            "months": retention.months,
            "clients": retention.clients,
        },
        "run_rates": {
            client: exact_amount(rate)
            for client, rate in sorted(found.run_rates.items())
        },
        "one_off_monthly": exact_amount(found.one_off_monthly),
        "one_off_clients": found.one_off_clients,
        "months": [
            {
                "month": month.month,
                "recurring": exact_amount(month.recurring),
                "one_off": exact_amount(month.one_off),
                "total": exact_amount(month.total),
            }
            for month in found.months
        ],
        "next_12_months": exact_amount(found.next_12_months),
        "without": found.without,
    }


def exact_amount(value: Fraction) -> str:
    """An exact amount as money: cents, half away from zero, like `amount`."""
    cents = _half_up(value * 100)
    return amount(Decimal(cents).scaleb(-2))


def exact_rate(value: Fraction) -> float:
    """An exact rate or probability rounded to 4 decimals, half up."""
    return float(Decimal(_half_up(value * 10_000)).scaleb(-4))


def _optional_rate(value: Decimal | None) -> float | None:
    return exact_rate(Fraction(value)) if value is not None else None


def _half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (ROUND_HALF_UP)."""
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


# --- The receivables objects ---------------------------------------------------


def client_receivables_document(
    receivables: Receivables, client_id: str
) -> dict[str, Any]:
    """The `receivables` object of one client in the JSON document."""
    item = receivables.client(client_id)
    share = item.paid_on_time_share
    average = item.days_to_pay_avg
    return {
        "invoices": item.invoices,
        "paid": item.paid,
        "paid_on_time_share": None if share is None else round(share, 4),
        "days_to_pay_avg": None if average is None else round(average, 2),
        "days_to_pay_median": item.days_to_pay_median,
        "open": amount(item.open),
        "overdue": amount(item.overdue),
        "aging": {
            bucket: amount(value)
            for bucket, value in zip(AGING_BUCKETS, item.aging, strict=True)
        },
        "last_paid": _date(item.last_paid),
    }


def overdue_document(receivables: Receivables) -> list[dict[str, Any]]:
    """The document's `overdue_invoices`: most days late first."""
    as_of = receivables.as_of
    return [
        {
            "client": invoice.client,
            "link": invoice.link,
            "date": invoice.date.isoformat(),
            "due": invoice.due.isoformat(),
            "days_late": invoice.days_late(as_of),
            "open": amount(invoice.open or ZERO),
            "account": invoice.account,
            "narration": invoice.entry.narration,
        }
        for invoice in receivables.overdue
    ]


def invoices_document(
    receivables: Receivables, client_id: str | None = None
) -> list[dict[str, Any]]:
    """Every invoice (of one client if asked) in issue order, with its status.

    `amount` and `balance` are in the invoice's own `currency`; `open` in the
    reporting currency (null when it cannot be valued); `link` null for an
    invoice without links. Status: `paid`, `cancelled` (by credit notes),
    `overdue` or `open`.
    """
    as_of = receivables.as_of
    return [
        {
            "client": invoice.client,
            "link": invoice.link,
            "date": invoice.date.isoformat(),
            "due": invoice.due.isoformat(),
            "currency": invoice.currency,
            "amount": amount(invoice.amount),
            "balance": amount(invoice.balance),
            "status": invoice.status(as_of),
            "settled": _date(invoice.settled),
            "days_to_pay": invoice.days_to_pay,
            "on_time": invoice.on_time,
            "days_late": invoice.days_late(as_of),
            "open": _amount_or_none(invoice.open),
            "account": invoice.account,
            "narration": invoice.entry.narration,
        }
        for invoice in receivables.invoices
        if client_id is None or invoice.client == client_id
    ]


def unapplied_document(receivables: Receivables) -> list[dict[str, Any]]:
    """Credits that settle no invoice, per receivable account and currency."""
    return [
        {
            "account": item.account,
            "currency": item.currency,
            "amount": amount(item.amount),
            "credits": item.credits,
            "first": item.first.date.isoformat(),
        }
        for item in receivables.unapplied
    ]
