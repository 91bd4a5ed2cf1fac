"""The JSON document of an analysis (docs/metrics.md, "JSON rounding").

The CLI's `--json` and the Fava endpoint return this same document; the faces
format it and never recompute a number. Every JSON object of the package is
built in this package: the report here, the outlook, the receivables and
the plan in its modules, all with the one money formatter
(`core.money.amount`). Amounts are strings rounded to cents,
shares and rates are floats rounded to 4 decimals, dates are ISO strings.
"""

from __future__ import annotations

from beancount_freelance.core.document.outlook import (
    exact_amount,
    exact_rate,
    forecast_document,
    survival_document,
)
from beancount_freelance.core.document.plan import plan_document
from beancount_freelance.core.document.receivables import (
    client_receivables_document,
    invoices_document,
    overdue_document,
    unapplied_document,
)
from beancount_freelance.core.document.report import (
    client_document,
    endpoint_document,
    invoices_command_document,
    pipeline_command_document,
    report_document,
)
from beancount_freelance.core.document.streams import (
    replacement_document,
    to_document,
)
from beancount_freelance.core.document.values import share
from beancount_freelance.core.messages import warning_text

__all__ = [
    "client_document",
    "client_receivables_document",
    "endpoint_document",
    "exact_amount",
    "exact_rate",
    "forecast_document",
    "invoices_command_document",
    "invoices_document",
    "overdue_document",
    "pipeline_command_document",
    "plan_document",
    "replacement_document",
    "report_document",
    "share",
    "survival_document",
    "to_document",
    "unapplied_document",
    "warning_text",
]
