"""Opt-in policies checked by the plugin: `max_share` (docs/ledger.md).

    plugin "beancount_freelance.plugin" "{'max_share': 0.5}"

An error for each client whose trailing 12-month share of revenue exceeds
`max_share` at the last date of the ledger. The shares come from the revenue
lines (`revenue.lines`), summed over the trailing 12 months as the streams sum
them (`streams.analyse`), so bean-check, the CLI and the Fava page agree
without the plugin running the whole analysis.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO, amount
from beancount_freelance.core.revenue.lines import revenue_lines
from beancount_freelance.core.revenue.replacement import months_before

if TYPE_CHECKING:
    from beancount_freelance.core.question import Question
    from beancount_freelance.core.revenue.lines import RevenueLine


def max_share_errors(question: Question) -> list[FreelanceError]:
    """Clients above `max_share` of the last 12 months' revenue, at the last date.

    Each error points at the client's declaration, or for an undeclared client at
    its last revenue entry, so that bean-check prints `file:line`.
    """
    settings = question.config
    if settings.max_share is None or not question.scan.attributed:
        return []
    revenue, last = _trailing_year(question)
    total = sum(revenue.values(), ZERO)
    if total <= 0:
        return []
    limit = Decimal(str(settings.max_share))
    errors = []
    for client in sorted(revenue, key=lambda client: (-revenue[client], client)):
        if revenue[client] <= limit * total:
            continue
        declared = question.scan.book.clients.get(client)
        source = declared.source if declared is not None else None
        errors.append(
            FreelanceError(
                source or last[client].entry.meta,
                message(
                    N_(
                        "Client {client!r} brings {share} of the revenue of the 12 "
                        "months to {as_of} ({revenue} of {total} {currency}), above "
                        "max_share {max_share}"
                    ),
                    client=client,
                    share=f"{revenue[client] / total:.1%}",
                    as_of=question.as_of,
                    revenue=amount(revenue[client]),
                    total=amount(total),
                    currency=question.currency,
                    max_share=f"{settings.max_share:.1%}",
                ),
                None,
            )
        )
    return errors


def _trailing_year(
    question: Question,
) -> tuple[dict[str, Decimal], dict[str, RevenueLine]]:
    """Each client's revenue of the 12 months to `as_of` (as `streams.analyse`
    counts it: after the same day 12 months before, `select`ed lines only), and
    its last revenue line up to `as_of`."""
    scan, as_of, select = question.scan, question.as_of, question.select
    lines = revenue_lines(
        scan.attributed, scan.rates, question.currency, as_of, vat=scan.vat
    )
    after = months_before(as_of, 12)
    revenue: dict[str, Decimal] = {}
    last: dict[str, RevenueLine] = {}
    for line in lines.lines:
        client = line.client
        if client is None or line.date > as_of:
            continue
        last[client] = line
        if line.date > after and (select is None or select(line)):
            revenue[client] = revenue.get(client, ZERO) + line.revenue
    return revenue, last
