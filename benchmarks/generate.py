"""Generate a realistic, deterministic freelance ledger for the benchmarks.

    python benchmarks/generate.py --transactions 50000 --clients 150 --years 10 \
        --seed 7 -o /tmp/ledger.beancount

The ledger is what a freelancer's books look like after some years: monthly
retainers and one-off projects, clients lost (`custom "client-lost"`) and won back
(`custom "client-back"`), invoices booked to `Assets:AccountsReceivable` with an
`^invoice-…` link and paid later (some late, some in two parts, a few reduced by
a credit note), payments received directly, expenses, and two currencies (EUR and
USD, with monthly `price` directives and some `@` prices). Some clients are
declared with a payee regex and paid on a shared `Income:Freelance` account.

With `--hours` (docs/time.md), about a third of the clients paid in euros keep a
stock of hours (hours worked into `Assets:Time:<client>` a few days before each
invoice, taken out by the invoice), and a fifth of the others say their hours
with `hours:` on the revenue transaction.

The same arguments always give the same text, and the ledger loads with the
`beancount_freelance.plugin` without any error: every loss follows revenue, no
revenue follows a loss without a return, every regex matches one client only.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
from dataclasses import dataclass, field

PREFIXES = [
    "Atelier",
    "Studio",
    "Cabinet",
    "Maison",
    "Agence",
    "Groupe",
    "Bureau",
    "Clinique",
    "Librairie",
    "Cafe",
    "Boutique",
    "Ecole",
    "Ferme",
    "Galerie",
    "Garage",
    "Hotel",
    "Pharmacie",
    "Theatre",
]
SURNAMES = [
    "Lefevre",
    "Moreau",
    "Dubois",
    "Garnier",
    "Rousseau",
    "Blanc",
    "Faure",
    "Girard",
    "Bonnet",
    "Lambert",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Muller",
    "Schmidt",
    "Weber",
    "Fischer",
    "Becker",
    "Hoffmann",
    "Rossi",
    "Bianchi",
    "Romano",
    "Novak",
    "Kowalski",
    "Larsen",
    "Jansen",
    "Peeters",
    "Smith",
    "Taylor",
    "Walker",
    "Hughes",
    "Baker",
    "Carter",
    "Murphy",
    "Kelly",
]
EXPENSES = (
    ("Expenses:Software", "Adobe|Figma|Notion|Canva|Hootsuite", 900, 9000),
    ("Expenses:Coworking", "La Cordee|Morning|WeWork", 15000, 35000),
    ("Expenses:Telecom", "Free Mobile|Orange|Bouygues", 1000, 6000),
    ("Expenses:Travel", "SNCF|Uber|Air France|Lime", 300, 45000),
    ("Expenses:Meals", "Boulangerie|Bistrot du Coin|Monop", 350, 6000),
    ("Expenses:Hardware", "Apple|Fnac|LDLC", 2000, 180000),
    ("Expenses:Bank:Fees", "Qonto|Shine", 500, 2900),
    ("Expenses:Training", "Udemy|OpenClassrooms", 1200, 40000),
    ("Expenses:Insurance", "Hiscox|AXA", 2000, 9000),
)
LEDGER_END_YEAR = 2025
FAVA_EXTENSION = "beancount_freelance.fava_extension"


@dataclass
class Client:
    """One generated client and the dates it brings revenue."""

    id: str
    name: str
    currency: str
    amount: int  # cents, a typical invoice
    payee_regex: str | None = None
    declared: bool = False
    retainer: bool = False
    hours: str | None = None  # "stock" or "metadata" (with --hours)
    revenue_days: list[datetime.date] = field(default_factory=list)
    events: list[tuple[datetime.date, str]] = field(default_factory=list)

    @property
    def account(self) -> str:
        return "Income:Freelance" if self.payee_regex else f"Income:Clients:{self.id}"


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


class Generator:
    """Builds the ledger text; one random generator seeded once."""

    def __init__(
        self,
        transactions: int,
        clients: int,
        years: int,
        seed: int,
        *,
        fava: bool,
        hours: bool = False,
    ) -> None:
        if transactions < 1 or clients < 1 or years < 1:
            raise ValueError("transactions, clients and years must be at least 1")
        if clients * 4 > transactions:
            raise ValueError(
                f"{transactions} transactions are too few for {clients} clients; "
                "give at least 4 transactions per client"
            )
        self.random = random.Random(seed)
        self.fava = fava
        self.transactions = transactions
        self.years = years
        self.start = datetime.date(LEDGER_END_YEAR - years + 1, 1, 1)
        self.end = datetime.date(LEDGER_END_YEAR, 12, 31)
        self.months = 12 * years
        self.clients = [self._client(index) for index in range(clients)]
        if hours:
            self._hours()
        self.lines: list[tuple[datetime.date, int, str]] = []
        self.count = 0  # transactions written
        self.usd_eur = self._usd_rates()

    # --- clients and their schedules -----------------------------------------

    def _client(self, index: int) -> Client:
        prefix = PREFIXES[index % len(PREFIXES)]
        # Shifting by the prefix mixes the names; each pair still comes once a lap.
        shift = index // len(PREFIXES) + 7 * (index % len(PREFIXES))
        surname = SURNAMES[shift % len(SURNAMES)]
        lap = index // (len(PREFIXES) * len(SURNAMES))
        client_id = f"{prefix}{surname}" + (str(lap + 1) if lap else "")
        name = f"{prefix} {surname}" + (f" {lap + 1}" if lap else "")
        rnd = self.random
        usd = rnd.random() < 0.2
        client = Client(
            id=client_id,
            name=name,
            currency="USD" if usd else "EUR",
            amount=rnd.randrange(40, 600) * 1000,
            declared=rnd.random() < 0.6,
        )
        if client.declared and rnd.random() < 0.25:
            upper = name.upper()
            client.payee_regex = f"^(VIR SEPA )?{upper}( SARL)?$"
        return client

    def _hours(self) -> None:
        """Which clients record hours, and how (drawn after the clients, so that
        a ledger without hours is the same text as before)."""
        for client in self.clients:
            draw = self.random.random()
            if client.currency == "EUR" and draw < 0.35:
                client.hours = "stock"
            elif draw > 0.8:
                client.hours = "metadata"

    def worked(self, client: Client, cents: int) -> int:
        """Hours of work for an amount: about 45 to 90 EUR an hour."""
        return max(1, round(cents / 100 / self.random.uniform(45, 90)))

    def with_hours(
        self, day: datetime.date, client: Client, cents: int, text: str
    ) -> str:
        """A revenue transaction's text with its hours: `hours:` metadata, or
        the hours out of the client's stock (worked a few days before)."""
        if client.hours is None:
            return text
        hours = self.worked(client, cents)
        if client.hours == "metadata":
            head, _, rest = text.partition("\n")
            return f"{head}\n  hours: {hours}\n{rest}"
        worked_on = max(self.start, day - datetime.timedelta(days=5))
        self.add(
            worked_on,
            f'{worked_on} * "{client.name}" "Hours worked"\n'
            f"  Assets:Time:{client.id}  {hours} H\n  Equity:Time",
        )
        return f"{text}\n  Assets:Time:{client.id}  -{hours} H\n  Equity:Time:Billed"

    def month_day(self, month: int, day: int) -> datetime.date:
        year, month0 = divmod(month, 12)
        return datetime.date(self.start.year + year, month0 + 1, day)

    def schedule(self) -> int:
        """Give each client its revenue dates and events; the revenue count."""
        budget = max(len(self.clients), round(self.transactions * 0.3))
        weights = [self.random.uniform(0.3, 3.0) for _ in self.clients]
        total = sum(weights)
        for client, weight in zip(self.clients, weights, strict=True):
            count = max(1, round(budget * weight / total))
            client.retainer = count >= 6 and self.random.random() < 0.5
            if client.retainer:
                self._retainer(client, count)
            else:
                self._project(client, count)
        return sum(len(client.revenue_days) for client in self.clients)

    def _retainer(self, client: Client, count: int) -> None:
        rnd = self.random
        day = rnd.randint(1, 28)
        # A long relationship is a stretch of the books, not all of them.
        monthly = min(count, rnd.randint(max(6, self.months // 3), self.months))
        segments = [monthly]
        if monthly >= 8 and rnd.random() < 0.35:  # lost, then won back
            first = rnd.randint(3, monthly - 3)
            segments = [first, monthly - first]
        gaps = [rnd.randint(3, 18) for _ in segments[1:]]
        span = sum(segments) + sum(gaps)
        if span > self.months:
            segments, gaps, span = [monthly], [], monthly
        month = rnd.randint(0, self.months - span)
        for index, length in enumerate(segments):
            dates = [self.month_day(month + k, day) for k in range(length)]
            month += length
            if index:
                back = dates[0] - datetime.timedelta(days=rnd.randint(0, 10))
                client.events.append((back, "back"))
            client.revenue_days.extend(dates)
            if index < len(segments) - 1:
                month += gaps[index]
                self._lose(client, dates[-1], force=True)
        extras = count - monthly
        since, until = client.revenue_days[0], client.revenue_days[-1]
        for _ in range(extras):
            self._add_between(client, since, until)
        self._maybe_lose(client, 0.6)

    def _add_between(
        self, client: Client, first: datetime.date, last: datetime.date
    ) -> None:
        """An extra invoice inside one of the client's active stretches."""
        while True:
            day = first + datetime.timedelta(
                days=self.random.randint(0, (last - first).days)
            )
            if self.active_on(client, day):
                client.revenue_days.append(day)
                return

    @staticmethod
    def active_on(client: Client, day: datetime.date) -> bool:
        state = "back"
        for event_day, kind in client.events:
            if event_day < day or (kind == "back" and event_day == day):
                state = kind
        return state == "back"

    def _project(self, client: Client, count: int) -> None:
        rnd = self.random
        days = (self.end - self.start).days
        span = min(days, count * rnd.randint(25, 90))
        first = self.start + datetime.timedelta(days=rnd.randint(0, days - span))
        client.revenue_days = sorted(
            first + datetime.timedelta(days=rnd.randint(0, span)) for _ in range(count)
        )
        self._maybe_lose(client, 0.15)

    def _maybe_lose(self, client: Client, chance: float) -> None:
        last = max(client.revenue_days)
        if (self.end - last).days > 60 and self.random.random() < chance:
            self._lose(client, last, force=False)

    def _lose(self, client: Client, last: datetime.date, *, force: bool) -> None:
        limit = (self.end - last).days
        days = self.random.randint(1 if force else 5, max(1, min(25, limit)))
        client.events.append((last + datetime.timedelta(days=days), "lost"))

    # --- writing -------------------------------------------------------------

    def add(self, day: datetime.date, text: str, *, transaction: bool = True) -> None:
        self.lines.append((day, len(self.lines), text))
        self.count += transaction

    def _usd_rates(self) -> list[int]:
        """One USD→EUR rate per month, in 1/10,000 EUR, a bounded random walk."""
        rate, rates = 9000, []
        for _ in range(self.months):
            rate = min(11500, max(7800, rate + self.random.randint(-250, 250)))
            rates.append(rate)
        return rates

    def rate(self, day: datetime.date) -> int:
        return self.usd_eur[(day.year - self.start.year) * 12 + day.month - 1]

    def header(self) -> str:
        opened = (self.start - datetime.timedelta(days=1)).isoformat()
        accounts = [
            "Assets:Bank:EUR EUR",
            "Assets:Bank:USD USD",
            "Assets:AccountsReceivable",
            "Income:Freelance",
            "Income:Interest EUR",
            "Equity:Opening-Balances",
            *sorted({account for account, *_ in EXPENSES}),
            *(f"Income:Clients:{c.id}" for c in self.clients if c.payee_regex is None),
        ]
        stocks = [f"Assets:Time:{c.id}" for c in self.clients if c.hours == "stock"]
        if stocks:
            accounts.extend(["Equity:Time", "Equity:Time:Billed", *stocks])
        lines = [
            'option "title" "Generated freelance ledger"',
            'option "operating_currency" "EUR"',
            'plugin "beancount_freelance.plugin"',
            "",
            *(f"{opened} open {account}" for account in accounts),
            "",
            f"{opened} commodity USD",
        ]
        if self.fava:
            lines.append(f'{opened} custom "fava-extension" "{FAVA_EXTENSION}"')
        for client in self.clients:
            if not client.declared:
                continue
            lines.append(f'{opened} custom "client" "{client.id}" "{client.name}"')
            if client.payee_regex:
                lines.append(f'  payee: "{client.payee_regex}"')
            lines.append(f'  kind: "{"retainer" if client.retainer else "project"}"')
        return "\n".join(lines) + "\n"

    def prices(self) -> None:
        for month, rate in enumerate(self.usd_eur):
            day = self.month_day(month, 1)
            self.add(day, f"{day} price USD {rate / 10000:.4f} EUR", transaction=False)

    def events(self) -> None:
        notes = {"lost": "Budget cut; moving to an agency", "back": ""}
        for client in self.clients:
            for day, kind in client.events:
                note = f' "{notes[kind]}"' if notes[kind] else ""
                self.add(
                    day,
                    f'{day} custom "client-{kind}" "{client.id}"{note}',
                    transaction=False,
                )

    def revenue(self) -> None:
        items = sorted(
            (day, index, client)
            for index, client in enumerate(self.clients)
            for day in client.revenue_days
        )
        serials: dict[int, int] = {}
        for day, _, client in items:
            cents = max(5000, round(client.amount * self.random.uniform(0.8, 1.25)))
            payee = self.payee(client)
            if self.random.random() < 0.7:
                serials[day.year] = serials.get(day.year, 0) + 1
                self.invoice(day, client, payee, cents, serials[day.year])
            else:
                self.received(day, client, payee, cents)

    def payee(self, client: Client) -> str:
        if client.payee_regex is None:
            return client.name
        variant = self.random.choice(("{}", "VIR SEPA {}", "{} SARL"))
        return variant.format(client.name.upper())

    def income_posting(self, client: Client, cents: int, price: str = "") -> str:
        meta = ""
        if client.payee_regex is None and self.random.random() < 0.03:
            meta = f'\n    client: "{client.id}"'
        return f"  {client.account}  {money(-cents)} {client.currency}{price}{meta}"

    def invoice(
        self, day: datetime.date, client: Client, payee: str, cents: int, serial: int
    ) -> None:
        number = f"{day.year}-{serial:04d}"
        link = f"^invoice-{number}"
        due = day + datetime.timedelta(days=30)
        cur = client.currency
        self.add(
            day,
            self.with_hours(
                day,
                client,
                cents,
                f'{day} * "{payee}" "Invoice {number}" {link}\n'
                f'  invoice: "{number}"\n  due: {due}\n'
                f"  Assets:AccountsReceivable  {money(cents)} {cur}\n"
                f"{self.income_posting(client, cents)}",
            ),
        )
        rnd = self.random
        if rnd.random() < 0.02:  # a credit note for a tenth of the invoice
            credit = cents // 10
            cents -= credit
            self.add(
                day + datetime.timedelta(days=5),
                f'{day + datetime.timedelta(days=5)} * "{payee}" '
                f'"Credit note on invoice {number}" {link}\n'
                f"  Assets:AccountsReceivable  {money(-credit)} {cur}\n"
                f"  {client.account}  {money(credit)} {cur}",
            )
        draw = rnd.random()
        if draw < 0.10:  # paid in two parts
            first = cents // 2
            parts = [
                (rnd.randint(20, 40), first),
                (rnd.randint(60, 120), cents - first),
            ]
        elif draw < 0.25:  # late
            parts = [(rnd.randint(45, 150), cents)]
        else:
            parts = [(rnd.randint(7, 30), cents)]
        if self.left_unpaid():
            return
        for delay, part in parts:
            paid = day + datetime.timedelta(days=delay)
            if paid > self.end:
                break  # still open at the end of the books
            self.add(
                paid,
                f'{paid} * "{payee}" "Payment of invoice {number}" {link}\n'
                f"  Assets:Bank:{cur}  {money(part)} {cur}\n"
                f"  Assets:AccountsReceivable  {money(-part)} {cur}",
            )

    def left_unpaid(self) -> bool:
        """Whether an invoice is never paid (benchmarks/shapes.py overrides it)."""
        return False

    def received(
        self, day: datetime.date, client: Client, payee: str, cents: int
    ) -> None:
        """Revenue paid straight to the bank (no invoice booked)."""
        if client.currency == "USD" and self.random.random() < 0.5:
            price = f" @ {self.rate(day) / 10000:.4f} EUR"
            self.add(
                day,
                f'{day} * "{payee}" "Payment received, converted"\n'
                f"  Assets:Bank:EUR\n{self.income_posting(client, cents, price)}",
            )
            return
        cur = client.currency
        self.add(
            day,
            self.with_hours(
                day,
                client,
                cents,
                f'{day} * "{payee}" "Payment received"\n'
                f"  Assets:Bank:{cur}  {money(cents)} {cur}\n"
                f"{self.income_posting(client, cents)}",
            ),
        )

    def others(self) -> None:
        """Interest once a year, then expenses until the count is reached."""
        for year in range(self.start.year, self.end.year + 1):
            day = datetime.date(year, 12, 31)
            cents = self.random.randint(500, 9000)
            self.add(
                day,
                f'{day} * "Bank" "Interest"\n'
                f"  Assets:Bank:EUR  {money(cents)} EUR\n"
                f"  Income:Interest  {money(-cents)} EUR",
            )
        days = (self.end - self.start).days
        rnd = self.random
        while self.count < self.transactions:
            day = self.start + datetime.timedelta(days=rnd.randint(0, days))
            account, vendors, low, high = rnd.choice(EXPENSES)
            payee = rnd.choice(vendors.split("|"))
            cents = rnd.randint(low, high)
            draw = rnd.random()
            if draw < 0.10:  # billed in USD, paid from the EUR account
                price = f" @ {self.rate(day) / 10000:.4f} EUR"
                body = f"  {account}  {money(cents)} USD{price}\n  Assets:Bank:EUR"
            elif draw < 0.15:
                body = (
                    f"  {account}  {money(cents)} USD\n"
                    f"  Assets:Bank:USD  {money(-cents)} USD"
                )
            else:
                body = (
                    f"  {account}  {money(cents)} EUR\n"
                    f"  Assets:Bank:EUR  {money(-cents)} EUR"
                )
            self.add(day, f'{day} * "{payee}" "{account.split(":")[-1]}"\n{body}')

    def ledger(self) -> str:
        self.schedule()
        self.prices()
        self.events()
        self.revenue()
        if self.count > self.transactions:
            raise ValueError(
                f"{self.count} revenue transactions exceed the {self.transactions} "
                "asked; give more transactions or fewer clients"
            )
        self.others()
        self.lines.sort()
        body = "\n\n".join(text for _, _, text in self.lines)
        return f"{self.header()}\n{body}\n"


def generate(
    transactions: int,
    clients: int,
    years: int,
    seed: int = 0,
    *,
    fava: bool = False,
    hours: bool = False,
) -> str:
    """The ledger text for these arguments; the same arguments, the same text.

    `fava` adds the `custom "fava-extension"` line of the Clients page; `hours`
    the hours of some clients (a stock of hours, `hours:` metadata).
    """
    return Generator(
        transactions, clients, years, seed, fava=fava, hours=hours
    ).ledger()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--fava", action="store_true", help="enable the Fava Clients page"
    )
    parser.add_argument(
        "--hours", action="store_true", help="record hours for some clients"
    )
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        text = generate(
            args.transactions,
            args.clients,
            args.years,
            args.seed,
            fava=args.fava,
            hours=args.hours,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
