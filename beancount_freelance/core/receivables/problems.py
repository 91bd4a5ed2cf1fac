"""What the invoice matching reports, said at the entry that is wrong.

Each function builds one problem from the items it concerns (no state of the
matching): `InvoiceMatching` decides when, these say what. docs/receivables.md
lists them under "The plugin check: `check_links`".
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from beancount_freelance.core.dates import LAST_DAY, days_after
from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.messages import N_, message, message_n
from beancount_freelance.core.money import ZERO
from beancount_freelance.core.receivables.open_items import DUE_KEY, Unapplied

if TYPE_CHECKING:
    from collections.abc import Container, Iterable, Sequence
    from decimal import Decimal

    from beancount.core import data

    from beancount_freelance.core.receivables.open_items import Credit, TrackedInvoice


def overpaid(
    invoice: TrackedInvoice, excess: Decimal, credit: Credit
) -> FreelanceError:
    """A linked credit above what its invoices owe: reported, left unapplied."""
    paid = invoice.paid + (excess if credit.payment else ZERO)
    credited = invoice.credited + (ZERO if credit.payment else excess)
    values = {
        "invoice": invoice.describe(),
        "paid": f"{paid} {invoice.currency}",
        "credited": f"{credited} {invoice.currency}",
        "excess": f"{excess} {invoice.currency}",
    }
    if credited:
        said = message(
            N_(
                "{invoice} is paid {paid} and credited {credited}: {excess} more "
                "than its amount; check the amounts or the link"
            ),
            **values,
        )
    else:
        said = message(
            N_(
                "{invoice} is paid {paid}: {excess} more than its amount; check the "
                "amounts or the link"
            ),
            **values,
        )
    return FreelanceError(credit.entry.meta, said, credit.entry)


def paid_before(credit: Credit, invoice: TrackedInvoice) -> FreelanceError:
    return FreelanceError(
        credit.entry.meta,
        message(
            N_("Payment dated {date}, before {invoice}; check the date or the link"),
            date=credit.entry.date,
            invoice=invoice.describe(),
        ),
        credit.entry,
    )


def link_taken(
    invoice: TrackedInvoice, link: str, earlier: TrackedInvoice
) -> FreelanceError:
    first = earlier.entry.meta
    return FreelanceError(
        invoice.entry.meta,
        message(
            N_(
                "Link ^{link} already marks the invoice of {date} ({where}); give "
                "each invoice its own link (payments go to the oldest open one first)"
            ),
            link=link,
            date=earlier.entry.date,
            where=f"{first.get('filename')}:{first.get('lineno')}",
        ),
        invoice.entry,
    )


def unknown_number(credit: Credit) -> FreelanceError:
    """A credit naming an invoice number no open invoice carries."""
    return FreelanceError(
        credit.entry.meta,
        message(
            N_(
                "Invoice number {number} names no open invoice on {account}; settled "
                "first in, first out: check the number against the invoice's"
            ),
            number=", ".join(credit.keys),
            account=credit.account,
        ),
        credit.entry,
    )


def due_date(
    entry: data.Transaction, terms: datetime.timedelta
) -> tuple[datetime.date, FreelanceError | None]:
    """An invoice's `due:` date, else its date plus the terms (and why, if unread)."""
    value = entry.meta.get(DUE_KEY)
    if isinstance(value, datetime.date):
        return value, None  # the terms are not needed
    default = days_after(entry.date, terms.days)
    if value is None:
        if default == LAST_DAY and entry.date != LAST_DAY - terms:
            return default, _past_the_calendar(entry)
        return default, None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    problem = FreelanceError(
        entry.meta,
        message(
            N_(
                "The due: metadata must be a date, as `due: 2016-04-30`, not "
                "{value!r}; using the payment terms ({terms})"
            ),
            value=value,
            terms=default,
        ),
        entry,
    )
    return default, problem


def _past_the_calendar(entry: data.Transaction) -> FreelanceError:
    said = message(
        N_(
            "The payment terms put this invoice's due date after {last}, the last "
            "day of the calendar; it is due on {last}: check the invoice's year"
        ),
        last=LAST_DAY,
    )
    return FreelanceError(entry.meta, said, entry)


def cannot_convert(
    entry: data.Transaction, posting: data.Posting, currency: str
) -> FreelanceError:
    return FreelanceError(
        entry.meta,
        message(
            N_(
                "Cannot convert {units} to the invoice's {currency} on {date}: add "
                "an `@` price or a `price` directive"
            ),
            units=str(posting.units),
            currency=currency,
            date=entry.date,
        ),
        entry,
    )


def orphan_links(
    credits: Iterable[Credit], known: Container[str]
) -> list[FreelanceError]:
    """Credits whose links no invoice carries (`known`: the invoices' links),
    each reported once: when it settled nothing, or an invoice linked otherwise
    (a typo); settling invoices without links (links kept on the payment side
    only) is no problem."""
    reported: dict[int, FreelanceError] = {}
    for credit in credits:
        if id(credit) in reported or any(link in known for link in credit.entry.links):
            continue
        if credit.left > ZERO or credit.settled_linked:
            reported[id(credit)] = orphan_link(credit)
    return list(reported.values())


def orphan_link(credit: Credit) -> FreelanceError:
    entry = credit.entry
    links = " ".join(f"^{link}" for link in sorted(entry.links))
    return FreelanceError(
        entry.meta,
        message(
            N_(
                "Payment {links} credits a receivable but no invoice carries that "
                "link; check the link against the invoice's"
            ),
            links=links,
        ),
        entry,
    )


def unapplied(
    credits: Iterable[Credit],
) -> tuple[list[Unapplied], list[FreelanceError]]:
    """What is left of credits, per account and currency, and the report of those
    without links (once per account and currency; linked ones are reported as
    overpayments or orphans)."""
    left: dict[tuple[str, str], list[Credit]] = {}
    for credit in credits:
        left.setdefault((credit.account, credit.currency), []).append(credit)
    found: list[Unapplied] = []
    said: list[FreelanceError] = []
    for (account, currency), items in sorted(left.items()):
        items.sort(key=lambda c: c.entry.date)
        amount = sum((c.left for c in items), ZERO)
        found.append(Unapplied(account, currency, amount, len(items), items[0].entry))
        quiet = [c for c in items if not c.entry.links]
        if quiet:
            said.append(_unapplied(account, currency, quiet))
    return found, said


def _unapplied(
    account: str, currency: str, credits: Sequence[Credit]
) -> FreelanceError:
    first = credits[0].entry
    amount = sum((c.left for c in credits), ZERO)
    return FreelanceError(
        first.meta,
        message_n(
            "{amount} credited to {account} settles no invoice ({count} credit "
            "from {date}); kept as an unapplied credit for the account's next "
            "invoice: book the invoice it pays, or check the amount",
            "{amount} credited to {account} settles no invoice ({count} credits "
            "from {date}); kept as an unapplied credit for the account's next "
            "invoice: book the invoices they pay, or check the amounts",
            len(credits),
            amount=f"{amount} {currency}",
            account=account,
            date=first.date,
        ),
        first,
    )


def not_valued(invoice: TrackedInvoice, currency: str) -> FreelanceError:
    entry = invoice.entry
    return FreelanceError(
        entry.meta,
        message(
            N_(
                "{invoice} cannot be valued in {currency}: add an `@` price to its "
                "receivable posting or a `price` directive; its open amount is left "
                "out"
            ),
            invoice=invoice.describe(),
            currency=currency,
        ),
        entry,
    )


def no_client(invoice: TrackedInvoice) -> FreelanceError:
    entry = invoice.entry
    return FreelanceError(
        entry.meta,
        message(
            N_(
                "{invoice} books revenue that belongs to no client; it is left out "
                'of the receivables (add `client: "<id>"`)'
            ),
            invoice=invoice.describe(),
        ),
        entry,
    )
