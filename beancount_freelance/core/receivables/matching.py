"""Which payments and credit notes settle which invoice: the invoice matching.

One pass over the transactions that post to a receivable, in date order. A
receivable credit settles, in this order: the open invoices sharing one of its
links, else one of its invoice numbers (oldest first), else the oldest open
invoices of its receivable account (first in, first out; on a shared account,
its client's when known). What it leaves over is an unapplied credit of its
account, taken by the account's next invoice. `InvoiceMatching` owns the open
items (`core.receivables.open_items`); docs/receivables.md states the rules.
"""

from __future__ import annotations

import datetime
from collections import deque
from decimal import Decimal
from typing import TYPE_CHECKING

from beancount_freelance.core.money import ZERO
from beancount_freelance.core.receivables import problems, reading
from beancount_freelance.core.receivables.open_items import (
    ClientKey,
    Credit,
    Key,
    MatchedInvoices,
    TrackedInvoice,
    Unapplied,
)

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

    from beancount.core import data

    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.ledger.config import Config
    from beancount_freelance.core.ledger.rates import Rates
    from beancount_freelance.core.ledger.receivable_accounts import (
        ReceivableAccounts,
        ReceivableEntry,
    )

__all__ = ["InvoiceMatching"]


class InvoiceMatching:
    """The open items of every receivable while the transactions are read.

    `InvoiceMatching.read(...)` is the entry point: it reads the transactions
    posting to a receivable and returns `MatchedInvoices`.
    """

    def __init__(
        self,
        config: Config,
        rates: Rates,
        accounts: ReceivableAccounts,
        clients: Mapping[int, str | None],
        transactions: Sequence[ReceivableEntry],
    ) -> None:
        self.rates = rates
        self.accounts = accounts
        # The client of each transaction's invoice, by the id() of its entry.
        self.clients = clients
        self.transactions = transactions
        self.terms = datetime.timedelta(days=config.payment_terms_days)
        keys = config.invoice_keys
        self.keys = reading.InvoiceKeys(keys, frozenset(keys))
        self.tracked: list[TrackedInvoice] = []
        self.by_link: dict[str, list[TrackedInvoice]] = {}
        # The invoices by number, from the first credit naming a number on.
        self.by_number: dict[str, list[TrackedInvoice]] | None = None
        self.credits_by_number: dict[str, list[Credit]] = {}
        # The open invoices first in, first out, per account (and per client on
        # a shared account): built on the first credit that settles the oldest.
        self.queues: dict[ClientKey, deque[TrackedInvoice]] | None = None
        self.credits: dict[ClientKey, deque[Credit]] = {}
        self.credits_by_link: dict[str, list[Credit]] = {}
        # Credits whose links named no invoice issued before them.
        self.unmatched_links: list[Credit] = []
        # Links of the transactions that debit a receivable, read when first
        # needed: a credit naming one not issued yet waits for it.
        self.debit_links: set[str] | None = None
        self.last_paid: dict[str, datetime.date] = {}
        self.problems: list[FreelanceError] = []

    @classmethod
    def read(
        cls,
        transactions: Iterable[ReceivableEntry],
        config: Config,
        until: datetime.date | None,
        rates: Rates,
        clients: Mapping[int, str | None],
        accounts: ReceivableAccounts,
    ) -> MatchedInvoices:
        """Find the invoices and apply every settlement, dated up to `until`.

        `transactions`: the ledger's transactions that post to a receivable, in
        ledger (date) order; `clients`: the client of each one's first attributed
        income credit, by the id() of its transaction (scan.scan_ledger reads both).
        """
        items = tuple(transactions)
        if until is not None and items and items[-1].entry.date > until:
            # In date order: the common question (as of today) keeps them all.
            items = tuple(item for item in items if item.entry.date <= until)
        matching = cls(config, rates, accounts, clients, items)
        credit, debit = matching._credit, matching._debit
        for item in items:
            head = None  # an invoice's first line, while its other lines come
            for move in reading.moves(item, rates, accounts):
                if isinstance(move, Credit):
                    credit(move)
                    continue
                tracked = debit(move, head)
                if head is None and move.invoice:
                    head = tracked
        unapplied = matching._left_over()
        return MatchedInvoices(
            tuple(inv for inv in matching.tracked if inv.counted),
            tuple(unapplied),
            matching.last_paid,
            tuple(matching.problems),
        )

    # --- Debits: invoices, and debits that are none ----------------------------

    def _debit(
        self, debit: reading.Debit, head: TrackedInvoice | None
    ) -> TrackedInvoice | None:
        """A receivable debit: an invoice (or the next line of `head`), or a
        debit that is none (settled like one once it gave back credits).

        Its invoice numbers are read when they can matter: it has no link (they
        are its number), or a credit already named an invoice by its number.
        """
        entry, key, posting, amount, invoice = debit
        links = entry.links
        by_number = self.by_number
        found: tuple[str, ...] = ()
        if by_number is not None or not links:
            found = reading.numbers(self.keys, posting, entry)
        client = None
        if invoice:
            client = self.clients.get(id(entry))
            if client is None:
                client = reading.payer_of(entry, posting, self.accounts, self.clients)
        else:
            amount = self._refund(entry, key, amount, found)
            if amount <= ZERO:
                return None
        due, problem = problems.due_date(entry, self.terms)
        if problem is not None:
            self.problems.append(problem)
        account, currency = key
        tracked = TrackedInvoice(
            len(self.tracked),
            entry,
            entry.date,
            min(links) if links else None,
            client,
            due,
            account,
            posting,
            currency,
            amount,
            amount,
            invoice and head is None,  # counted
            found,
            head,
        )
        self.tracked.append(tracked)
        if head is not None:
            head.lines = (*head.lines, tracked)
        if links:
            self._register(tracked, links)
        if by_number is not None:
            for number in found:
                by_number.setdefault(number, []).append(tracked)
        if self.credits:
            self._take_credits(tracked)
        if self.queues is not None and tracked.balance > ZERO:
            self._enqueue(self.queues, tracked)
        return tracked

    def _register(self, invoice: TrackedInvoice, links: frozenset[str]) -> None:
        """An invoice under each of its links; a link already taken is reported."""
        reported = False
        by_link = self.by_link
        for link in links if len(links) == 1 else sorted(links):
            earlier = by_link.get(link)
            if earlier is None:
                by_link[link] = [invoice]
                continue
            if not reported and invoice.counted and earlier[0].counted:
                self.problems.append(problems.link_taken(invoice, link, earlier[0]))
                reported = True
            earlier.append(invoice)

    def _enqueue(
        self, queues: dict[ClientKey, deque[TrackedInvoice]], invoice: TrackedInvoice
    ) -> None:
        """An open invoice waits in its account's queue, and in its client's on
        a shared account."""
        key = (invoice.account, invoice.currency)
        own = self._client_key(key, invoice.client)
        for queue_key in ((*key, None), own) if own[2] is not None else (own,):
            queue = queues.get(queue_key)
            if queue is None:
                queue = queues[queue_key] = deque()
            queue.append(invoice)

    def _refund(
        self,
        entry: data.Transaction,
        key: Key,
        amount: Decimal,
        found: tuple[str, ...],
    ) -> Decimal:
        """A debit that is no invoice first gives back unapplied credits; the rest."""
        for credit in self._credits_for(entry.links, found, key, None):
            share = min(amount, credit.left)
            credit.left -= share
            amount -= share
            if amount <= ZERO:
                break
        return amount

    def _take_credits(self, invoice: TrackedInvoice) -> None:
        """A new invoice takes the unapplied credits: those of its links first."""
        key = (invoice.account, invoice.currency)
        links = invoice.entry.links
        for credit in self._credits_for(links, invoice.keys, key, invoice.client):
            if invoice.balance <= ZERO:
                return
            linked = bool(links & credit.entry.links)
            named = linked or not set(invoice.keys).isdisjoint(credit.keys)
            if named and credit.entry.date < invoice.date:
                self.problems.append(problems.paid_before(credit, invoice))
            share = min(credit.left, invoice.balance)
            credit.left -= share
            credit.settled_linked = credit.settled_linked or (
                bool(links) and not linked
            )
            self._reduce(invoice, share, credit)

    def _credits_for(
        self,
        links: frozenset[str] | set[str],
        found: tuple[str, ...],
        key: Key,
        client: str | None,
    ) -> Iterable[Credit]:
        """The unapplied credits a debit takes, in order: those naming it (link,
        then number), its client's, any."""
        named = [self.credits_by_link.get(link, ()) for link in sorted(links)]
        named += [self.credits_by_number.get(number, ()) for number in found]
        for credits in named:
            for credit in credits:
                if credit.left > ZERO and (credit.account, credit.currency) == key:
                    yield credit
        own = self._client_key(key, client)
        for queue_key in (own, (*key, None)) if own[2] is not None else (own,):
            queue = self.credits.get(queue_key)
            while queue:
                if queue[0].left <= ZERO:
                    queue.popleft()
                    continue
                yield queue[0]
                if queue and queue[0].left <= ZERO:
                    queue.popleft()
                else:
                    break

    # --- Credits: payments, credit notes and write-offs -------------------------

    def _credit(self, credit: Credit) -> None:
        """A credit settles what it names (links, else numbers), else the oldest."""
        links = credit.entry.links
        applied = credit.left
        named = bool(links) and self._settle_by(credit, links, self.by_link)
        if not named:
            numbers = self._numbers(credit)
            named = bool(numbers) and self._settle_by(
                credit, numbers, self.by_number or {}
            )
        if not named and links:
            self.unmatched_links.append(credit)  # no invoice of its links yet
            if not self._invoice_to_come(links):
                self._settle_oldest(credit)
        elif not named:
            if credit.keys:  # its number names no open invoice
                self.problems.append(problems.unknown_number(credit))
            self._settle_oldest(credit)
        if credit.payment and credit.left == applied:
            self._paid_by(self._payer(credit), credit)  # it settled nothing
        if credit.left > ZERO:
            key = self._client_key(
                (credit.account, credit.currency), self._payer(credit)
            )
            queue = self.credits.get(key)
            if queue is None:
                queue = self.credits[key] = deque()
            queue.append(credit)
            for link in links:
                self.credits_by_link.setdefault(link, []).append(credit)
            for number in self._numbers(credit):
                self.credits_by_number.setdefault(number, []).append(credit)

    def _numbers(self, credit: Credit) -> tuple[str, ...]:
        """A credit's invoice numbers, read when first needed: from the first
        credit that names one on, the invoices are indexed by number too."""
        if not credit.keys_known:
            credit.keys = reading.numbers(self.keys, credit.posting, credit.entry)
            credit.keys_known = True
            if credit.keys and self.by_number is None:
                self.by_number = self._numbered()
        return credit.keys

    def _invoice_to_come(self, links: frozenset[str] | set[str]) -> bool:
        """Whether a receivable debit of the ledger carries one of these links.

        Read once, on the first credit whose links name no invoice issued yet.
        """
        if self.debit_links is None:
            self.debit_links = reading.debit_links(self.transactions)
        return not self.debit_links.isdisjoint(links)

    def _settle_by(
        self,
        credit: Credit,
        names: Collection[str],
        index: Mapping[str, Sequence[TrackedInvoice]],
    ) -> bool:
        """A credit goes first to the invoices it names (links, else numbers),
        oldest first: False when it names none issued by its date (a number: none
        open). What it leaves over stays unapplied, reported as an overpayment."""
        date = credit.entry.date
        numbers = index is not self.by_link
        if not numbers and len(names) == 1:  # the common payment: one link
            (name,) = names
            invoices = index.get(name, ())
            if len(invoices) > 1 or (invoices and invoices[0].date > date):
                invoices = [inv for inv in invoices if inv.date <= date]
        else:
            by_id = {
                id(invoice): invoice
                for name in names
                for invoice in index.get(name, ())
                if invoice.date <= date and (invoice.balance > 0 or not numbers)
            }
            invoices = sorted(by_id.values(), key=lambda inv: inv.order)
        if not invoices:
            return False
        if len(invoices) > 1:
            invoices = _own_lines(credit, invoices)
        self._settle_named(credit, invoices)
        return True

    def _numbered(self) -> dict[str, list[TrackedInvoice]]:
        """The invoices so far by their numbers (read now for the linked ones)."""
        found: dict[str, list[TrackedInvoice]] = {}
        for invoice in self.tracked:
            if invoice.entry.links:
                invoice.keys = reading.numbers(
                    self.keys, invoice.posting, invoice.entry
                )
            for number in invoice.keys:
                found.setdefault(number, []).append(invoice)
        return found

    def _settle_named(self, credit: Credit, invoices: Sequence[TrackedInvoice]) -> None:
        """Settle the invoices a credit names, in order; report what is left over."""
        for invoice in invoices:
            if credit.left <= ZERO:
                return
            if invoice.balance <= ZERO:
                continue
            if invoice.currency == credit.currency:
                share = min(credit.left, invoice.balance)
                credit.left -= share
                self._reduce(invoice, share, credit)
                continue
            converted, problem = reading.converted(credit, invoice.currency, self.rates)
            if problem is not None:
                self.problems.append(problem)
            credit.left = ZERO  # in another currency: nothing of it carries forward
            if converted is None:
                return
            share = min(converted, invoice.balance)
            self._reduce(invoice, share, credit)
            if converted > share:
                self.problems.append(
                    problems.overpaid(invoice, converted - share, credit)
                )
            return
        if credit.left > ZERO:
            self.problems.append(problems.overpaid(invoices[-1], credit.left, credit))

    def _settle_oldest(self, credit: Credit) -> None:
        """First in, first out: the oldest open invoices of the credit's account."""
        key = self._client_key((credit.account, credit.currency), self._payer(credit))
        queue = self._open_invoices().get(key)
        while queue and credit.left > ZERO:
            invoice = queue[0]
            if invoice.balance <= ZERO:
                queue.popleft()
                continue
            share = min(credit.left, invoice.balance)
            credit.left -= share
            credit.settled_linked = credit.settled_linked or bool(invoice.entry.links)
            self._reduce(invoice, share, credit)

    def _open_invoices(self) -> dict[ClientKey, deque[TrackedInvoice]]:
        """The queues of open invoices, built when first needed: most books
        settle by link and never ask. An invoice only ever goes down to zero,
        and a settled one is passed over in its queue: those open now are the
        ones to queue."""
        if self.queues is None:
            self.queues = {}
            for invoice in self.tracked:
                if invoice.balance > ZERO:
                    self._enqueue(self.queues, invoice)
        return self.queues

    def _reduce(self, invoice: TrackedInvoice, share: Decimal, credit: Credit) -> None:
        """An invoice reduced by a share of a credit: paid, credited or written off."""
        before = invoice.balance
        invoice.balance = balance = before - share
        if credit.payment:
            invoice.paid += share
            invoice.payments += 1
            self._paid_by(invoice.client, credit)
        elif credit.write_off:
            invoice.written_off += share
        else:
            invoice.credited += share
        if before > ZERO >= balance:
            # A credit carried forward settles a later invoice on the invoice's day.
            invoice.settled = max(credit.entry.date, invoice.date)

    # --- Who pays --------------------------------------------------------------

    def _payer(self, credit: Credit) -> str | None:
        if not credit.client_known:
            credit.client = reading.payer_of(
                credit.entry, credit.posting, self.accounts, self.clients
            )
            credit.client_known = True
        return credit.client

    def _client_key(self, key: Key, client: str | None) -> ClientKey:
        """The queue of a client on a shared account; the account's own queue else."""
        if client is None or self.accounts.client_of(key[0]) is not None:
            return (key[0], key[1], None)
        return (key[0], key[1], client)

    def _paid_by(self, client: str | None, credit: Credit) -> None:
        if client is not None:
            date = credit.entry.date
            if self.last_paid.get(client, date) <= date:
                self.last_paid[client] = date

    # --- Once the ledger is read -------------------------------------------------

    def _left_over(self) -> list[Unapplied]:
        """What no invoice took, per account and currency; the credits whose
        links no invoice carries, and those left over, reported once each."""
        self.problems += problems.orphan_links(self.unmatched_links, self.by_link)
        left = [c for queue in self.credits.values() for c in queue if c.left > ZERO]
        found, said = problems.unapplied(left)
        self.problems += said
        return found


def _own_lines(
    credit: Credit, invoices: Sequence[TrackedInvoice]
) -> Sequence[TrackedInvoice]:
    """Of several invoices, the lines on the credit's own account, when any is:
    each line of a split invoice is settled on its account. (One invoice is
    settled, its own account's or not.)"""
    own = [invoice for invoice in invoices if invoice.account == credit.account]
    return own or invoices
