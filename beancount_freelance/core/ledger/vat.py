"""Income booked with VAT inside: which accounts, at which rate.

A German freelancer's books often credit `Erlöse` with the gross amount; the
rate is said once, by the config's `vat_included` (`[(account regex, rate)]`) or
by the income account's `open` metadata (`vat_included: "19%"`, which covers its
sub-accounts). The config wins. The revenue lines take the net of such a
posting (`core.revenue.lines`). Pure values; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.book import FreelanceError, shown
from beancount_freelance.core.ledger.config_values import config_pattern, vat_rate
from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from collections.abc import Iterable

    from beancount_freelance.core.ledger.config import Config

__all__ = ["VAT_KEY", "VatRates", "vat_rates"]

VAT_KEY = "vat_included"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class VatRates:
    """The VAT rate included in each income account's postings, if any."""

    configured: tuple[tuple[str, Decimal], ...] = ()
    opened: dict[str, Decimal] = field(default_factory=dict)
    problems: tuple[FreelanceError, ...] = ()
    _memo: dict[str, Decimal | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __bool__(self) -> bool:
        return bool(self.configured or self.opened)

    def rate_of(self, account: str) -> Decimal | None:
        """The rate: the first config pair whose regex finds the account, else
        the `open` metadata of the account or of its nearest parent."""
        try:
            return self._memo[account]
        except KeyError:
            pass
        rate = next(
            (
                rate
                for pattern, rate in self.configured
                if config_pattern(VAT_KEY, pattern).search(account)
            ),
            None,
        )
        candidate = account
        while rate is None and candidate:
            rate = self.opened.get(candidate)
            candidate = candidate.rpartition(":")[0]
        self._memo[account] = rate
        return rate

    def net(self, account: str, gross: Decimal) -> Decimal | None:
        """The net of a gross amount on the account, to the cent; None when the
        account holds no VAT."""
        rate = self.rate_of(account)
        if rate is None:
            return None
        return (gross / (1 + rate)).quantize(CENT)


def vat_rates(opens: Iterable[data.Open], config: Config) -> VatRates:
    """The rates of the config and of the `open` directives' metadata."""
    opened: dict[str, Decimal] = {}
    problems: list[FreelanceError] = []
    for entry in opens:
        value = entry.meta.get(VAT_KEY) if entry.meta else None
        if value is None:
            continue
        rate = vat_rate(value)
        if rate is None:
            problems.append(
                FreelanceError(
                    entry.meta,
                    message(
                        N_(
                            "The open of {account} has vat_included: {value}, not "
                            'a rate; write `vat_included: "19%"` (or "0.19", or '
                            "19); its income is counted gross"
                        ),
                        account=entry.account,
                        value=shown(value),
                    ),
                    entry,
                )
            )
            continue
        opened[entry.account] = rate
    return VatRates(config.vat_included, opened, tuple(problems))
