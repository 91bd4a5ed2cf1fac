"""The movements of the revenue in words, once, for the terminal and the page.

The names of the movements, a period's clients by movement, and the year's
retention as two sentences ("the clients you had a year ago brought 92 % of
what they brought then; new clients brought 31 % of this year's revenue").
Nothing is computed here: the ratios of `core.revenue.movements` are only
scaled to percents and rounded to be read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beancount_freelance.core.messages import N_
from beancount_freelance.i18n import _
from beancount_freelance.text.sentences import percent_text

if TYPE_CHECKING:
    from fractions import Fraction

    from beancount_freelance.core.revenue.movements import Bridge, Kind
    from beancount_freelance.core.revenue.retention import YearRetention

__all__ = [
    "client_movements",
    "moved_clients",
    "movement_clients",
    "movement_name",
    "ratio_text",
    "retention_sentences",
]

_NAMES: dict[str, str] = {
    "new": N_("New"),
    "returned": N_("Returned"),
    "expansion": N_("Expansion"),
    "contraction": N_("Contraction"),
    "lost": N_("Lost"),
    "adjustment": N_("Adjustment"),
    "steady": N_("Steady"),
}


def movement_name(kind: Kind) -> str:
    """A movement's name in the language in use: `New`, `Lost`."""
    return _(_NAMES[kind])


def ratio_text(value: Fraction | None, none: str = "–") -> str:
    """A ratio that may pass 100 % (retention, replacement) as a whole percent."""
    return percent_text(float(value), none) if value is not None else none


def client_movements(bridge: Bridge) -> list[tuple[Kind, tuple[str, ...]]]:
    """The movements that moved some client in this period, with their ids."""
    return [
        (kind, ids) for kind, ids in bridge.clients.items() if ids and kind != "steady"
    ]


def moved_clients(bridge: Bridge) -> str:
    """Who moved in this period: `New: Cyan; Contraction: Beta`."""
    # TRANSLATORS: between two movements of a period, each with its clients.
    separator = _("; ")
    return separator.join(
        movement_clients(kind, ids) for kind, ids in client_movements(bridge)
    )


def movement_clients(kind: Kind, clients: tuple[str, ...]) -> str:
    """A movement and its clients: `New: Acme, Beta`."""
    return _("{movement}: {clients}").format(
        movement=movement_name(kind), clients=", ".join(clients)
    )


def retention_sentences(retention: YearRetention) -> list[str]:
    """The year's retention and the new clients' share, one sentence each."""
    sentences = []
    if retention.nrr is None:
        sentences.append(
            _(
                "No client brought revenue in the twelve months before the last "
                "twelve: there is no retention to measure yet."
            )
        )
    else:
        sentences.append(
            _(
                "The clients you had a year ago brought {nrr} of what they brought "
                "then ({grr} leaving out what some of them added)."
            ).format(nrr=ratio_text(retention.nrr), grr=ratio_text(retention.grr))
        )
    if retention.new_share is None:
        sentences.append(_("No revenue in the last twelve months."))
    else:
        sentences.append(
            _("New clients brought {share} of this year's revenue.").format(
                share=ratio_text(retention.new_share)
            )
        )
    return sentences
