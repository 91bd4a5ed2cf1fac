"""Revenue lines: each attributed income posting, in the reporting currency.

Revenue is minus the income posting's amount (refunds and credit notes are
negative revenue). Another currency converts as `core.ledger.rates`
says (the posting's `@` price, else its cost, else the ledger's latest price on or
before the date); an amount that cannot be converted is a warning, never dropped
silently.
Pure functions, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data

from beancount_freelance.core.ledger.book import FreelanceError, Rule, posting_source
from beancount_freelance.core.messages import N_, message, message_n, verbatim

if TYPE_CHECKING:
    import datetime

    from beancount_freelance.core.ledger.attribution import Attributed
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.vat import VatRates


class RevenueLine(NamedTuple):
    """Revenue from one income posting, in the reporting currency.

    A named tuple, as `Attributed` is: one is made per income posting.
    """

    date: datetime.date
    client: str | None
    revenue: Decimal
    account: str
    entry: data.Transaction
    rule: Rule | None = None


@dataclass(frozen=True)
class VatNetted:
    """The income of one account counted net of the VAT it includes."""

    account: str
    rate: Decimal
    gross: Decimal
    net: Decimal
    postings: int


@dataclass(frozen=True)
class Revenue:
    """All revenue lines of a ledger and the amounts that could not be converted."""

    lines: tuple[RevenueLine, ...]
    warnings: tuple[FreelanceError, ...]  # grouped: one per commodity (and account)
    currency: str
    unconverted: int = 0  # income postings that no rate converts
    # What was netted of VAT (config `vat_included`, `open` metadata), by account.
    vat_included: tuple[VatNetted, ...] = ()


def revenue_lines(
    attributed: Iterable[Attributed],
    rates: Rates,
    currency: str,
    until: datetime.date | None = None,
    hours: Callable[[str], bool] | None = None,
    vat: VatRates | None = None,
) -> Revenue:
    """Convert each attributed income posting into revenue in `currency`.

    `rates.value` converts (an `@` price, a cost, else the ledger's prices). What
    cannot be converted is warned about, grouped: one warning per commodity that
    is not money (never priced anywhere), one per commodity and account for money
    without a rate; postings after `until` are converted but not warned about.
    """
    lines: list[RevenueLine] = []
    make = tuple.__new__  # as `RevenueLine._make` builds one, minus its checks
    failed: dict[tuple[str, str], _Unconverted] = {}
    unconverted = 0
    netted: dict[str, list[Decimal]] = {}
    for item in attributed:
        entry = item.entry
        posting = entry.postings[item.index]
        units = posting.units
        # The common case first: a posting in the reporting currency.
        if (
            units is not None
            and units.currency == currency
            and isinstance(units.number, Decimal)
        ):
            amount: Decimal | None = -units.number
        else:
            value = rates.value(posting, currency, entry.date)
            amount = None if value is None else -value
        if amount is None:
            unconverted += 1
            if (
                units is not None
                and (until is None or entry.date <= until)
                and (hours is None or not hours(units.currency))
            ):
                _add_failure(failed, posting, entry, rates)
            continue
        if vat:
            amount = _net(vat, posting.account, amount, netted)
        lines.append(
            make(
                RevenueLine,
                (entry.date, item.client, amount, posting.account, entry, item.rule),
            )
        )
    warnings = [group.warning(currency) for group in failed.values()]
    return Revenue(
        tuple(lines),
        tuple(warnings),
        currency,
        unconverted,
        _netted(netted, vat) if vat else (),
    )


def _net(
    vat: VatRates, account: str, gross: Decimal, netted: dict[str, list[Decimal]]
) -> Decimal:
    net = vat.net(account, gross)
    if net is None:
        return gross
    sums = netted.setdefault(account, [Decimal(0), Decimal(0), Decimal(0)])
    sums[0] += gross
    sums[1] += net
    sums[2] += 1
    return net


def _netted(netted: dict[str, list[Decimal]], vat: VatRates) -> tuple[VatNetted, ...]:
    return tuple(
        VatNetted(account, vat.rate_of(account) or Decimal(0), gross, net, int(count))
        for account, (gross, net, count) in sorted(netted.items())
    )


@dataclass
class _Unconverted:
    """Income postings of one commodity (and account, for money) not converted."""

    commodity: str
    money: bool
    first: tuple[data.Transaction, data.Posting]
    accounts: list[str] = field(default_factory=list)
    postings: int = 0
    total: Decimal = Decimal(0)

    def warning(self, currency: str) -> FreelanceError:
        entry, posting = self.first
        source = posting_source(entry, posting)
        if self.money:
            values = {
                "amount": f"{self.total} {self.commodity}",
                "currency": currency,
                "date": entry.date,
            }
            if self.postings > 1:
                text = message(
                    N_(
                        "Cannot convert {amount} to {currency} on {date} ({count} "
                        "income postings on {account} from that date on): add an "
                        "`@` price to the posting or a `price` directive on or "
                        "before that date"
                    ),
                    count=self.postings,
                    account=self.accounts[0],
                    **values,
                )
            else:
                text = message(
                    N_(
                        "Cannot convert {amount} to {currency} on {date}: add an "
                        "`@` price to the posting or a `price` directive on or "
                        "before that date"
                    ),
                    **values,
                )
        else:
            accounts = verbatim(", ".join(self.accounts[:3]))
            if len(self.accounts) > 3:
                accounts = message_n(
                    "{accounts} and {count} more",
                    "{accounts} and {count} more",
                    len(self.accounts) - 3,
                    accounts=accounts,
                )
            text = message_n(
                "{commodity} is not money: nothing prices it (no `price`, `@` "
                "price or cost); its {count} income posting on {accounts} is left "
                "out of the revenue. To leave it out of the income, narrow the "
                "config's `income` regex: {config}",
                "{commodity} is not money: nothing prices it (no `price`, `@` "
                "price or cost); its {count} income postings on {accounts} are "
                "left out of the revenue. To leave them out of the income, narrow "
                "the config's `income` regex: {config}",
                self.postings,
                commodity=self.commodity,
                accounts=accounts,
                config=verbatim(_income_without(self.accounts)),
            )
        return FreelanceError(source, text, entry)


def _add_failure(
    failed: dict[tuple[str, str], _Unconverted],
    posting: data.Posting,
    entry: data.Transaction,
    rates: Rates,
) -> None:
    units = posting.units
    if units is None:
        return
    commodity = str(units.currency)
    money = rates.is_priced(commodity)
    key = (commodity, posting.account if money else "")
    group = failed.get(key)
    if group is None:
        group = failed[key] = _Unconverted(commodity, money, (entry, posting))
    group.postings += 1
    if isinstance(units.number, Decimal):
        group.total += units.number
    if posting.account not in group.accounts:
        group.accounts.append(posting.account)


def _income_without(accounts: list[str]) -> str:
    """A ready `income` setting that leaves these accounts out of the income."""
    roots = {account.split(":", 1)[0] for account in accounts}
    root = min(roots) if len(roots) == 1 else "Income"
    left_out = "|".join(re.escape(a[len(root) + 1 :]) for a in sorted(accounts))
    return f"{{'income': '^{root}:(?!(?:{left_out})(:|$))'}}"
