"""Fava's filters, read into what the analysis asks for.

Fava's time filter gives the report period (its last day is the `as_of` date);
its account filter and filter bar choose which revenue lines count; its
conversion, when it names a currency, is the reporting currency. Client start,
end and status always come from the whole ledger: the time filter is never
applied to the entries the analysis reads, because Fava folds everything before
the period into summary entries.

A filter that Fava cannot parse is reported in words on the page (and a 400
from the JSON endpoints), never as a server error: whatever Fava's parsers
raise, a `RecursionError` from thousands of `(` or `-` included, and without
the warnings Python's regex parser prints for some account filters.
"""

from __future__ import annotations

import datetime
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from beancount.core import account as account_lib
from fava.core.filters import Match, TimeFilter

from beancount_freelance.core.ledger.config import ledger_config
from beancount_freelance.core.messages import cut, quoted

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from beancount_freelance.core.revenue.lines import RevenueLine

#: Fava's conversions that are not a currency; they report in the operating one.
NON_CURRENCY_CONVERSIONS = frozenset({"", "at_cost", "at_value", "units"})
_CURRENCY_RE = re.compile(r"^[A-Z][A-Z0-9'._-]{0,22}[A-Z0-9]?$")
_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class PageFilters:
    """Fava's filters of one request, as the Clients page uses them."""

    time: str = ""
    account: str = ""
    filter: str = ""
    conversion: str = ""
    interval: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    currency: str | None = None
    error: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """What the analysis depends on (the interval only changes the chart)."""
        return (self.time, self.account, self.filter, self.currency)

    @property
    def narrows_lines(self) -> bool:
        """Whether the account filter or filter bar chooses the revenue lines."""
        return bool(self.account or self.filter.strip())

    def query_args(self) -> dict[str, str]:
        """The filter parameters to carry over into links and forms."""
        args = {
            "time": self.time,
            "account": self.account,
            "filter": self.filter,
            "conversion": self.conversion,
            "interval": self.interval,
        }
        return {name: value for name, value in args.items() if value}


def _arg(args: Mapping[str, str], name: str) -> str:
    value = args.get(name, "")
    return value if isinstance(value, str) else ""


def conversion_currency(conversion: str) -> str | None:
    """The currency Fava's conversion names, or None (operating currency).

    Fava lets a user pick several currencies (`EUR,USD`); the first one reports.
    """
    first = conversion.split(",")[0].strip()
    if first in NON_CURRENCY_CONVERSIONS or not _CURRENCY_RE.match(first):
        return None
    return first


def read_filters(ledger: Any, args: Mapping[str, str]) -> PageFilters:
    """Read Fava's filters from the query arguments of a request."""
    time = _arg(args, "time").strip()
    account = _arg(args, "account").strip()
    filter_text = _arg(args, "filter").strip()
    conversion = _arg(args, "conversion").strip()
    interval = _arg(args, "interval").strip()
    start = end = None
    error = None
    if time:
        try:
            time_filter = TimeFilter(ledger.options, ledger.fava_options, time)
        except Exception as exc:  # any text reaches Fava's parser
            error = (
                f"The time filter {quoted(time)} is not a date range: {_message(exc)}"
            )
        else:
            start = time_filter.date_range.begin
            end = time_filter.date_range.end - _ONE_DAY
            if start == datetime.date.min:
                # Fava sums up what comes before the period on the day before it.
                error = (
                    f"The time filter {quoted(time)} starts on the first day there is; "
                    "start it on 0001-01-02 or later"
                )
    if error is None and (account or filter_text):
        try:
            with warnings.catch_warnings():
                # Python's regex parser warns of `[[` in an account filter.
                warnings.simplefilter("ignore")
                ledger.get_filtered(account=account, filter=filter_text)
        except OverflowError:
            error = _NO_FILTER_AT_THE_END_OF_TIME
        except Exception as exc:  # any text reaches Fava's parser
            error = f"The filter is not valid: {_message(exc)}"
    return PageFilters(
        time=time,
        account=account,
        filter=filter_text,
        conversion=conversion,
        interval=interval,
        start=start,
        end=end,
        currency=conversion_currency(conversion),
        error=error,
    )


_NO_FILTER_AT_THE_END_OF_TIME = (
    "Fava cannot filter this ledger: a transaction or price is dated 9999-12-31, "
    "the last day there is, and Fava's filtered ledger ends the day after; "
    "remove the filter, add a time filter (e.g. 2000 - 9999-12-30), or correct "
    "that date"
)


def filtered_or_none(ledger: Any, filters: PageFilters) -> Any:
    """Fava's filtered ledger for the page's chart, or None if Fava cannot make it.

    Without a time filter Fava ends the filtered ledger the day after its last
    transaction: a transaction on 9999-12-31, the last day there is, overflows.
    The page then shows its figures without the chart.
    """
    try:
        return ledger.get_filtered(
            account=filters.account, filter=filters.filter, time=filters.time
        )
    except OverflowError:
        return None


def _message(exc: Exception) -> str:
    """Fava's reason, cut short: Fava's own messages repeat the whole value."""
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to be read"
    return cut(str(getattr(exc, "message", None) or exc))


def revenue_selector(
    ledger: Any, filters: PageFilters
) -> Callable[[RevenueLine], bool] | None:
    """The revenue lines that Fava's account filter and filter bar keep.

    A line counts when Fava keeps its transaction. With an account filter that
    names an income account, only the lines of the matching income accounts
    count, so that `Income:Clients:Lefevre` shows Lefèvre alone even when one
    transaction pays several clients.
    """
    if not filters.narrows_lines or filters.error:
        return None
    kept_entries = ledger.get_filtered(
        account=filters.account, filter=filters.filter
    ).entries
    kept = {id(entry) for entry in kept_entries}
    if not filters.account:
        return lambda line: id(line.entry) in kept
    matches = _account_matcher(filters.account)
    income = ledger_config(ledger.options).income_re.search

    def select(line: RevenueLine) -> bool:
        if id(line.entry) not in kept:
            return False
        if matches(line.account):
            return True
        return not any(
            matches(posting.account) and income(posting.account)
            for posting in line.entry.postings
        )

    return select


def _account_matcher(value: str) -> Callable[[str], bool]:
    """The test Fava's account filter applies to one account name."""
    match = Match(value)
    return lambda name: account_lib.has_component(name, value) or match(name)


def client_filter(client_id: str, other_ids: list[str], current: str) -> str:
    """Fava's filter bar text for one client's transactions, after `current`.

    `client:"Acme"` is a case-insensitive regex search in Fava; when another id
    contains this one, the filter is anchored so that it matches this id alone,
    and made case-sensitive when another id differs from it only in case. Fava's
    filter strings are quoted with `"` or `'` and cannot escape either: an id
    with both has them written as regex escapes, which match the same text.
    """
    # Fava's own test: the id's text, searched case-insensitively.
    same_text = re.compile(re.escape(client_id), re.IGNORECASE)
    others = [other for other in other_ids if other != client_id]
    plain = re.escape(client_id) == client_id and not any(
        same_text.search(other) for other in others
    )
    pattern = client_id if plain else f"^{re.escape(client_id)}$"
    if any(same_text.fullmatch(other) for other in others):
        pattern = f"(?-i:{pattern})"
    if '"' in pattern and "'" in pattern:
        pattern = pattern.replace('"', r"\x22").replace("'", r"\x27")
    quote = "'" if '"' in pattern else '"'
    term = f"client:{quote}{pattern}{quote}"
    return f"{current} {term}" if current else term
