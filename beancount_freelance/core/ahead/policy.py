"""Opt-in policies checked by the plugin: `max_share` (docs/ledger.md).

    plugin "beancount_freelance.plugin" "{'max_share': 0.5}"

An error for each client whose trailing 12-month share of revenue exceeds
`max_share` at the last date of the ledger. The share comes from the analysis
core (`streams.analyse`), so bean-check, the CLI and the Fava page agree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import amount
from beancount_freelance.core.revenue.streams import analyse

if TYPE_CHECKING:
    from beancount_freelance.core.question import Question


def max_share_errors(question: Question) -> list[FreelanceError]:
    """Clients above `max_share` of the last 12 months' revenue, at the last date.

    Each error points at the client's declaration, or for an undeclared client at
    its last revenue entry, so that bean-check prints `file:line`.
    """
    settings = question.config
    if settings.max_share is None or not question.scan.attributed:
        return []
    portfolio = analyse(question)
    total = portfolio.totals.revenue_t12m
    if total <= 0:
        return []
    limit = Decimal(str(settings.max_share))
    errors = []
    for client in portfolio.clients:
        if client.revenue_t12m <= limit * total:
            continue
        source = client.source or data.new_metadata(question.filename, 0)
        share = client.revenue_t12m / total
        errors.append(
            FreelanceError(
                source,
                message(
                    N_(
                        "Client {client!r} brings {share} of the revenue of the 12 "
                        "months to {as_of} ({revenue} of {total} {currency}), above "
                        "max_share {max_share}"
                    ),
                    client=client.id,
                    share=f"{share:.1%}",
                    as_of=portfolio.as_of,
                    revenue=amount(client.revenue_t12m),
                    total=amount(total),
                    currency=portfolio.currency,
                    max_share=f"{settings.max_share:.1%}",
                ),
                None,
            )
        )
    return errors
