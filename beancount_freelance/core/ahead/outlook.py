"""What lies ahead of a portfolio, as one value: at risk, survival, forecast.

Every face reads the `Outlook` of a report (docs/metrics.md, "Ahead of the
loss"): each client's silence and whether it is at risk, the clients at risk in
order, how long regular relationships last, and the next twelve months. The
forecast without one client is asked of the same outlook, so that the CLI and
the page leave a client out the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.core.ahead.forecast import forecast
from beancount_freelance.core.ahead.risk import at_risk, clients_at_risk, days_silent
from beancount_freelance.core.ahead.risk import days_since_revenue as days_since
from beancount_freelance.core.ahead.survival import survival

if TYPE_CHECKING:
    from collections.abc import Mapping

    from beancount_freelance.core.ahead.forecast import Forecast
    from beancount_freelance.core.ahead.risk import AtRisk
    from beancount_freelance.core.ahead.survival import Survival
    from beancount_freelance.core.revenue.portfolio import Portfolio

__all__ = ["ClientOutlook", "Outlook", "forecast_without", "outlook_of"]


@dataclass(frozen=True)
class ClientOutlook:
    """One client's silence as of the report's date."""

    client: str
    days_since_revenue: int | None  # None for a prospect
    days_silent: int | None  # since the later of its last revenue and a comeback
    at_risk: bool


@dataclass(frozen=True)
class Outlook:
    """At risk, survival and forecast, all from every revenue line."""

    clients: Mapping[str, ClientOutlook]  # by client id, in the portfolio's order
    at_risk: tuple[AtRisk, ...]  # the latest against its own rhythm first
    survival: Survival
    forecast: Forecast

    def client(self, client_id: str) -> ClientOutlook:
        return self.clients[client_id]


def outlook_of(portfolio: Portfolio) -> Outlook:
    """The outlook of every client of `portfolio`, as of its `as_of`."""
    as_of = portfolio.as_of
    return Outlook(
        clients={
            stream.id: ClientOutlook(
                stream.id,
                days_since(stream, as_of),
                days_silent(stream, as_of),
                at_risk(stream, as_of),
            )
            for stream in portfolio.clients
        },
        at_risk=clients_at_risk(portfolio.clients, as_of),
        survival=survival(portfolio.clients),
        forecast=forecast(portfolio.clients, portfolio.history, as_of),
    )


def forecast_without(portfolio: Portfolio, client: str) -> Forecast:
    """The forecast with `client`'s run rate left out, retention unchanged.

    Raises `forecast.NoRunRate` when the client has no run rate to leave out.
    """
    return forecast(
        portfolio.clients, portfolio.history, portfolio.as_of, without=client
    )
