"""Income targets: Fava's own budgets on the income accounts, against the revenue.

    2016-01-01 custom "budget" Income:Clients "yearly" 30000.00 EUR

The budgets are read and spread over dates by Fava's own functions
(`fava.core.budgets`), so a target is the one Fava's Income Statement shows.
They are imported only when the ledger has budget directives (they bring
Flask), never on the plugin's path. Per budgeted income account: the target and
the revenue of the period and of the year to date, and what is left to earn per
remaining month; a total over the top-most budgeted accounts. The formulas are
in docs/metrics.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data

from beancount_freelance.core.dates import days_after, next_year_start
from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message
from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from fava.core.budgets import Budget

    from beancount_freelance.core.ledger.patterns import Pattern
    from beancount_freelance.core.revenue.lines import RevenueLine

__all__ = ["Target", "Targets", "targets"]

_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Target:
    """One budgeted income account (or the total, `account` None)."""

    account: str | None
    period_target: Decimal
    period_revenue: Decimal
    year_target: Decimal
    year_to_date: Decimal
    monthly_needed: Decimal | None  # None in December: no whole month is left


@dataclass(frozen=True)
class Targets:
    """Every budgeted income account, their total, and what was left out."""

    accounts: tuple[Target, ...] = ()
    total: Target | None = None
    warnings: tuple[FreelanceError, ...] = ()
    top_most: tuple[str, ...] = ()  # the accounts the total counts


def targets(
    budgets: Sequence[data.Custom],
    income: Pattern,
    currency: str,
    lines: Sequence[RevenueLine],
    as_of: datetime.date,
    period: tuple[datetime.date | None, datetime.date | None] = (None, None),
) -> Targets:
    """The targets of the budgets on income accounts, as of `as_of`.

    `lines`: every revenue line up to `as_of` (all clients, and none).
    `period`: the report period; without a start, the year to date.
    """
    if not budgets:
        return Targets()
    by_account, warnings = _read_budgets(budgets, income, currency)
    if not by_account:
        return Targets(warnings=tuple(warnings))
    year_start = datetime.date(as_of.year, 1, 1)
    start = period[0] or year_start
    end = min(period[1] or as_of, as_of)
    found = tuple(
        _target(by_account, account, lines, (start, end), year_start, as_of)
        for account in sorted(by_account)
    )
    top = [t for t in found if not _has_budgeted_parent(t.account or "", by_account)]
    total = Target(
        account=None,
        period_target=sum((t.period_target for t in top), ZERO),
        period_revenue=sum((t.period_revenue for t in top), ZERO),
        year_target=sum((t.year_target for t in top), ZERO),
        year_to_date=sum((t.year_to_date for t in top), ZERO),
        monthly_needed=None,
    )
    total = replace(total, monthly_needed=_needed(total, as_of))
    return Targets(found, total, tuple(warnings), tuple(t.account or "" for t in top))


def _read_budgets(
    budgets: Sequence[data.Custom], income: Pattern, currency: str
) -> tuple[dict[str, list[Budget]], list[FreelanceError]]:
    """Fava's budgets of the income accounts in `currency`, and the warnings."""
    from fava.core.budgets import parse_budgets

    by_account: dict[str, list[Budget]] = {}
    warnings: list[FreelanceError] = []
    for entry in budgets:
        # One at a time, so that each bad budget is named at its own line.
        try:
            parsed, errors = parse_budgets([entry])  # type: ignore[list-item]
            unread = bool(errors)
        except Exception:  # Fava's parser raises on some values it cannot read
            parsed, unread = {}, True
        if unread:
            warnings.append(_unread(entry))
            continue
        for account, items in parsed.items():
            if not isinstance(account, str) or not income.search(account):
                continue
            for budget in items:
                if budget.currency != currency:
                    warnings.append(_other_currency(entry, account, budget, currency))
                    continue
                by_account.setdefault(account, []).append(budget)
    for items in by_account.values():
        items.sort(key=lambda budget: budget.date_start)
    return by_account, warnings


def _target(
    by_account: Mapping[str, list[Budget]],
    account: str,
    lines: Sequence[RevenueLine],
    period: tuple[datetime.date, datetime.date],
    year_start: datetime.date,
    as_of: datetime.date,
) -> Target:
    # In the year 9999 the year ends on its last day, as in Fava's own budgets.
    year_end = next_year_start(as_of)
    found = Target(
        account=account,
        period_target=_budget(by_account, account, period[0], days_after(period[1], 1)),
        period_revenue=_revenue(lines, account, period[0], period[1]),
        year_target=_budget(by_account, account, year_start, year_end),
        year_to_date=_revenue(lines, account, year_start, as_of),
        monthly_needed=None,
    )
    return replace(found, monthly_needed=_needed(found, as_of))


def _budget(
    by_account: Mapping[str, list[Budget]],
    account: str,
    begin: datetime.date,
    end: datetime.date,
) -> Decimal:
    """Fava's budget of one account from `begin` to `end` (exclusive), as a target."""
    from fava.core.budgets import calculate_budget

    # Fava walks every day: before the first budget there is nothing to count.
    begin = max(begin, min(budget.date_start for budget in by_account[account]))
    if end <= begin:
        return ZERO
    spread = calculate_budget(dict(by_account), account, begin, end)
    return sum((abs(Decimal(value)) for value in spread.values()), ZERO)


def _revenue(
    lines: Sequence[RevenueLine],
    account: str,
    first: datetime.date,
    last: datetime.date,
) -> Decimal:
    """The revenue of the account and its sub-accounts from `first` to `last`."""
    below = account + ":"
    return sum(
        (
            line.revenue
            for line in lines
            if first <= line.date <= last
            and (line.account == account or line.account.startswith(below))
        ),
        ZERO,
    )


def _needed(target: Target, as_of: datetime.date) -> Decimal | None:
    """What is left of the year's target, per whole month after `as_of`'s month."""
    months_left = 12 - as_of.month
    if months_left == 0:
        return None
    return max(ZERO, target.year_target - target.year_to_date) / months_left


def _has_budgeted_parent(account: str, by_account: Mapping[str, Any]) -> bool:
    parent = account.rpartition(":")[0]
    while parent:
        if parent in by_account:
            return True
        parent = parent.rpartition(":")[0]
    return False


def _unread(entry: data.Custom) -> FreelanceError:
    return FreelanceError(
        entry.meta,
        message(
            N_(
                "Fava cannot read this budget; it is left out of the income "
                'targets: write `custom "budget" <account> "yearly" <amount> '
                '<currency>` (the period one of "daily", "weekly", "monthly", '
                '"quarterly", "yearly")'
            )
        ),
        None,
    )


def _other_currency(
    entry: data.Custom, account: str, budget: Budget, currency: str
) -> FreelanceError:
    return FreelanceError(
        entry.meta,
        message(
            N_(
                "The budget of {account} is in {budget_currency}, not in the "
                "reporting currency {currency}; it is left out of the income "
                "targets: write it in {currency}"
            ),
            account=account,
            budget_currency=budget.currency,
            currency=currency,
        ),
        None,
    )
