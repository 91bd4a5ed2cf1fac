"""The text of what lies ahead: clients at risk, and `bean-clients forecast`.

`at_risk_text` opens `bean-clients report`; `forecast_text` is the forecast
command's table (month, recurring, one-off, total), the retention with its
sample, the run rates and how long relationships last. The words are
`beancount_freelance.text.outlook`'s, shared with the Fava page; they read
the report's typed outlook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.cli.text_report import table, wrapped
from beancount_freelance.core.money import amount, exact_cents
from beancount_freelance.text.outlook import (
    at_risk_heading,
    at_risk_sentence,
    clients_at_risk,
    gettext,
    one_off_sentence,
    retention_sentence,
    run_rate_names,
    survival_sentence,
    total_sentence,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.report import Report


def at_risk_text(report: Report) -> str:
    """The clients at risk, the latest against its rhythm first; then a blank line.

    Nothing when none is at risk: the report then opens with its heading.
    """
    found = clients_at_risk(report)
    if not found:
        return ""
    as_of = report.as_of.isoformat()
    lines = [wrapped(at_risk_heading(len(found), as_of), 0)]
    lines.extend(wrapped(at_risk_sentence(*client), 2) for client in found)
    return "\n".join(lines) + "\n\n"


def _money(currency: str) -> Callable[[Decimal], str]:
    def formatted(value: Decimal) -> str:
        return f"{value} {currency}"

    return formatted


def forecast_text(
    report: Report, forecast: Forecast, without: str | None = None
) -> str:
    """The 12 months ahead as a table, then the sentences that explain it."""
    currency = report.currency
    as_of = report.as_of.isoformat()
    money = _money(currency)
    names = report.names
    name = names.get(without, without) if without is not None else None
    heading = gettext(
        "Forecast for the 12 months after {as_of}, in {currency}, from every "
        "revenue line"
    ).format(as_of=as_of, currency=currency)
    if name is not None:
        heading = gettext(
            "Forecast for the 12 months after {as_of} without {name}, in "
            "{currency}, from every revenue line"
        ).format(as_of=as_of, name=name, currency=currency)
    rows = [[gettext("Month"), gettext("Recurring"), gettext("One-off"),
             gettext("Total")]]  # fmt: skip
    rows.extend(
        [month.month, *(amount(exact_cents(value)) for value in (
            month.recurring, month.one_off, month.total))]
        for month in forecast.months
    )  # fmt: skip
    lines = [wrapped(heading, 0), ""]
    lines.extend(table(rows, [False, True, True, True]))
    lines.append("")
    lines.append(wrapped(total_sentence(forecast, money, name), 0))
    lines.append(wrapped(retention_sentence(forecast, as_of), 0))
    rates = run_rate_names(forecast, names)
    if rates:
        lines.append(gettext("Run rates (a month, over the last 3 months at most):"))
        lines.extend(table([[f"  {n}", rate] for n, rate in rates], [False, True]))
    else:
        lines.append(gettext("No active regular client: no run rate to carry on."))
    lines.append(wrapped(one_off_sentence(forecast, money), 0))
    lines.append("")
    lines.append(wrapped(survival_sentence(report.outlook.survival), 0))
    return "\n".join(lines) + "\n"
