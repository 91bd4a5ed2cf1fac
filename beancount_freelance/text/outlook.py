"""What lies ahead, in words, for every face: at risk, how long, next year.

`bean-clients` and the Fava Clients page say the same sentences about the
clients at risk, the survival curve and the forecast: they word the document's
keys (`at_risk_clients`, `survival`, `forecast`) with the functions here.
Nothing is computed: counts and amounts are said as the document holds them.

Every sentence is whole, with named placeholders, and every count picks its
singular or plural form through `ngettext`, so that a translation catalogue can
take them over as they are (`gettext` and `ngettext` say them in the language
in use, through `beancount_freelance.i18n`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount_freelance import i18n
from beancount_freelance.core.ahead.forecast import HORIZON_MONTHS

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
#: How far back the retention looks (docs/metrics.md).
RETENTION_LOOKBACK_MONTHS = 24


def gettext(message: str) -> str:
    """The translation of `message` in the language in use (i18n)."""
    return i18n._(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, translated (i18n)."""
    return i18n.ngettext(singular, plural, count)


def count_days(count: float) -> str:
    """`1 day`, `30 days`, `30.5 days`."""
    shown = int(count) if float(count).is_integer() else count
    return ngettext("{count} day", "{count} days", int(count)).format(count=shown)


def count_months(count: int) -> str:
    return ngettext("{count} month", "{count} months", count).format(count=count)


def count_clients(count: int) -> str:
    return ngettext("{count} client", "{count} clients", count).format(count=count)


def count_relationships(count: int) -> str:
    return ngettext("{count} relationship", "{count} relationships", count).format(
        count=count
    )


def percent(rate: float) -> str:
    """A rate in [0, 1] as a percent with one decimal: `99.2 %`."""
    return gettext("{value} %").format(value=f"{rate * 100:.1f}")


# --- At risk --------------------------------------------------------------------


def at_risk_heading(count: int, as_of: str) -> str:
    """`On 2017-12-31, 2 regular clients are later than usual.`"""
    if count == 0:
        return gettext("On {as_of}, no regular client is later than usual.").format(
            as_of=as_of
        )
    return ngettext(
        "On {as_of}, one regular client is later than usual.",
        "On {as_of}, {count} regular clients are later than usual.",
        count,
    ).format(as_of=as_of, count=count)


def at_risk_sentence(client: Mapping[str, Any]) -> str:
    """`Dubois usually brings revenue every 30 days; nothing for 52 days.`

    Revenue dates are invoice dates in accrual books: the sentence says
    "brings revenue", never "pays". A silence counted from a `client-back`
    says so.
    """
    name = client.get("name") or client["id"]
    cadence = count_days(client["cadence_days"])
    silent = client.get("days_silent")
    since = client.get("days_since_revenue")
    if silent is not None and since is not None and silent < since:
        return gettext(
            "{name} usually brings revenue every {cadence}; nothing since it "
            "came back {silence} ago."
        ).format(name=name, cadence=cadence, silence=count_days(silent))
    return gettext(
        "{name} usually brings revenue every {cadence}; nothing for {silence}."
    ).format(name=name, cadence=cadence, silence=count_days(silent or 0))


def clients_at_risk(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The document's clients at risk, in the document's `at_risk_clients` order."""
    by_id = {client["id"]: client for client in document.get("clients", [])}
    return [by_id[i] for i in document.get("at_risk_clients", []) if i in by_id]


# --- How long relationships last ----------------------------------------------


def survival_sample(survival: Mapping[str, Any]) -> str:
    """`12 relationships, 5 ended`."""
    ended = survival.get("events", 0)
    return gettext("{relationships}, {ended}").format(
        relationships=count_relationships(survival.get("n", 0)),
        ended=ngettext("{count} ended", "{count} ended", ended).format(count=ended),
    )


def survival_sentence(survival: Mapping[str, Any]) -> str:
    """`Half of your regular relationships had ended by 14 months (12 …, 5 ended).`"""
    if not survival.get("n"):
        return gettext(
            "No regular client yet, so how long relationships last cannot be measured."
        )
    median = survival.get("median_months")
    sample = survival_sample(survival)
    if median is None:
        return gettext(
            "Fewer than half of your regular relationships have ended so far "
            "({sample})."
        ).format(sample=sample)
    return gettext(
        "Half of your regular relationships had ended by {months} ({sample})."
    ).format(months=count_months(median), sample=sample)


# --- The next twelve months ---------------------------------------------------


def retention_sentence(forecast: Mapping[str, Any], as_of: str) -> str:
    """The monthly retention and the sample it comes from."""
    sample = forecast.get("retention_sample") or {}
    months = sample.get("months", 0)
    if not months:
        return gettext(
            "Monthly retention taken as 100 %: no regular client in the "
            "{lookback} months to {as_of}."
        ).format(lookback=RETENTION_LOOKBACK_MONTHS, as_of=as_of)
    ended = sample.get("ended", 0)
    return gettext(
        "Monthly retention {retention}: {ended} in {months} with {clients} over "
        "the {lookback} months to {as_of}."
    ).format(
        retention=percent(forecast["monthly_retention"]),
        ended=ngettext(
            "{count} relationship ended", "{count} relationships ended", ended
        ).format(count=ended),
        months=count_months(months),
        clients=ngettext(
            "one regular client", "{count} regular clients", sample.get("clients", 0)
        ).format(count=sample.get("clients", 0)),
        lookback=RETENTION_LOOKBACK_MONTHS,
        as_of=as_of,
    )


def one_off_sentence(
    forecast: Mapping[str, Any], money: Callable[[Decimal], str]
) -> str:
    """The one-off average and how many clients it comes from."""
    clients = forecast.get("one_off_clients", 0)
    return ngettext(
        "One-off work: {amount} a month, the last 12 months' average (one client).",
        "One-off work: {amount} a month, the last 12 months' average "
        "({count} clients).",
        clients,
    ).format(amount=money(Decimal(forecast["one_off_monthly"])), count=clients)


def total_sentence(
    forecast: Mapping[str, Any],
    money: Callable[[Decimal], str],
    name: str | None = None,
) -> str:
    """What the next 12 months bring, with or without one client."""
    total = money(Decimal(forecast["next_12_months"]))
    if name is None:
        said = gettext("If things go on, the next 12 months bring {total}.").format(
            total=total
        )
    else:
        said = gettext(
            "Without {name}, and everything else going on, the next 12 months "
            "bring {total}."
        ).format(name=name, total=total)
    months = forecast.get("months")
    if months is not None and len(months) < HORIZON_MONTHS:
        said += " " + gettext(
            "The calendar ends with December 9999: the forecast stops there."
        )
    return said


def run_rate_names(
    forecast: Mapping[str, Any], names: Mapping[str, str]
) -> Sequence[tuple[str, str]]:
    """(client name, run rate) of each active regular client, by name."""
    rates = forecast.get("run_rates") or {}
    return sorted(
        ((names.get(client, client), rate) for client, rate in rates.items()),
        key=lambda item: item[0].casefold(),
    )
