"""Invoices and their payments: who pays, how late, and what is still owed.

An invoice is a transaction carrying a link that books revenue (an income posting
credited) against a receivable account (config `receivables`) debited. Later
transactions with one of its links that post to a receivable settle it: a
payment when they credit the receivable, a credit note when they also debit
income. The invoice is paid when its receivable balance reaches zero; it is due on
its `due:` metadata, else on its date plus config `payment_terms_days`. Pure
functions over Beancount's entries, as of a date: no I/O, never "today".
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data, prices
from beancount.core.amount import Amount
from beancount.core.position import Cost

from beancount_freelance.clients import (
    FreelanceError,
    attribute,
    read_book,
    reporting_currency,
)
from beancount_freelance.config import ledger_config

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from beancount_freelance.config import Config

AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
DUE_KEY = "due"
ZERO = Decimal(0)
CENT = Decimal("0.01")


# --- Values ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Invoice:
    """One invoice and what became of it by `as_of`, in its receivable's currency."""

    link: str
    client: str | None
    date: datetime.date
    due: datetime.date
    currency: str
    amount: Decimal
    credited: Decimal
    paid_amount: Decimal
    balance: Decimal
    settled: datetime.date | None
    payments: int
    rate: Decimal | None
    entry: data.Transaction

    @property
    def paid(self) -> bool:
        """Its balance reached zero, and at least one payment went into it."""
        return self.settled is not None and self.payments > 0

    @property
    def cancelled(self) -> bool:
        """Credit notes alone brought its balance to zero: nothing was to be paid."""
        return self.settled is not None and self.payments == 0

    @property
    def days_to_pay(self) -> int | None:
        return (self.settled - self.date).days if self.paid and self.settled else None

    @property
    def on_time(self) -> bool | None:
        if not self.paid or self.settled is None:
            return None
        return self.settled <= self.due

    def days_late(self, as_of: datetime.date) -> int:
        """Days past due at `as_of` while open; an invoice due on `as_of` is 0."""
        return max(0, (as_of - self.due).days) if self.settled is None else 0

    @property
    def open(self) -> Decimal | None:
        """What is still owed, in the reporting currency (None: no rate)."""
        if self.settled is not None:
            return ZERO
        return None if self.rate is None else self.balance * self.rate


@dataclass(frozen=True, slots=True)
class ClientReceivables:
    """One client's invoices as of a date; amounts in the reporting currency."""

    client: str
    invoices: int = 0
    paid: int = 0
    on_time: int = 0
    days_to_pay: tuple[int, ...] = ()
    open: Decimal = ZERO
    overdue: Decimal = ZERO
    aging: tuple[Decimal, ...] = (ZERO,) * len(AGING_BUCKETS)

    @property
    def paid_on_time_share(self) -> float | None:
        return self.on_time / self.paid if self.paid else None

    @property
    def days_to_pay_avg(self) -> float | None:
        return statistics.fmean(self.days_to_pay) if self.days_to_pay else None

    @property
    def days_to_pay_median(self) -> float | None:
        if not self.days_to_pay:
            return None
        return float(statistics.median(self.days_to_pay))


@dataclass(frozen=True)
class Receivables:
    """Every invoice of a ledger as of a date, per client, and the overdue ones."""

    as_of: datetime.date
    currency: str
    invoices: tuple[Invoice, ...]
    clients: tuple[ClientReceivables, ...]
    overdue: tuple[Invoice, ...]
    warnings: tuple[FreelanceError, ...]

    def client(self, client_id: str) -> ClientReceivables:
        """A client's figures; zeros for a client with no invoice."""
        for item in self.clients:
            if item.client == client_id:
                return item
        return ClientReceivables(client_id)

    def invoices_of(self, client_id: str) -> tuple[Invoice, ...]:
        return tuple(inv for inv in self.invoices if inv.client == client_id)


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
class _Tracked:
    """An invoice while its settlements are applied."""

    order: int
    entry: data.Transaction
    client: str | None
    due: datetime.date
    posting: data.Posting
    amount: Decimal
    balance: Decimal
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    payments: int = 0
    settled: datetime.date | None = None

    @property
    def currency(self) -> str:
        return units_of(self.posting)[1]

    @property
    def link(self) -> str:
        return min(self.entry.links)

    def describe(self) -> str:
        return (
            f"Invoice ^{self.link} of {self.entry.date} ({self.amount} {self.currency})"
        )


@dataclass(frozen=True)
class _Matching:
    invoices: tuple[_Tracked, ...]
    problems: tuple[FreelanceError, ...]
    warnings: tuple[FreelanceError, ...]


@dataclass(frozen=True)
class _Accounts:
    receivable: Callable[[str], Any]
    income: Callable[[str], Any]

    def net(self, entry: data.Transaction) -> dict[str, Decimal]:
        """The entry's receivable postings summed per currency."""
        totals: dict[str, Decimal] = {}
        for posting in entry.postings:
            if self.receivable(posting.account):
                number, currency = units_of(posting)
                totals[currency] = totals.get(currency, ZERO) + number
        return totals

    def books_income(self, entry: data.Transaction, sign: int) -> bool:
        """Whether the entry credits (sign -1) or debits (sign 1) an income account."""
        return any(
            self.income(p.account) and units_of(p)[0] * sign > 0 for p in entry.postings
        )


def _match(
    entries: Sequence[data.Directive],
    config: Config,
    until: datetime.date | None,
    lookup: PriceLookup,
) -> _Matching:
    """Find the invoices, then apply every settlement dated up to `until`."""
    accounts = _Accounts(config.receivables_re.search, config.income_re.search)
    candidates = [
        entry
        for entry in entries
        if isinstance(entry, data.Transaction)
        and entry.links
        and (until is None or entry.date <= until)
        and any(accounts.receivable(posting.account) for posting in entry.postings)
    ]
    clients = _invoice_clients(entries, candidates, config)
    problems: list[FreelanceError] = []
    warnings: list[FreelanceError] = []
    tracked: list[_Tracked] = []
    by_link: dict[str, list[_Tracked]] = {}
    settlements: list[data.Transaction] = []
    debited_links: set[str] = set()
    for entry in candidates:
        invoice = _as_invoice(entry, accounts, config, warnings)
        if invoice is None:
            settlements.append(entry)
            if any(number > 0 for number in accounts.net(entry).values()):
                debited_links.update(entry.links)
            continue
        invoice.order = len(tracked)
        invoice.client = clients.get(id(entry))
        tracked.append(invoice)
        _register(invoice, by_link, problems)
    for entry in settlements:
        group = {id(inv): inv for link in entry.links for inv in by_link.get(link, ())}
        if group:
            invoices = sorted(group.values(), key=lambda inv: inv.order)
            _settle(entry, invoices, accounts, lookup, problems, warnings)
        elif any(n < 0 for n in accounts.net(entry).values()) and not (
            entry.links & debited_links
        ):
            links = " ".join(f"^{link}" for link in sorted(entry.links))
            problems.append(
                FreelanceError(
                    entry.meta,
                    f"Payment {links} credits a receivable but no invoice carries "
                    "that link; check the link against the invoice's",
                    entry,
                )
            )
    return _Matching(tuple(tracked), tuple(problems), tuple(warnings))


def _invoice_clients(
    entries: Iterable[data.Directive],
    candidates: Sequence[data.Transaction],
    config: Config,
) -> dict[int, str | None]:
    """The client of each candidate's first attributed income credit."""
    book, _ = read_book(entries)
    clients: dict[int, str | None] = {}
    for item in attribute(candidates, book, config).postings:
        if units_of(item.posting)[0] < 0 and clients.get(id(item.entry)) is None:
            clients[id(item.entry)] = item.client
    return clients


def _as_invoice(
    entry: data.Transaction,
    accounts: _Accounts,
    config: Config,
    warnings: list[FreelanceError],
) -> _Tracked | None:
    if not accounts.books_income(entry, -1):
        return None
    net = accounts.net(entry)
    for posting in entry.postings:
        number, currency = units_of(posting)
        if accounts.receivable(posting.account) and number > 0:
            amount = net[currency]
            if amount <= 0:
                return None
            due = _due(entry, config, warnings)
            return _Tracked(0, entry, None, due, posting, amount, amount)
    return None


def _due(
    entry: data.Transaction, config: Config, warnings: list[FreelanceError]
) -> datetime.date:
    terms = entry.date + datetime.timedelta(days=config.payment_terms_days)
    value = entry.meta.get(DUE_KEY)
    if value is None or isinstance(value, datetime.date):
        return terms if value is None else value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    warnings.append(
        FreelanceError(
            entry.meta,
            f"The due: metadata must be a date, as `due: 2016-04-30`, not {value!r}; "
            f"using the payment terms ({terms})",
            entry,
        )
    )
    return terms


def _register(
    invoice: _Tracked,
    by_link: dict[str, list[_Tracked]],
    problems: list[FreelanceError],
) -> None:
    reported = False
    for link in sorted(invoice.entry.links):
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
    entry: data.Transaction,
    invoices: list[_Tracked],
    accounts: _Accounts,
    lookup: PriceLookup,
    problems: list[FreelanceError],
    warnings: list[FreelanceError],
) -> None:
    """Apply one payment, credit note or refund to the invoices of its links."""
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
    eligible = [inv for inv in eligible if inv.currency == currency]
    amount = _amount_in(entry, accounts, currency, lookup, warnings)
    payment = not accounts.books_income(entry, 1)
    if amount < 0:
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
    entry: data.Transaction,
    accounts: _Accounts,
    currency: str,
    lookup: PriceLookup,
    warnings: list[FreelanceError],
) -> Decimal:
    """The entry's receivable postings in the invoice's currency."""
    total = ZERO
    for posting in entry.postings:
        if not accounts.receivable(posting.account):
            continue
        rate = posting_rate(posting, currency, entry.date, lookup)
        if rate is None:
            warnings.append(
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
    invoices: list[_Tracked],
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
    invoice: _Tracked,
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
                f"{invoice.describe()} is paid {invoice.paid} {invoice.currency} "
                f"and credited {invoice.credited}: {-invoice.balance} more than its "
                "amount; check the amounts or the link",
                entry,
            )
        )


# --- The analysis ------------------------------------------------------------


def analyse_receivables(
    entries: Sequence[data.Directive],
    options_map: Mapping[str, Any],
    *,
    as_of: datetime.date,
    currency: str | None = None,
    config: Config | None = None,
) -> Receivables:
    """Every invoice issued up to `as_of`, with the settlements dated up to it."""
    config = config or ledger_config(options_map)
    currency = reporting_currency(options_map, currency)
    lookup = PriceLookup(entries)
    matching = _match(entries, config, as_of, lookup)
    warnings = list(matching.warnings)
    invoices = tuple(
        _frozen(tracked, currency, lookup, warnings) for tracked in matching.invoices
    )
    counted = [inv for inv in invoices if inv.client is not None]
    overdue = sorted(
        (
            inv
            for inv in counted
            if inv.days_late(as_of) > 0 and inv.open is not None and inv.open > 0
        ),
        key=lambda inv: (-inv.days_late(as_of), inv.date, inv.link),
    )
    return Receivables(
        as_of=as_of,
        currency=currency,
        invoices=invoices,
        clients=_per_client(counted, as_of),
        overdue=tuple(overdue),
        warnings=tuple(warnings),
    )


def _frozen(
    tracked: _Tracked,
    currency: str,
    lookup: PriceLookup,
    warnings: list[FreelanceError],
) -> Invoice:
    entry = tracked.entry
    rate = None
    if tracked.settled is None or tracked.currency == currency:
        rate = posting_rate(tracked.posting, currency, entry.date, lookup)
    if rate is None and tracked.settled is None:
        warnings.append(
            FreelanceError(
                entry.meta,
                f"{tracked.describe()} cannot be valued in {currency}: add an `@` "
                "price to its receivable posting or a `price` directive; its open "
                "amount is left out",
                entry,
            )
        )
    if tracked.client is None:
        warnings.append(
            FreelanceError(
                entry.meta,
                f"{tracked.describe()} books revenue that belongs to no client; it is "
                'left out of the receivables (add `client: "<id>"`)',
                entry,
            )
        )
    return Invoice(
        link=tracked.link,
        client=tracked.client,
        date=entry.date,
        due=tracked.due,
        currency=tracked.currency,
        amount=tracked.amount,
        credited=tracked.credited,
        paid_amount=tracked.paid,
        balance=tracked.balance,
        settled=tracked.settled,
        payments=tracked.payments,
        rate=rate,
        entry=entry,
    )


def _per_client(
    invoices: Iterable[Invoice], as_of: datetime.date
) -> tuple[ClientReceivables, ...]:
    grouped: dict[str, list[Invoice]] = {}
    for invoice in invoices:
        if invoice.client is not None and not invoice.cancelled:
            grouped.setdefault(invoice.client, []).append(invoice)
    return tuple(
        _client_figures(client, grouped[client], as_of) for client in sorted(grouped)
    )


def _client_figures(
    client: str, invoices: list[Invoice], as_of: datetime.date
) -> ClientReceivables:
    paid = [inv for inv in invoices if inv.paid]
    aging = [ZERO] * len(AGING_BUCKETS)
    overdue = ZERO
    for invoice in invoices:
        amount = invoice.open
        if invoice.settled is not None or amount is None:
            continue
        late = invoice.days_late(as_of)
        aging[_bucket(late)] += amount
        if late > 0:
            overdue += amount
    return ClientReceivables(
        client=client,
        invoices=len(invoices),
        paid=len(paid),
        on_time=sum(1 for inv in paid if inv.on_time),
        days_to_pay=tuple(inv.days_to_pay or 0 for inv in paid),
        open=sum(aging, ZERO),
        overdue=overdue,
        aging=tuple(aging),
    )


def _bucket(days_late: int) -> int:
    """Index in AGING_BUCKETS: current, 1-30, 31-60, 61-90, 90+ days past due."""
    for index, limit in enumerate((0, 30, 60, 90)):
        if days_late <= limit:
            return index
    return len(AGING_BUCKETS) - 1


# --- The JSON document and the plugin check -----------------------------------


def cents(amount: Decimal) -> str:
    """An amount as the contract writes it: a string rounded to cents."""
    return str(amount.quantize(CENT) + ZERO)


def client_receivables_document(
    receivables: Receivables, client_id: str
) -> dict[str, Any]:
    """The `receivables` object of one client in the JSON document."""
    item = receivables.client(client_id)
    share = item.paid_on_time_share
    average = item.days_to_pay_avg
    return {
        "invoices": item.invoices,
        "paid": item.paid,
        "paid_on_time_share": None if share is None else round(share, 4),
        "days_to_pay_avg": None if average is None else round(average, 2),
        "days_to_pay_median": item.days_to_pay_median,
        "open": cents(item.open),
        "overdue": cents(item.overdue),
        "aging": {
            bucket: cents(amount)
            for bucket, amount in zip(AGING_BUCKETS, item.aging, strict=True)
        },
    }


def overdue_document(receivables: Receivables) -> list[dict[str, Any]]:
    """The document's `overdue_invoices`: most days late first."""
    as_of = receivables.as_of
    return [
        {
            "client": invoice.client,
            "link": invoice.link,
            "date": invoice.date.isoformat(),
            "due": invoice.due.isoformat(),
            "days_late": invoice.days_late(as_of),
            "open": cents(invoice.open or ZERO),
        }
        for invoice in receivables.overdue
    ]


def link_errors(
    entries: Sequence[data.Directive],
    options_map: Mapping[str, Any],
    config: Config,
) -> list[FreelanceError]:
    """The opt-in `check_links` check of the plugin, over the whole ledger.

    Reports a payment whose link matches no invoice, a payment dated before its
    invoice, an invoice paid (or credited) more than its amount, a link shared by
    two invoices, an unreadable `due:` and a settlement that cannot be converted.
    """
    del options_map  # same signature as the plugin's other checks; nothing needed
    matching = _match(entries, config, None, PriceLookup(entries))
    problems = [*matching.problems, *matching.warnings]
    return sorted(problems, key=_position)


def _position(error: FreelanceError) -> tuple[str, int]:
    return str(error.source.get("filename", "")), int(error.source.get("lineno", 0))
