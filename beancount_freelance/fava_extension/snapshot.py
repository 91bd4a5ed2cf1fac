"""One version of the books per request: what the page reads of Fava's ledger.

Fava reloads a ledger whose files changed in the thread of whichever request
notices it first, and replaces the ledger's entries, options and filtered
views while other requests are still drawing their pages. A page that read
`ledger.all_entries` for its chart and again for its table could show two
versions of the books. So the extension takes a `Books` at the end of each
load (`after_load_file`, when Fava has set every attribute of the new version)
and each request pins the one it finds at its start: every section of a page,
and every figure of a JSON answer, comes from that one version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from fava.core import FilteredLedger
from flask import g

#: The filtered views kept per version of the books (Fava's own keeps 16).
_VIEWS = 16

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from beancount.core import data
    from fava.core import FavaLedger


@dataclass(frozen=True, eq=False)
class Books:
    """What the page reads of one load of the ledger (Fava's names).

    Its filtered views are kept with it, and go with it when the next load
    replaces it: no view of an older version outlives that version.
    """

    all_entries: Sequence[data.Directive]
    options: Mapping[str, Any]
    fava_options: Any
    all_entries_by_type: Any
    prices: Any
    mtime: int
    _views: dict[tuple[str | None, ...], FilteredLedger] = field(
        default_factory=dict, repr=False
    )

    def get_filtered(
        self,
        account: str | None = None,
        filter: str | None = None,  # Fava's name
        time: str | None = None,
    ) -> FilteredLedger:
        """Fava's filtered view of these books (Fava's own `get_filtered`)."""
        key = (account, filter, time)
        found = self._views.get(key)
        if found is None:
            # Fava's FilteredLedger reads these attributes of the ledger it is
            # given, and keeps it: not the books, which keep the view (a cycle
            # would leave a whole version to the collector).
            ledger = cast(
                "FavaLedger",
                SimpleNamespace(
                    all_entries=self.all_entries,
                    options=self.options,
                    fava_options=self.fava_options,
                    all_entries_by_type=self.all_entries_by_type,
                    prices=self.prices,
                    mtime=self.mtime,
                ),
            )
            found = FilteredLedger(ledger, account=account, filter=filter, time=time)
            if len(self._views) >= _VIEWS:
                self._views.pop(next(iter(self._views)))
            self._views[key] = found
        return found


def books_of(ledger: FavaLedger) -> Books:
    """The books of a ledger as Fava has just loaded them."""
    return Books(
        all_entries=cast("Sequence[data.Directive]", ledger.all_entries),
        options=cast("Mapping[str, Any]", ledger.options),
        fava_options=ledger.fava_options,
        all_entries_by_type=ledger.all_entries_by_type,
        prices=ledger.prices,
        mtime=ledger.mtime,
    )


def pinned_books(owner: object, latest: Callable[[], Books]) -> Books:
    """The books this request reads: the `latest` at its first question, kept
    for the rest of the request (one pin per owner, an extension of one ledger).
    """
    name = f"freelance_books_{id(owner)}"
    pinned: Books | None = getattr(g, name, None)
    if pinned is None:
        pinned = latest()
        setattr(g, name, pinned)
    return pinned
