"""The row of links at the top of the Clients page and of a client's view.

One link per section the page draws, in the page's order, to the section's
anchor (its `id`): a section the page leaves out (Time without hours, the plan
without proposals, targets or ceilings) has no link. The words are short
names of the sections, in the request's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_
from beancount_freelance.i18n import _

if TYPE_CHECKING:
    from collections.abc import Collection

__all__ = ["CLIENT_SECTIONS", "PAGE_SECTIONS", "NavLink", "links"]


@dataclass(frozen=True)
class NavLink:
    """A link of the row: the section's anchor and its short name."""

    anchor: str
    label: str


#: The page of every client, in the page's order: (anchor, name).
PAGE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("freelance-headline", N_("Summary")),
    ("freelance-at-risk", N_("At risk")),
    ("freelance-streams", N_("Revenue streams")),
    ("freelance-concentration", N_("Concentration")),
    ("freelance-timeline-section", N_("Relationships")),
    ("freelance-table-section", N_("Clients")),
    ("freelance-replacements", N_("Replacements")),
    ("freelance-plan", N_("New business")),
    ("freelance-survival-section", N_("How long clients stay")),
    ("freelance-forecast-section", N_("Forecast")),
    ("freelance-time", N_("Time")),
    ("freelance-movements-section", N_("Movements")),
    ("freelance-receivables", N_("Who pays late")),
)

#: A client's view, in its order.
CLIENT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("freelance-client-revenue", N_("Revenue")),
    ("freelance-client-time", N_("Time")),
    ("freelance-client-replacement", N_("Replacement")),
    ("freelance-client-events", N_("Events")),
    ("freelance-client-invoices", N_("Transactions")),
    ("freelance-client-receivables", N_("Invoices")),
    ("freelance-statement", N_("Statement")),
)


def links(
    sections: tuple[tuple[str, str], ...], left_out: Collection[str] = ()
) -> tuple[NavLink, ...]:
    """A link to each of `sections` but those whose anchor is in `left_out`."""
    return tuple(
        NavLink(anchor, _(name)) for anchor, name in sections if anchor not in left_out
    )
