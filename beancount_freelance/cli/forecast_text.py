"""The text of what lies ahead: clients at risk, and `bean-clients forecast`.

`at_risk_text` opens `bean-clients report`; `forecast_text` is the forecast
command's table (month, recurring, one-off, total), the retention with its
sample, the run rates and how long relationships last. The words are
`beancount_freelance.text.outlook`'s, shared with the Fava page; amounts are
printed as the document spells them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from beancount_freelance.cli.text_report import table, wrapped
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

Document = Mapping[str, Any]


def at_risk_text(document: Document) -> str:
    """The clients at risk, the latest against its rhythm first; then a blank line.

    Nothing when none is at risk: the report then opens with its heading.
    """
    found = clients_at_risk(document)
    if not found:
        return ""
    lines = [wrapped(at_risk_heading(len(found), document["as_of"]), 0)]
    lines.extend(wrapped(at_risk_sentence(client), 2) for client in found)
    return "\n".join(lines) + "\n\n"


def _money(currency: str) -> Callable[[Decimal], str]:
    def formatted(value: Decimal) -> str:
        return f"{value} {currency}"

    return formatted


def forecast_text(
    document: Document, forecast: Mapping[str, Any], without: str | None = None
) -> str:
    """The 12 months ahead as a table, then the sentences that explain it."""
    currency = document["currency"]
    money = _money(currency)
    names = {c["id"]: c.get("name") or c["id"] for c in document["clients"]}
    heading = gettext(
        "Forecast for the 12 months after {as_of}, in {currency}, from every "
        "revenue line"
    ).format(as_of=document["as_of"], currency=currency)
    if without is not None:
        heading = gettext(
            "Forecast for the 12 months after {as_of} without {name}, in "
            "{currency}, from every revenue line"
        ).format(as_of=document["as_of"], name=names.get(without, without),
                 currency=currency)  # fmt: skip
    rows = [[gettext("Month"), gettext("Recurring"), gettext("One-off"),
             gettext("Total")]]  # fmt: skip
    rows.extend(
        [month["month"], month["recurring"], month["one_off"], month["total"]]
        for month in forecast["months"]
    )
    lines = [wrapped(heading, 0), ""]
    lines.extend(table(rows, [False, True, True, True]))
    lines.append("")
    name = names.get(without, without) if without is not None else None
    lines.append(wrapped(total_sentence(forecast, money, name), 0))
    lines.append(wrapped(retention_sentence(forecast, document["as_of"]), 0))
    rates = run_rate_names(forecast, names)
    if rates:
        lines.append(gettext("Run rates (a month, over the last 3 months at most):"))
        lines.extend(table([[f"  {n}", rate] for n, rate in rates], [False, True]))
    else:
        lines.append(gettext("No active regular client: no run rate to carry on."))
    lines.append(wrapped(one_off_sentence(forecast, money), 0))
    lines.append("")
    lines.append(wrapped(survival_sentence(document.get("survival") or {}), 0))
    return "\n".join(lines) + "\n"
