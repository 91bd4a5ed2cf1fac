"""Proposals in the books: read, checked at file:line, and their ids made prospects."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap
from decimal import Decimal

import pytest
from beancount import loader
from beancount.core import data

from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.ledger.proposals import ProposalReader, read_proposals
from beancount_freelance.core.ledger.reading import read_book
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue.streams import analyse

D = datetime.date
HEAD = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2016-01-01 open Assets:Bank
2016-01-01 open Income:Clients:Lefevre
2016-01-01 open Income:Consulting
2016-01-05 * "Lefevre" "Retainer"
  Assets:Bank             300.00 EUR
  Income:Clients:Lefevre -300.00 EUR
"""


def load(body: str) -> tuple[list, list[FreelanceError], dict]:  # type: ignore[type-arg]
    entries, errors, options = loader.load_string(HEAD + textwrap.dedent(body))
    ours = [e for e in errors if isinstance(e, FreelanceError)]
    assert [e.message for e in errors if e not in ours] == []
    return entries, ours, options


def test_a_proposal_and_its_outcome_are_read() -> None:
    entries, errors, _ = load(
        """
        2016-01-10 custom "proposal" "Verdier" 400.00 EUR "monthly" 0.7
        2016-02-01 custom "proposal-won" "Verdier" "signed"
        2016-01-12 custom "proposal" "Roux" 1200.00 EUR "once"
        2016-03-01 custom "proposal-declined" "Roux" "went with an agency"
        """
    )
    assert errors == []
    verdier, roux = read_proposals(entries).proposals
    assert (verdier.client, verdier.date, verdier.amount, verdier.currency) == (
        "Verdier",
        D(2016, 1, 10),
        Decimal("400.00"),
        "EUR",
    )
    assert (verdier.recurrence, verdier.probability) == ("monthly", Decimal("0.7"))
    assert (verdier.outcome, verdier.decided, verdier.note) == (
        "won",
        D(2016, 2, 1),
        "signed",
    )
    # No probability: even odds.
    assert (roux.recurrence, roux.probability) == ("once", Decimal("0.5"))
    assert (roux.outcome, roux.decided) == ("declined", D(2016, 3, 1))


def test_the_same_id_may_be_proposed_again_once_decided() -> None:
    entries, errors, _ = load(
        """
        2016-01-10 custom "proposal" "Roux" 300.00 EUR "monthly"
        2016-02-10 custom "proposal-declined" "Roux"
        2016-03-10 custom "proposal" "Roux" 250.00 EUR "monthly" 0.4
        """
    )
    assert errors == []
    first, second = read_proposals(entries).proposals
    assert (first.outcome, second.outcome) == ("declined", None)
    assert second.amount == Decimal("250.00")


def test_outcome_on_the_day_of_the_proposal() -> None:
    entries, errors, _ = load(
        """
        2016-01-10 custom "proposal" "Roux" 300.00 EUR "monthly"
        2016-01-10 custom "proposal-won" "Roux"
        """
    )
    assert errors == []
    (found,) = read_proposals(entries).proposals
    assert (found.outcome, found.decided) == ("won", D(2016, 1, 10))


# --- Every error, at its file and line, with its fix -------------------------

ERRORS = {
    "no amount": (
        '2016-02-01 custom "proposal" "Verdier" "monthly" 0.5',
        'Malformed proposal directive (given "Verdier" "monthly" 0.5): expected a '
        "client id, an amount, a recurrence and an optional probability; write "
        '`custom "proposal" "<client id>" <amount> <currency> "monthly" 0.5` '
        '("monthly" or "once"; the chance of winning, 0 to 1, is optional)',
    ),
    "id not a string": (
        '2016-02-01 custom "proposal" 42 400.00 EUR "monthly"',
        'Malformed proposal directive (given 42 400.00 EUR "monthly"): expected',
    ),
    "probability quoted": (
        '2016-02-01 custom "proposal" "Verdier" 400.00 EUR "monthly" "0.5"',
        'Malformed proposal directive (given "Verdier" 400.00 EUR "monthly" "0.5")',
    ),
    "five values": (
        '2016-02-01 custom "proposal" "Verdier" 400.00 EUR "monthly" 0.5 "x"',
        "Malformed proposal directive (given",
    ),
    "id with a space": (
        '2016-02-01 custom "proposal" "Verdier Archi" 400.00 EUR "monthly"',
        "Malformed proposal client id 'Verdier Archi': use a name without spaces "
        "or colons",
    ),
    "amount zero": (
        '2016-02-01 custom "proposal" "Roux" 0.00 EUR "monthly"',
        "Proposal for 'Roux' has amount 0.00 EUR, not above zero; write what the "
        "client would pay (a monthly fee, or the project's price)",
    ),
    "amount negative": (
        '2016-02-01 custom "proposal" "Roux" -300.00 EUR "once"',
        "Proposal for 'Roux' has amount -300.00 EUR, not above zero",
    ),
    "recurrence yearly": (
        '2016-02-01 custom "proposal" "Roux" 300.00 EUR "yearly"',
        "Proposal for 'Roux' has recurrence 'yearly'; write \"monthly\" for a "
        'regular fee or "once" for a one-off project',
    ),
    "probability a percentage": (
        '2016-02-01 custom "proposal" "Roux" 300.00 EUR "monthly" 50',
        "Proposal for 'Roux' has probability 50, outside 0 to 1; write the chance "
        "of winning it as a number from 0 to 1 (0.5 for even odds), or leave it "
        "out for 0.5",
    ),
    "probability negative": (
        '2016-02-01 custom "proposal" "Roux" 300.00 EUR "monthly" -0.1',
        "Proposal for 'Roux' has probability -0.1, outside 0 to 1",
    ),
    "won without a proposal": (
        '2016-02-01 custom "proposal-won" "Mercier"',
        "`proposal-won` for 'Mercier' without an open proposal on or before that "
        'date; add its `custom "proposal"` directive, or check the id and the dates',
    ),
    "declined without a proposal": (
        '2016-02-01 custom "proposal-declined" "Mercier" "no"',
        "`proposal-declined` for 'Mercier' without an open proposal on or before",
    ),
    "won with a number": (
        '2016-02-01 custom "proposal-won" 42',
        "Malformed proposal-won directive (given 42): expected one or two strings; "
        'write `custom "proposal-won" "<client id>" "<note>"` (note optional)',
    ),
    "declined with three strings": (
        '2016-02-01 custom "proposal-declined" "Roux" "a" "b"',
        'Malformed proposal-declined directive (given "Roux" "a" "b")',
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_each_mistake_is_one_error_at_its_line(name: str) -> None:
    line, message = ERRORS[name]
    _, errors, _ = load(line + "\n")
    (error,) = errors
    assert error.message.startswith(message)
    assert error.source["filename"] == "<string>"
    # HEAD has 9 lines, then the dedented body starts on a fresh line.
    assert error.source["lineno"] == HEAD.count("\n") + 1


def test_a_second_open_proposal_names_the_first() -> None:
    _, errors, _ = load(
        """
        2016-02-10 custom "proposal" "Dubois" 400.00 EUR "monthly" 0.6
        2016-02-20 custom "proposal" "Dubois" 450.00 EUR "monthly" 0.6
        """
    )
    (error,) = errors
    first_line = HEAD.count("\n") + 2
    assert error.source["lineno"] == first_line + 1
    assert error.message == (
        f"Second open proposal for 'Dubois': the one of 2016-02-10 (<string>:"
        f"{first_line}) has no outcome yet; record it first with "
        '`custom "proposal-won"` or `custom "proposal-declined"`, or remove one '
        "of them"
    )


def test_an_outcome_before_its_proposal_is_an_error() -> None:
    _, errors, _ = load(
        """
        2016-02-01 custom "proposal-won" "Dubois"
        2016-02-10 custom "proposal" "Dubois" 400.00 EUR "monthly"
        """
    )
    (error,) = errors
    assert error.message.startswith("`proposal-won` for 'Dubois' without an open")


def test_an_outcome_twice_is_an_error_the_second_time() -> None:
    _, errors, _ = load(
        """
        2016-02-01 custom "proposal" "Dubois" 400.00 EUR "monthly"
        2016-02-10 custom "proposal-won" "Dubois"
        2016-02-11 custom "proposal-declined" "Dubois"
        """
    )
    (error,) = errors
    assert error.message.startswith("`proposal-declined` for 'Dubois' without an")
    assert error.source["lineno"] == HEAD.count("\n") + 4


# --- Prospects ---------------------------------------------------------------


def statuses(body: str, as_of: datetime.date) -> dict[str, str]:
    entries, _, options = load(body)
    return {c.id: c.status for c in analyse(ask(entries, options, as_of=as_of)).clients}


PROSPECTS = """
2016-02-01 custom "proposal" "Verdier" 400.00 EUR "monthly"
2016-02-01 custom "proposal" "Roux" 300.00 EUR "monthly"
2016-03-01 custom "proposal-declined" "Roux"
2016-02-01 custom "proposal" "Petit" 300.00 EUR "once"
2016-03-01 custom "proposal-won" "Petit"
"""


def test_an_undeclared_id_is_a_prospect_while_a_proposal_is_open_or_won() -> None:
    # Before its proposal, no one; while open, a prospect; declined, no one again.
    assert statuses(PROSPECTS, D(2016, 1, 20)) == {"Lefevre": "active"}
    assert statuses(PROSPECTS, D(2016, 2, 15)) == {
        "Lefevre": "active",
        "Petit": "prospect",
        "Roux": "prospect",
        "Verdier": "prospect",
    }
    assert statuses(PROSPECTS, D(2016, 3, 15)) == {
        "Lefevre": "active",
        "Petit": "prospect",  # won, no revenue yet: no error either
        "Verdier": "prospect",
    }


def test_a_won_prospect_with_revenue_is_a_client() -> None:
    body = PROSPECTS + textwrap.dedent(
        """
        2016-03-10 * "Petit" "Project"
          client: "Petit"
          Assets:Bank          900.00 EUR
          Income:Consulting   -900.00 EUR
        """
    )
    entries, errors, options = load(body)
    # `client: "Petit"` names an id known by a proposal: no unknown-client error.
    assert errors == []
    found = {
        c.id: c for c in analyse(ask(entries, options, as_of=D(2016, 3, 15))).clients
    }
    assert (found["Petit"].status, found["Petit"].revenue_total) == (
        "active",
        Decimal("900.00"),
    )


def test_an_id_known_by_a_declined_proposal_only_is_not_unknown() -> None:
    _, errors, _ = load(
        """
        2016-02-01 custom "proposal" "Roux" 300.00 EUR "monthly"
        2016-03-01 custom "proposal-declined" "Roux"
        2016-04-01 * "Roux" "Came back after all"
          client: "Roux"
          Assets:Bank          300.00 EUR
          Income:Consulting   -300.00 EUR
        2016-05-01 custom "client-lost" "Roux" "for good"
        """
    )
    assert errors == []


def test_the_book_knows_proposal_ids_and_keeps_declarations_first() -> None:
    entries, _, _ = load(
        """
        2016-01-02 custom "client" "Verdier" "Verdier Architectes"
        2016-02-01 custom "proposal" "Verdier" 400.00 EUR "monthly"
        2016-02-01 custom "proposal" "Nouveau" 400.00 EUR "monthly"
        """
    )
    book, errors = read_book(entries, Config())
    assert errors == []
    assert book.clients["Verdier"].name == "Verdier Architectes"
    assert book.clients["Nouveau"].name == "Nouveau"
    assert {p.client for p in book.proposals.proposals} == {"Verdier", "Nouveau"}


# --- Budgets and Flask stay off the plugin's path -----------------------------


def test_the_plugin_never_imports_flask_nor_fava_budgets() -> None:
    with_ceilings = HEAD.replace(
        'plugin "beancount_freelance.plugin"',
        "plugin \"beancount_freelance.plugin\" \"{'ceilings': [('Micro BNC', 100)]}\"",
    )
    ledger = with_ceilings + textwrap.dedent(
        """
        2016-01-01 custom "budget" Income:Clients "yearly" 12000.00 EUR
        2016-02-01 custom "proposal" "Verdier" 400.00 EUR "monthly"
        """
    )
    script = textwrap.dedent(
        f"""
        import sys
        from beancount import loader
        entries, errors, _ = loader.load_string({ledger!r})
        assert any("Micro BNC" in e.message for e in errors), errors
        heavy = [m for m in ("flask", "fava.core.budgets", "fava") if m in sys.modules]
        print(",".join(heavy))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_a_directive_without_values_is_reported_without_its_entry() -> None:
    # Beancount's printer raises on a `custom` with no value: the error names the
    # file and line and carries no entry.
    meta = data.new_metadata("books.beancount", 12)
    reader = ProposalReader()
    for kind in ("proposal", "proposal-won"):
        reader.read(data.Custom(meta, D(2016, 1, 1), kind, None))  # type: ignore[arg-type]
    found = reader.proposals()
    assert found.proposals == ()
    assert [(p.source["lineno"], p.entry) for p in found.problems] == [
        (12, None),
        (12, None),
    ]
    assert found.problems[0].message.startswith(
        "Malformed proposal directive (no value): expected a client id"
    )
    assert found.problems[1].message.startswith(
        "Malformed proposal-won directive (no value): expected one or two strings"
    )
