"""Which payments and credit notes settle which invoice.

Finds the invoices of a ledger (a linked transaction that credits income and
debits a receivable) and applies to each the later transactions sharing one of
its links: payments and credit notes reduce its receivable balance, refunds raise
it, oldest invoice first when a link or a transfer covers several. The mutable
bookkeeping of `beancount_freelance.core.receivables`, which freezes the result as of a
date; every problem met on the way is kept, with the offending entry's metadata.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from beancount.core import data, prices
from beancount.core.amount import Amount
from beancount.core.position import Cost

from beancount_freelance.core.book import FreelanceError
from beancount_freelance.core.money import ZERO

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from beancount_freelance.core.config import Config

DUE_KEY = "due"


# --- Conversion --------------------------------------------------------------


class PriceLookup:
    """The ledger's prices, built on first use only (most ledgers need none)."""

    def __init__(self, entries: Sequence[data.Directive]) -> None:
        self._entries = entries
        self._map: prices.PriceMap | None = None

    def rate(self, base: str, quote: str, date: datetime.date) -> Decimal | None:
        """One `base` in `quote` on `date` (latest price on or before it)."""
        if base == quote:
            return Decimal(1)
        # beancount.core.prices has no annotations: its results are checked here.
        if self._map is None:
            self._map = prices.build_price_map(self._entries)  # type: ignore[no-untyped-call]
        _, rate = prices.get_price(self._map, (base, quote), date)  # type: ignore[no-untyped-call]
        return rate if isinstance(rate, Decimal) else None


def posting_rate(
    posting: data.Posting, currency: str, date: datetime.date, lookup: PriceLookup
) -> Decimal | None:
    """One unit of a posting in `currency`: its `@` price, its cost, else the ledger's.

    The same order as clients.revenue_lines converts revenue.
    """
    _, unit = units_of(posting)
    if unit == currency:
        return Decimal(1)
    for price in (posting.price, posting.cost):
        if (
            isinstance(price, (Amount, Cost))
            and price.currency == currency
            and isinstance(price.number, Decimal)
        ):
            return price.number
    return lookup.rate(unit, currency, date) if unit else None


def units_of(posting: data.Posting) -> tuple[Decimal, str]:
    """A posting's number and currency; zero for an incomplete posting."""
    units = posting.units
    if units is None or not isinstance(units.number, Decimal):
        return ZERO, ""
    return units.number, str(units.currency)


# --- Matching invoices and settlements ---------------------------------------


@dataclass(slots=True)
class TrackedInvoice:
    """An invoice while its settlements are applied, in its receivable's currency."""

    order: int
    entry: data.Transaction
    link: str
    client: str | None
    due: datetime.date
    posting: data.Posting
    currency: str
    amount: Decimal
    balance: Decimal
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    payments: int = 0
    settled: datetime.date | None = None

    def describe(self) -> str:
        return (
            f"Invoice ^{self.link} of {self.entry.date} ({self.amount} {self.currency})"
        )


@dataclass(frozen=True)
class Matching:
    """The invoices in issue order, and the problems met while matching."""

    invoices: tuple[TrackedInvoice, ...]
    problems: tuple[FreelanceError, ...]


class Linked(NamedTuple):
    """A linked transaction posting to a receivable, its postings read once."""

    entry: data.Transaction
    receivables: tuple[int, ...]  # indices of its receivable postings
    net: dict[str, Decimal]  # the receivable postings summed per currency
    debits_income: bool
    debits_receivable: bool  # some currency of `net` is debited
    credits_receivable: bool  # some currency of `net` is credited
    # The receivable posting it invoices: it credits income, and this first
    # debited receivable posting's currency nets a debit. None: a settlement.
    invoiced: data.Posting | None


def read_linked(
    entry: data.Transaction, receivables: tuple[int, ...], income: Iterable[int]
) -> Linked:
    """Read a transaction's receivable and income postings, given by index.

    A posting that matches both regexes counts as a receivable (scan.scan_ledger
    leaves it out of `income`). Runs once per linked transaction: kept flat, one
    receivable posting (the common case) read without a loop.
    """
    postings = entry.postings
    if len(receivables) == 1:
        posting = postings[receivables[0]]
        units = posting.units
        if units is not None and isinstance(units.number, Decimal):
            number, currency = units.number, str(units.currency)
        else:
            number, currency = ZERO, ""
        net = {currency: ZERO + number}
        debits_receivable = number > ZERO
        credits_receivable = number < ZERO
        invoiced = posting if debits_receivable else None
    else:
        net = {}
        first_debit: tuple[data.Posting, str] | None = None
        for index in receivables:
            posting = postings[index]
            number, currency = units_of(posting)
            net[currency] = net.get(currency, ZERO) + number
            if first_debit is None and number > 0:
                first_debit = (posting, currency)
        debits_receivable = any(number > 0 for number in net.values())
        credits_receivable = any(number < 0 for number in net.values())
        # The first debited posting's currency must net a debit.
        invoiced = None
        if first_debit is not None and net[first_debit[1]] > 0:
            invoiced = first_debit[0]
    credits = debits = False
    for index in income:
        units = postings[index].units
        if units is not None and isinstance(units.number, Decimal):
            credits = credits or units.number < ZERO
            debits = debits or units.number > ZERO
    return Linked(
        entry,
        receivables,
        net,
        debits,
        debits_receivable,
        credits_receivable,
        invoiced if credits else None,
    )


def match_invoices(
    linked: Iterable[Linked],
    config: Config,
    until: datetime.date | None,
    lookup: PriceLookup,
    clients: Mapping[int, str | None],
) -> Matching:
    """Find the invoices, then apply every settlement dated up to `until`.

    `linked`: the ledger's linked transactions that post to a receivable, in
    ledger order; `clients`: the client of each invoice, by the id() of its
    transaction (scan.scan_ledger reads both).
    """
    terms = datetime.timedelta(days=config.payment_terms_days)
    problems: list[FreelanceError] = []
    tracked: list[TrackedInvoice] = []
    by_link: dict[str, list[TrackedInvoice]] = {}
    settlements: list[Linked] = []
    debited_links: set[str] = set()
    for item in linked:
        entry = item.entry
        if until is not None and entry.date > until:
            continue
        posting = item.invoiced
        if posting is None:
            settlements.append(item)
            if item.debits_receivable:
                debited_links.update(entry.links)
            continue
        currency = units_of(posting)[1]
        amount = item.net[currency]
        links = entry.links
        due = entry.meta.get(DUE_KEY)
        invoice = TrackedInvoice(
            len(tracked),
            entry,
            min(links),
            clients.get(id(entry)),
            entry.date + terms if due is None else _due(entry, terms, problems),
            posting,
            currency,
            amount,
            amount,
        )
        tracked.append(invoice)
        # One link not seen before (the common case) needs no check.
        if len(links) == 1 and invoice.link not in by_link:
            by_link[invoice.link] = [invoice]
        else:
            _register(invoice, by_link, problems)
    for item in settlements:
        links = item.entry.links
        if len(links) == 1:
            invoices = by_link.get(next(iter(links)))
        else:
            group = {id(inv): inv for link in links for inv in by_link.get(link, ())}
            invoices = sorted(group.values(), key=lambda inv: inv.order)
        if invoices:
            _settle(item, invoices, lookup, problems)
        elif item.credits_receivable and not links & debited_links:
            # A linked receivable debit without revenue (re-invoiced expenses,
            # say) is no invoice, but its payments are no orphans either.
            problems.append(_orphan(item.entry))
    return Matching(tuple(tracked), tuple(problems))


def _orphan(entry: data.Transaction) -> FreelanceError:
    links = " ".join(f"^{link}" for link in sorted(entry.links))
    return FreelanceError(
        entry.meta,
        f"Payment {links} credits a receivable but no invoice carries that link; "
        "check the link against the invoice's",
        entry,
    )


def _due(
    entry: data.Transaction,
    payment_terms: datetime.timedelta,
    problems: list[FreelanceError],
) -> datetime.date:
    value = entry.meta.get(DUE_KEY)
    if value is None:
        return entry.date + payment_terms
    if isinstance(value, datetime.date):
        return value
    terms = entry.date + payment_terms
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(
        FreelanceError(
            entry.meta,
            f"The due: metadata must be a date, as `due: 2016-04-30`, not {value!r}; "
            f"using the payment terms ({terms})",
            entry,
        )
    )
    return terms


def _register(
    invoice: TrackedInvoice,
    by_link: dict[str, list[TrackedInvoice]],
    problems: list[FreelanceError],
) -> None:
    reported = False
    links = invoice.entry.links
    for link in links if len(links) == 1 else sorted(links):
        earlier = by_link.setdefault(link, [])
        if earlier and not reported:
            first = earlier[0].entry.meta
            problems.append(
                FreelanceError(
                    invoice.entry.meta,
                    f"Link ^{link} already marks the invoice of {earlier[0].entry.date}"
                    f" ({first.get('filename')}:{first.get('lineno')}); give each "
                    "invoice its own link (payments go to the oldest open one first)",
                    invoice.entry,
                )
            )
            reported = True
        earlier.append(invoice)


def _settle(
    linked: Linked,
    invoices: list[TrackedInvoice],
    lookup: PriceLookup,
    problems: list[FreelanceError],
) -> None:
    """Apply one payment, credit note or refund to the invoices of its links."""
    entry = linked.entry
    if len(invoices) == 1:  # the common case, without the lists
        eligible = invoices if invoices[0].entry.date <= entry.date else []
    else:
        eligible = [inv for inv in invoices if inv.entry.date <= entry.date]
    if not eligible:
        problems.append(
            FreelanceError(
                entry.meta,
                f"Payment dated {entry.date}, before {invoices[0].describe()}; "
                "check the date or the link",
                entry,
            )
        )
        return
    currency = eligible[0].currency
    if len(eligible) > 1:
        eligible = [inv for inv in eligible if inv.currency == currency]
    net = linked.net
    if len(net) == 1 and currency in net:
        amount = net[currency]  # each posting at a rate of 1: their sum
    else:
        amount = _amount_in(linked, currency, lookup, problems)
    payment = not linked.debits_income
    if amount < 0 and len(eligible) == 1:
        _reduce(eligible[0], -amount, entry, payment, problems)
    elif amount < 0:
        _reduce_oldest_first(eligible, -amount, entry, payment, problems)
    elif amount > 0:
        target = next((i for i in reversed(eligible) if i.balance < 0), eligible[-1])
        target.balance += amount
        if payment:
            target.paid -= amount
        else:
            target.credited -= amount
        if target.balance > 0:
            target.settled = None


def _amount_in(
    linked: Linked,
    currency: str,
    lookup: PriceLookup,
    problems: list[FreelanceError],
) -> Decimal:
    """The entry's receivable postings in the invoice's currency."""
    entry = linked.entry
    total = ZERO
    for index in linked.receivables:
        posting = entry.postings[index]
        rate = posting_rate(posting, currency, entry.date, lookup)
        if rate is None:
            problems.append(
                FreelanceError(
                    entry.meta,
                    f"Cannot convert {posting.units} to the invoice's {currency} on "
                    f"{entry.date}: add an `@` price or a `price` directive",
                    entry,
                )
            )
            continue
        total += units_of(posting)[0] * rate
    return total


def _reduce_oldest_first(
    invoices: list[TrackedInvoice],
    amount: Decimal,
    entry: data.Transaction,
    payment: bool,
    problems: list[FreelanceError],
) -> None:
    targets = [inv for inv in invoices if inv.balance > 0] or invoices[-1:]
    for invoice in targets[:-1]:
        share = min(amount, invoice.balance)
        _reduce(invoice, share, entry, payment, problems)
        amount -= share
        if amount <= 0:
            return
    _reduce(targets[-1], amount, entry, payment, problems)


def _reduce(
    invoice: TrackedInvoice,
    share: Decimal,
    entry: data.Transaction,
    payment: bool,
    problems: list[FreelanceError],
) -> None:
    before = invoice.balance
    invoice.balance -= share
    if payment:
        invoice.paid += share
        invoice.payments += 1
    else:
        invoice.credited += share
    if before > 0 >= invoice.balance:
        invoice.settled = entry.date
    if before >= 0 > invoice.balance:
        problems.append(
            FreelanceError(
                entry.meta,
                f"{invoice.describe()} is {_settled_text(invoice)}: "
                f"{-invoice.balance} {invoice.currency} more than its amount; check "
                "the amounts or the link",
                entry,
            )
        )


def _settled_text(invoice: TrackedInvoice) -> str:
    paid = f"paid {invoice.paid} {invoice.currency}"
    if not invoice.credited:
        return paid
    return f"{paid} and credited {invoice.credited} {invoice.currency}"
