"""What lies ahead, in words, for every face: at risk, how long, next year.

`bean-clients` and the Fava Clients page say the same sentences about the
clients at risk, the survival curve and the forecast: they word the report's
outlook (`core.ahead.outlook`) with the functions here. Nothing is computed:
counts are said as they are, amounts and rates rounded as the document rounds
them.

Every sentence is whole, with named placeholders, and every count picks its
singular or plural form through `ngettext`, so that a translation catalogue can
take them over as they are (`gettext` and `ngettext` say them in the language
in use, through `beancount_freelance.i18n`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance import i18n
from beancount_freelance.core.ahead.forecast import HORIZON_MONTHS
from beancount_freelance.core.money import amount, exact_cents, exact_rate

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from decimal import Decimal

    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.ahead.outlook import ClientOutlook
    from beancount_freelance.core.ahead.survival import Survival
    from beancount_freelance.core.report import Report
    from beancount_freelance.core.revenue.portfolio import ClientStream

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


def at_risk_sentence(client: ClientStream, silence: ClientOutlook) -> str:
    """`Dubois usually brings revenue every 30 days; nothing for 52 days.`

    Revenue dates are invoice dates in accrual books: the sentence says
    "brings revenue", never "pays". A silence counted from a `client-back`
    says so.
    """
    name = client.name or client.id
    cadence = count_days(client.cadence_days or 0)
    silent = silence.days_silent
    since = silence.days_since_revenue
    if silent is not None and since is not None and silent < since:
        return gettext(
            "{name} usually brings revenue every {cadence}; nothing since it "
            "came back {silence} ago."
        ).format(name=name, cadence=cadence, silence=count_days(silent))
    return gettext(
        "{name} usually brings revenue every {cadence}; nothing for {silence}."
    ).format(name=name, cadence=cadence, silence=count_days(silent or 0))


def clients_at_risk(report: Report) -> list[tuple[ClientStream, ClientOutlook]]:
    """The clients at risk and their silence, the latest against its rhythm first."""
    outlook = report.outlook
    found = []
    for item in outlook.at_risk:
        client = report.client(item.client)
        if client is not None:
            found.append((client, outlook.client(item.client)))
    return found


# --- How long relationships last ----------------------------------------------


def survival_sample(survival: Survival) -> str:
    """`12 relationships, 5 ended`."""
    ended = survival.ended
    return gettext("{relationships}, {ended}").format(
        relationships=count_relationships(survival.relationships),
        ended=ngettext("{count} ended", "{count} ended", ended).format(count=ended),
    )


def survival_sentence(survival: Survival) -> str:
    """`Half of your regular relationships had ended by 14 months (12 …, 5 ended).`"""
    if not survival.relationships:
        return gettext(
            "No regular client yet, so how long relationships last cannot be measured."
        )
    median = survival.median_months
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


def retention_sentence(forecast: Forecast, as_of: str) -> str:
    """The monthly retention and the sample it comes from."""
    sample = forecast.retention
    months = sample.months
    if not months:
        return gettext(
            "Monthly retention taken as 100 %: no regular client in the "
            "{lookback} months to {as_of}."
        ).format(lookback=RETENTION_LOOKBACK_MONTHS, as_of=as_of)
    ended = sample.ended
    return gettext(
        "Monthly retention {retention}: {ended} in {months} with {clients} over "
        "the {lookback} months to {as_of}."
    ).format(
        retention=percent(exact_rate(sample.monthly)),
        ended=ngettext(
            "{count} relationship ended", "{count} relationships ended", ended
        ).format(count=ended),
        months=count_months(months),
        clients=ngettext(
            "one regular client", "{count} regular clients", sample.clients
        ).format(count=sample.clients),
        lookback=RETENTION_LOOKBACK_MONTHS,
        as_of=as_of,
    )


def one_off_sentence(forecast: Forecast, money: Callable[[Decimal], str]) -> str:
    """The one-off average and how many clients it comes from."""
    clients = forecast.one_off_clients
    return ngettext(
        "One-off work: {amount} a month, the last 12 months' average (one client).",
        "One-off work: {amount} a month, the last 12 months' average "
        "({count} clients).",
        clients,
    ).format(amount=money(exact_cents(forecast.one_off_monthly)), count=clients)


def total_sentence(
    forecast: Forecast,
    money: Callable[[Decimal], str],
    name: str | None = None,
) -> str:
    """What the next 12 months bring, with or without one client."""
    total = money(exact_cents(forecast.next_12_months))
    if name is None:
        said = gettext("If things go on, the next 12 months bring {total}.").format(
            total=total
        )
    else:
        said = gettext(
            "Without {name}, and everything else going on, the next 12 months "
            "bring {total}."
        ).format(name=name, total=total)
    if len(forecast.months) < HORIZON_MONTHS and forecast.stops_at_calendar_end:
        said += " " + gettext(
            "The calendar ends with December 9999: the forecast stops there."
        )
    return said


def run_rate_names(
    forecast: Forecast, names: Mapping[str, str]
) -> Sequence[tuple[str, str]]:
    """(client name, run rate in cents) of each active regular client, by name."""
    rates = sorted(forecast.run_rates.items())
    return sorted(
        (
            (names.get(client, client), amount(exact_cents(rate)))
            for client, rate in rates
        ),
        key=lambda item: item[0].casefold(),
    )
