"""What an importer needs to know about the clients, read from the existing ledger.

A `ClientDirectory` is built from the entries already in the books (never from the
entries being imported, which are not facts yet), read as the plugin reads them
(`reading.read_ledger`): the client declarations, who paid under which payee
before, which income account each client's revenue went to last, the invoices
(transactions debiting a receivable, with a `^link` or `invoice:` metadata), and
the clients the books carry through a receivable (`carried`). The importers and
the hook ask it one question each: which client is this, and which account gets
the money. A new entry's income is attributed by the core's `attribute`, called
from `attributed` here only. `booked_invoices` lists what a re-imported register
would duplicate.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from beancount.core import data

from beancount_freelance.core.ledger.book import CLIENT_KEY, ClientBook
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.ledger.reading import (
    Attribution,
    attribute,
    read_ledger,
)
from beancount_freelance.core.ledger.receivable_accounts import ReceivableAccounts
from beancount_freelance.core.messages import quoted
from beancount_freelance.importers.carried import (
    CarriedClients,
    compact,
    read_receivables,
)
from beancount_freelance.importers.columns import ERROR_KEY

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

INVOICE_KEY = "invoice"
# Invoice numbers shorter than this are not looked for in narrations ("12" would
# match any number); links are always looked for.
MIN_NUMBER_LENGTH = 4
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.]*[A-Za-z0-9]")
_NO_ACCOUNT = r"[^\s\S]"  # a pattern no account matches (RE2 has no lookahead)


def attributed(
    entries: Iterable[data.Directive], book: ClientBook, config: Config
) -> Attribution:
    """The core's attribution of every income posting: the one call the importers
    make to it, so that they attribute as the plugin does.

    Income left without a client is not an error here: the importers go on to
    find its client themselves, or flag it.
    """
    quiet = dataclasses.replace(config, require_client=_NO_ACCOUNT)
    return attribute(entries, book, quiet)


@dataclass(frozen=True)
class BookedInvoice:
    """An invoice already in the books (or in the same import run)."""

    number: str | None
    links: frozenset[str]
    client: str | None
    receivable: str
    entry: data.Transaction


@dataclass(frozen=True)
class ClientMatch:
    """The client found for a line, how it was found, or why none was."""

    client: str | None
    rule: str
    problem: str = ""


@dataclass(frozen=True)
class ClientDirectory:
    """The clients of a ledger, and how to recognise them in imported lines."""

    book: ClientBook
    config: Config = field(default_factory=Config)
    payees: Mapping[str, frozenset[str]] = field(default_factory=dict)
    last_account: Mapping[str, str] = field(default_factory=dict)
    invoices: Mapping[str, BookedInvoice] = field(default_factory=dict)
    receivables: CarriedClients = field(
        default_factory=lambda: CarriedClients({}, {}, {})
    )

    @classmethod
    def from_entries(
        cls, entries: Iterable[data.Directive], config: Config | None = None
    ) -> ClientDirectory:
        """Read the directory from the entries already in the books."""
        settings = config or Config()
        ledger = list(entries)
        # The books read as the plugin reads them; income without a client is
        # not an error here (see `attributed`).
        reading = read_ledger(ledger, settings)
        book = reading.book
        attribution = Attribution(
            tuple(item for items in reading.attributed() for item in items), ()
        )
        payees: dict[str, set[str]] = {}
        last_account: dict[str, str] = {}
        for item in attribution.postings:
            if item.client is None:
                continue
            last_account[item.client] = item.posting.account
            if item.entry.payee:
                payees.setdefault(_normal(item.entry.payee), set()).add(item.client)
        directory = cls(
            book,
            settings,
            {payee: frozenset(ids) for payee, ids in payees.items()},
            last_account,
            receivables=read_receivables(ledger, attribution, settings),
        )
        return directory.with_invoices(ledger)

    def with_invoices(self, entries: Iterable[data.Directive]) -> ClientDirectory:
        """The same directory, knowing the invoices among `entries` as well."""
        invoices = dict(self.invoices)
        for entry in entries:
            invoice = self._invoice(entry)
            if invoice is None:
                continue
            for key in invoice.links | {invoice.number or ""}:
                if key:
                    invoices.setdefault(key, invoice)
        return dataclasses.replace(self, invoices=invoices)

    def _invoice(self, entry: data.Directive) -> BookedInvoice | None:
        if not isinstance(entry, data.Transaction):
            return None
        receivable = next(
            (
                posting.account
                for posting in entry.postings
                if self.config.receivables_re.search(posting.account)
                and posting.units is not None
                and posting.units.number is not None
                and posting.units.number > 0
            ),
            None,
        )
        meta = entry.meta or {}
        number = meta.get(INVOICE_KEY)
        number = str(number) if number is not None else None
        if receivable is None or not (number or entry.links):
            return None
        clients = {
            item.client
            for item in attributed([entry], self.book, self.config).postings
            if item.client is not None
        }
        client = clients.pop() if len(clients) == 1 else meta.get(CLIENT_KEY)
        if client is None:  # a receivable per client names it
            client = ReceivableAccounts(self.config.receivables_re).client_of(
                receivable
            )
        return BookedInvoice(
            number,
            frozenset(entry.links),
            client if isinstance(client, str) else None,
            receivable,
            entry,
        )

    # --- Which client ---------------------------------------------------------

    def knows(self, client_id: str) -> bool:
        """A declared client, or one the books carry through a receivable."""
        return client_id in self.book.clients or client_id in self.receivables.carried

    def income_account(self, client_id: str) -> str:
        """Where the client's revenue goes: as last time, else as declared."""
        last = self.last_account.get(client_id)
        if last is not None:
            return last
        client = self.book.clients.get(client_id)
        if client is not None:
            return client.income_account
        return f"Income:Clients:{client_id}"

    def by_reference(self, reference: str) -> ClientMatch:
        """The client a register names by id, by name, or as a payee would."""
        text = reference.strip()
        if not text:
            return ClientMatch(None, "", "no client given")
        if text in self.book.clients:
            return ClientMatch(text, "id")
        wanted = _normal(text)
        named = [
            client.id
            for client in self.book.clients.values()
            if wanted in (_normal(client.id), _normal(client.name))
        ]
        if len(named) == 1:
            return ClientMatch(named[0], "name")
        found = self.by_payee(text)
        if found.client is not None or found.problem:
            return found
        closest = self.book.closest(text)
        hint = f"; did you mean {quoted(closest)}?" if closest else ""
        return ClientMatch(None, "", f"unknown client {quoted(text)}{hint}")

    def by_payee(self, payee: str) -> ClientMatch:
        """The one client whose `payee:` regex matches, else who paid so before."""
        matches = self.book.payee_matches(payee)
        if len(matches) == 1:
            return ClientMatch(matches[0], "payee")
        if len(matches) > 1:
            return ClientMatch(
                None,
                "",
                f"{quoted(payee)} matches the payee regex of several clients "
                f"({', '.join(sorted(matches))})",
            )
        named = self._named(payee)  # several: it says nothing
        if len(named) == 1:
            return ClientMatch(next(iter(named)), "name")
        earlier = self.payees.get(_normal(payee), frozenset())
        if len(earlier) == 1:
            return ClientMatch(next(iter(earlier)), "earlier payment")
        if len(earlier) > 1:
            return ClientMatch(
                None,
                "",
                f"{quoted(payee)} paid several clients before "
                f"({', '.join(sorted(earlier))})",
            )
        return ClientMatch(None, "", "")

    def _named(self, payee: str) -> frozenset[str]:
        """Clients whose id, declared name or receivable is the payee; or whose
        receivable the payee paid into before."""
        key = compact(payee)
        if not key:
            return frozenset()
        ids = frozenset(
            client.id
            for client in self.book.clients.values()
            if key in (compact(client.id), compact(client.name))
        )
        return ids or self.receivables.named(payee)

    def invoices_named(self, entry: data.Transaction) -> list[BookedInvoice]:
        """The known invoices whose link or number the entry mentions."""
        found: dict[int, BookedInvoice] = {}
        keys = list(entry.links)
        for text in (entry.narration, entry.payee):
            keys.extend(_TOKEN.findall(text or ""))
        for key in keys:
            invoice = self.invoices.get(key)
            if invoice is None:
                continue
            if key == invoice.number and len(key) < MIN_NUMBER_LENGTH:
                continue
            found.setdefault(id(invoice.entry), invoice)
        return list(found.values())


def _normal(text: str) -> str:
    """Case, accents and spacing do not tell two names apart."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def booked_invoices(
    entries: Iterable[data.Directive], config: Config
) -> dict[str, data.Transaction]:
    """Invoices and credit notes in the books, by `invoice:` number and by link,
    and the problem markers saved from earlier imports.

    A payment shares its invoice's link but books no income: it is not one.
    """
    income = config.income_re.search
    known: dict[str, data.Transaction] = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        number = entry.meta.get(INVOICE_KEY)
        if number is not None:
            known.setdefault(f"{INVOICE_KEY}:{number}", entry)
        if ERROR_KEY in entry.meta:
            known.setdefault(f"{ERROR_KEY}:{entry.date}:{entry.narration}", entry)
        if any(income(posting.account) for posting in entry.postings):
            for link in entry.links:
                known.setdefault(link, entry)
    return known
