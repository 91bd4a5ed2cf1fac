"""How dependent the freelancer is on her largest clients (docs/metrics.md).

Over the clients' positive trailing-12-month shares: the Herfindahl-Hirschman
index, the effective number of clients, the top-1 and top-3 shares, and a flag
for every client at or above each legal or customary threshold. Shares are
compared as exact fractions, so that 5/6 is reached exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal

# (share, label): at or above the share, the client earns the label.
THRESHOLDS: tuple[tuple[Fraction, str], ...] = (
    (Fraction(1, 10), "major client"),
    (Fraction(1, 4), "high dependency"),
    (Fraction(3, 4), "economic dependency"),  # Spain's TRADE status
    (Fraction(5, 6), "one main client"),  # Germany's pension rule
)


@dataclass(frozen=True)
class ConcentrationFlag:
    """A client at or above one threshold."""

    client: str
    share: float
    threshold: float
    label: str


@dataclass(frozen=True)
class Concentration:
    """HHI (0-10,000), effective number of clients, top shares and flags."""

    hhi: float
    effective_clients: float | None
    top1_share: float
    top3_share: float
    flags: tuple[ConcentrationFlag, ...]


def concentration(revenue: Sequence[tuple[str, Decimal]]) -> Concentration:
    """From (client, trailing-12-month revenue) pairs, largest first."""
    total = sum((Fraction(amount) for _, amount in revenue), Fraction(0))
    if total <= 0:
        return Concentration(0.0, None, 0.0, 0.0, ())
    shares = [(client, Fraction(amount) / total) for client, amount in revenue]
    positive = [(client, share) for client, share in shares if share > 0]
    hhi = sum(((100 * share) ** 2 for _, share in positive), Fraction(0))
    flags = tuple(
        ConcentrationFlag(client, float(share), float(threshold), label)
        for client, share in positive
        for threshold, label in THRESHOLDS
        if share >= threshold
    )
    top = sorted((share for _, share in positive), reverse=True)
    return Concentration(
        hhi=float(hhi),
        effective_clients=float(10_000 / hhi) if hhi else None,
        top1_share=float(top[0]) if top else 0.0,
        top3_share=float(sum(top[:3])),
        flags=flags,
    )
