"""Proposals in the books: what the freelancer offered, and what came of it.

    2016-01-10 custom "proposal" "Verdier" 400.00 EUR "monthly" 0.5
    2016-02-01 custom "proposal-won" "Verdier"
    2016-03-01 custom "proposal-declined" "Roux" "went with an agency"

`ProposalReader` takes these directives one at a time (the client book's reader
hands them over while it reads the declarations) and `proposals()` returns every
proposal with its outcome, and the problems found, each at the directive's file
and line with its fix (docs/errors.md). A leaf module: it imports nothing of the
package, so that the client book can use it; its problems become the book's
`FreelanceError`s. Pure functions over Beancount's entries: no I/O.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from beancount_freelance.core.messages import N_, message

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

PROPOSAL = "proposal"
WON = "proposal-won"
DECLINED = "proposal-declined"
PROPOSAL_TYPES = frozenset((PROPOSAL, WON, DECLINED))
DEFAULT_PROBABILITY = Decimal("0.5")
RECURRENCES = ("monthly", "once")

Recurrence = Literal["monthly", "once"]
Outcome = Literal["won", "declined"]


def _usage() -> str:
    return message(
        N_(
            '{directive} ("monthly" or "once"; the chance of winning, 0 to 1, '
            "is optional)"
        ),
        directive=_DIRECTIVE,
    )


_DIRECTIVE = '`custom "proposal" "<client id>" <amount> <currency> "monthly" 0.5`'


class ProposalProblem(NamedTuple):
    """A proposal directive that is wrong: where, why, and the entry."""

    source: data.Meta
    message: str
    entry: data.Directive | None


@dataclass(frozen=True)
class Proposal:
    """One proposal sent to a client (or a prospect), and its outcome if known."""

    client: str
    date: datetime.date
    amount: Decimal
    currency: str
    recurrence: Recurrence
    probability: Decimal
    outcome: Outcome | None = None
    decided: datetime.date | None = None
    note: str = ""
    source: data.Meta | None = None

    def is_open_on(self, day: datetime.date) -> bool:
        """Sent on or before `day`, and not decided by then."""
        return self.date <= day and (self.decided is None or self.decided > day)

    def is_won_by(self, day: datetime.date) -> bool:
        return (
            self.outcome == "won" and self.decided is not None and self.decided <= day
        )


@dataclass(frozen=True)
class Proposals:
    """Every proposal of a ledger, in date order, and what was wrong."""

    proposals: tuple[Proposal, ...] = ()
    problems: tuple[ProposalProblem, ...] = ()

    def prospects_on(self, day: datetime.date) -> frozenset[str]:
        """Ids with a proposal open or won on `day`: prospects, unless clients."""
        return frozenset(
            p.client for p in self.proposals if p.is_open_on(day) or p.is_won_by(day)
        )

    def ids(self) -> frozenset[str]:
        """Every id a proposal names: known to the book, so never "unknown"."""
        return frozenset(proposal.client for proposal in self.proposals)


@dataclass(frozen=True)
class _Outcome:
    client: str
    outcome: Outcome
    date: datetime.date
    note: str
    entry: data.Custom


class ProposalReader:
    """Reads `proposal`, `proposal-won` and `proposal-declined` one at a time."""

    def __init__(self) -> None:
        self._sent: list[Proposal] = []
        self._outcomes: list[_Outcome] = []
        self._problems: list[ProposalProblem] = []

    def read(self, entry: data.Custom) -> None:
        """Take one of the three directives into account (others are ignored)."""
        if entry.type == PROPOSAL:
            proposal = _read_proposal(entry, self._problems)
            if proposal is not None:
                self._sent.append(proposal)
        elif entry.type in (WON, DECLINED):
            outcome = _read_outcome(entry, self._problems)
            if outcome is not None:
                self._outcomes.append(outcome)

    def proposals(self) -> Proposals:
        """Each proposal with its outcome; a second open one or a lone outcome is
        a problem."""
        problems = list(self._problems)
        steps: list[tuple[datetime.date, int, int, Proposal | _Outcome]] = [
            (p.date, _lineno(p.source), 0, p) for p in self._sent
        ]
        steps.extend((o.date, _lineno(o.entry.meta), 1, o) for o in self._outcomes)
        steps.sort(key=lambda step: step[:3])
        open_by_client: dict[str, int] = {}
        found: list[Proposal] = []
        for _, _, _, step in steps:
            if isinstance(step, Proposal):
                _send(step, open_by_client, found, problems)
            else:
                _decide(step, open_by_client, found, problems)
        return Proposals(tuple(found), tuple(problems))


def read_proposals(entries: Iterable[data.Directive]) -> Proposals:
    """The proposals of a ledger's entries."""
    reader = ProposalReader()
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type in PROPOSAL_TYPES:
            reader.read(entry)
    return reader.proposals()


def _send(
    proposal: Proposal,
    open_by_client: dict[str, int],
    found: list[Proposal],
    problems: list[ProposalProblem],
) -> None:
    index = open_by_client.get(proposal.client)
    if index is not None:
        first = found[index]
        problems.append(
            ProposalProblem(
                proposal.source or {},
                message(
                    N_(
                        "Second open proposal for {client!r}: the one of {date} "
                        "({where}) has no outcome yet; record it first with "
                        '`custom "{won}"` or `custom "{declined}"`, or remove one '
                        "of them"
                    ),
                    client=proposal.client,
                    date=first.date,
                    where=_where(first.source),
                    won=WON,
                    declined=DECLINED,
                ),
                None,
            )
        )
        return
    open_by_client[proposal.client] = len(found)
    found.append(proposal)


def _decide(
    outcome: _Outcome,
    open_by_client: dict[str, int],
    found: list[Proposal],
    problems: list[ProposalProblem],
) -> None:
    index = open_by_client.pop(outcome.client, None)
    if index is None:
        problems.append(
            ProposalProblem(
                outcome.entry.meta,
                message(
                    N_(
                        "`{type}` for {client!r} without an open proposal on or "
                        'before that date; add its `custom "{proposal}"` directive, '
                        "or check the id and the dates"
                    ),
                    type=outcome.entry.type,
                    client=outcome.client,
                    proposal=PROPOSAL,
                ),
                outcome.entry,
            )
        )
        return
    sent = found[index]
    found[index] = Proposal(
        client=sent.client,
        date=sent.date,
        amount=sent.amount,
        currency=sent.currency,
        recurrence=sent.recurrence,
        probability=sent.probability,
        outcome=outcome.outcome,
        decided=outcome.date,
        note=outcome.note,
        source=sent.source,
    )


def _read_proposal(
    entry: data.Custom, problems: list[ProposalProblem]
) -> Proposal | None:
    values = [(v.value, v.dtype) for v in entry.values or ()]
    shape_ok = (
        3 <= len(values) <= 4
        and values[0][1] is str
        and isinstance(values[0][0], str)
        and values[1][1] is Amount
        and isinstance(values[1][0], Amount)
        and isinstance(values[1][0].number, Decimal)
        and values[2][1] is str
        and isinstance(values[2][0], str)
        and (len(values) == 3 or values[3][1] is Decimal)
    )
    if not shape_ok:
        problems.append(
            ProposalProblem(
                entry.meta,
                message(
                    N_(
                        "Malformed proposal directive ({given}): expected a client "
                        "id, an amount, a recurrence and an optional probability; "
                        "write {usage}"
                    ),
                    given=_given(entry),
                    usage=_usage(),
                ),
                _printable(entry),
            )
        )
        return None
    client, offered, recurrence = values[0][0], values[1][0], values[2][0]
    probability = values[3][0] if len(values) == 4 else DEFAULT_PROBABILITY
    problem = _value_problem(client, offered, recurrence, probability)
    if problem is not None:
        problems.append(ProposalProblem(entry.meta, problem, entry))
        return None
    return Proposal(
        client=client,
        date=entry.date,
        amount=offered.number,
        currency=str(offered.currency),
        recurrence="monthly" if recurrence == "monthly" else "once",
        probability=probability,
        source=entry.meta,
    )


def _value_problem(
    client: str, offered: Amount, recurrence: str, probability: Decimal
) -> str | None:
    """What is wrong with a well-shaped proposal's values, if anything."""
    if not client or any(c.isspace() or c == ":" for c in client):
        return message(
            N_(
                "Malformed proposal client id {client!r}: use a name without spaces "
                "or colons, as in an account component; write {usage}"
            ),
            client=client,
            usage=_usage(),
        )
    if offered.number is None or not offered.number > 0:
        return message(
            N_(
                "Proposal for {client!r} has amount {amount}, not above zero; write "
                "what the client would pay (a monthly fee, or the project's price)"
            ),
            client=client,
            amount=str(offered),
        )
    if recurrence not in RECURRENCES:
        return message(
            N_(
                "Proposal for {client!r} has recurrence {recurrence!r}; write "
                '"monthly" for a regular fee or "once" for a one-off project'
            ),
            client=client,
            recurrence=recurrence,
        )
    if not 0 <= probability <= 1:
        return message(
            N_(
                "Proposal for {client!r} has probability {probability}, outside 0 "
                "to 1; write the chance of winning it as a number from 0 to 1 (0.5 "
                "for even odds), or leave it out for 0.5"
            ),
            client=client,
            probability=probability,
        )
    return None


def _read_outcome(
    entry: data.Custom, problems: list[ProposalProblem]
) -> _Outcome | None:
    values = [(v.value, v.dtype) for v in entry.values or ()]
    if not 1 <= len(values) <= 2 or any(
        dtype is not str or not isinstance(value, str) for value, dtype in values
    ):
        problems.append(
            ProposalProblem(
                entry.meta,
                message(
                    N_(
                        "Malformed {type} directive ({given}): expected one or two "
                        'strings; write `custom "{type}" "<client id>" "<note>"` '
                        "(note optional)"
                    ),
                    type=entry.type,
                    given=_given(entry),
                ),
                _printable(entry),
            )
        )
        return None
    outcome: Outcome = "won" if entry.type == WON else "declined"
    note = str(values[1][0]) if len(values) == 2 else ""
    return _Outcome(str(values[0][0]), outcome, entry.date, note, entry)


def _given(entry: data.Custom) -> str:
    values: Sequence[Any] = entry.values or ()
    if not values:
        return message(N_("no value"))
    return message(
        N_("given {values}"),
        values=" ".join(
            f'"{v.value}"' if isinstance(v.value, str) else str(v.value) for v in values
        ),
    )


def _printable(entry: data.Custom) -> data.Custom | None:
    """Beancount's printer raises on a `custom` directive without values."""
    return entry if entry.values else None


def _lineno(source: data.Meta | None) -> int:
    lineno = (source or {}).get("lineno", 0)
    return lineno if isinstance(lineno, int) else 0


def _where(source: data.Meta | None) -> str:
    source = source or {}
    return f"{source.get('filename')}:{source.get('lineno')}"
