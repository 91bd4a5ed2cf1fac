"""The plugin: client metadata added, nothing else changed, every error at its line."""

from __future__ import annotations

import copy
import subprocess
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

from beancount_freelance.core.ledger.book import CLIENT_KEY, FreelanceError
from beancount_freelance.plugin import attribute_clients

PLUGIN = 'plugin "beancount_freelance.plugin"'
OPENS = """
option "operating_currency" "EUR"
2014-01-01 open Assets:Bank
2014-01-01 open Assets:AccountsReceivable
2014-01-01 open Income:Clients
2014-01-01 open Income:Clients:Lefevre
2014-01-01 open Income:Clients:Acme
2014-01-01 open Income:Freelance
2014-01-01 open Income:Interest
2014-01-01 open Expenses:Software
"""


def ledger(body: str, plugin: str = PLUGIN) -> str:
    return plugin + "\n" + OPENS + textwrap.dedent(body)


def freelance_errors(text: str) -> list[FreelanceError]:
    """The plugin's errors, after checking Beancount itself found nothing wrong."""
    _, errors, _ = loader.load_string(text)
    ours = [error for error in errors if isinstance(error, FreelanceError)]
    assert [e.message for e in errors if e not in ours] == []
    return ours


# --- Every error: message, file and line --------------------------------------

LEFEVRE_REVENUE = """
2014-10-05 * "Retainer"
  Assets:Bank  300 EUR
  Income:Clients:Lefevre
"""

ERRORS: dict[str, tuple[str, str, str]] = {
    # name: (ledger body, a snippet of the offending line, the message)
    "client with three values": (
        '2014-02-01 custom "client" "Lefevre" "Cabinet" "extra"',
        '"extra"',
        'Malformed client directive (given "Lefevre" "Cabinet" "extra"): expected '
        'one or two strings; write `custom "client" "<id>" "<name>"` (name optional)',
    ),
    "client with a number": (
        '2014-02-01 custom "client" 42',
        "42",
        "Malformed client directive (given 42): expected one or two strings; "
        'write `custom "client" "<id>" "<name>"` (name optional)',
    ),
    "client id with a space": (
        '2014-02-01 custom "client" "Cabinet Lefevre"',
        "Cabinet Lefevre",
        "Malformed client id 'Cabinet Lefevre': use a name without spaces or "
        "colons, as in an account component; write "
        '`custom "client" "<id>" "<name>"` (name optional)',
    ),
    "duplicate declaration": (
        """
        2014-02-01 custom "client" "Acme" "Acme"
        2014-03-01 custom "client" "Acme" "Acme again"
        """,
        "Acme again",
        "Duplicate declaration of client 'Acme' (first declared at <string>:13); "
        "keep only one",
    ),
    "invalid payee regex": (
        """
        2014-02-01 custom "client" "Lefevre"
          payee: "LEF("
        """,
        'custom "client"',
        "Client 'Lefevre' has an invalid payee regex 'LEF(': missing ), "
        "unterminated subpattern at position 3; fix the regex (escape special "
        "characters with a backslash)",
    ),
    "payee not a string": (
        """
        2014-02-01 custom "client" "Lefevre"
          payee: 12
        """,
        'custom "client"',
        "Client 'Lefevre' has a payee that is not a non-empty string (12); write "
        '`payee: "REGEX"` in quotes',
    ),
    "invalid account": (
        """
        2014-02-01 custom "client" "Lefevre"
          account: "not an account"
        """,
        'custom "client"',
        "Client 'Lefevre' has an invalid account 'not an account'; write "
        "`account: Income:Clients:Lefevre`",
    ),
    "account of two clients": (
        """
        2014-02-01 custom "client" "Studio"
          account: Income:Freelance
        2014-02-02 custom "client" "Atelier"
          account: Income:Freelance
        """,
        '"Atelier"',
        "Client 'Atelier' declares account Income:Freelance, already the account "
        "of client 'Studio'; give each client its own account, or use `payee:` "
        "regexes on a shared account",
    ),
    "payee matching several clients": (
        """
        2014-02-01 custom "client" "Lefevre"
          payee: "LEFEVRE"
        2014-02-01 custom "client" "Lef"
          payee: "LEF"
        2014-10-05 * "LEFEVRE SARL" "Workshop"
          Assets:Bank  300 EUR
          Income:Freelance
        """,
        "LEFEVRE SARL",
        "Payee 'LEFEVRE SARL' matches the payee regex of several clients "
        '(Lefevre, Lef); make the regexes exclusive or add `client: "<id>"` to '
        "the transaction",
    ),
    "unknown client in posting metadata": (
        """
        2014-10-05 * "Retainer"
          Assets:Bank  300 EUR
          Income:Freelance  -300 EUR
            client: "Lefevr"
        """,
        "Income:Freelance  -300",
        "Unknown client 'Lefevr' in posting metadata client:; did you mean 'Lefevre'?",
    ),
    "unknown client in transaction metadata": (
        """
        2014-10-05 * "Retainer"
          client: "acme"
          Assets:Bank  300 EUR
          Income:Freelance
        """,
        '"Retainer"',
        "Unknown client 'acme' in transaction metadata client:; did you mean 'Acme'?",
    ),
    "unknown client, nothing close": (
        """
        2014-10-05 * "Retainer"
          client: "Zorglub"
          Assets:Bank  300 EUR
          Income:Freelance
        """,
        '"Retainer"',
        "Unknown client 'Zorglub' in transaction metadata client:; declare it with "
        '`custom "client" "Zorglub" "<name>"`',
    ),
    "unknown client in client-lost": (
        '2015-12-29 custom "client-lost" "Lefevrre" "Restructuring"',
        "client-lost",
        "Unknown client 'Lefevrre' in `client-lost`; did you mean 'Lefevre'?",
    ),
    "unknown client in client-back": (
        '2015-12-29 custom "client-back" "ACME"',
        "client-back",
        "Unknown client 'ACME' in `client-back`; did you mean 'Acme'?",
    ),
    "client metadata not a string": (
        """
        2014-10-05 * "Retainer"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre  -300 EUR
            client: 12
        """,
        "Income:Clients:Lefevre  -300",
        'The posting metadata client: must be a client id in quotes, as `client: "'
        '<id>"`, not 12',
    ),
    "unattributed income under require_client": (
        """
        2014-10-05 * "Someone" "Unknown payer"
          Assets:Bank  300 EUR
          Income:Clients  -300 EUR
        """,
        "Income:Clients  -300",
        'Income posting to Income:Clients has no client; add `client: "<id>"` to '
        "the posting or the transaction, book it to the client's account, or give "
        "the client a `payee:` regex",
    ),
    "client-lost without revenue before": (
        LEFEVRE_REVENUE + '2014-10-01 custom "client-lost" "Acme"',
        "client-lost",
        "Client 'Acme' is lost on 2014-10-01 but has no revenue on or before "
        "that date; check the date or the client id",
    ),
    "lost twice": (
        LEFEVRE_REVENUE
        + '2015-01-01 custom "client-lost" "Lefevre"\n'
        + '2015-02-01 custom "client-lost" "Lefevre" "again"\n',
        '"again"',
        "Client 'Lefevre' is lost twice without a `client-back` between; remove "
        "one loss or add the return",
    ),
    "back without loss": (
        LEFEVRE_REVENUE + '2015-01-01 custom "client-back" "Lefevre"',
        "client-back",
        "`client-back` for 'Lefevre' without an earlier `client-lost`; add the "
        "loss or remove the return",
    ),
    "revenue after loss": (
        LEFEVRE_REVENUE
        + '2015-01-01 custom "client-lost" "Lefevre"\n'
        + '2015-02-05 * "Paid again"\n'
        + "  Assets:Bank  300 EUR\n"
        + "  Income:Clients:Lefevre  ; paid while lost\n",
        "paid while lost",
        "Revenue from 'Lefevre' on 2015-02-05 after its loss on 2015-01-01; add "
        '`2015-02-05 custom "client-back" "Lefevre"` if the client came back, or '
        "check the client of this posting",
    ),
    "client-lost with a number": (
        '2015-01-01 custom "client-lost" 42',
        "client-lost",
        "Malformed client-lost directive (given 42): expected one or two strings; "
        'write `custom "client-lost" "<client id>" "<reason>"` (reason optional)',
    ),
    "client-back with three values": (
        '2015-01-01 custom "client-back" "Lefevre" "a" "b"',
        "client-back",
        'Malformed client-back directive (given "Lefevre" "a" "b"): expected one or '
        'two strings; write `custom "client-back" "<client id>" "<reason>"` '
        "(reason optional)",
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_each_error_has_its_message_at_the_offending_line(
    name: str, line_of: Callable[[str, str], int]
) -> None:
    body, snippet, message = ERRORS[name]
    text = ledger(textwrap.dedent(body))
    [error] = freelance_errors(text)
    assert error.message == message
    assert error.source["filename"] == "<string>"
    assert error.source["lineno"] == line_of(text, snippet)


def test_unattributed_income_under_a_configured_scope(
    line_of: Callable[[str, str], int],
) -> None:
    text = ledger(
        """
        2014-10-05 * "Workshop"
          Assets:Bank  300 EUR
          Income:Freelance  -300 EUR
        2014-10-06 * "Interest"
          Assets:Bank  1 EUR
          Income:Interest  -1 EUR
        """,
        plugin=PLUGIN + " \"{'require_client': '^Income:Freelance'}\"",
    )
    [error] = freelance_errors(text)
    assert error.message.startswith("Income posting to Income:Freelance has no client")
    assert error.source["lineno"] == line_of(text, "Income:Freelance  -300")


def test_a_directive_without_values_is_malformed(
    line_of: Callable[[str, str], int],
) -> None:
    # Beancount's own `pad` plugin fails on a custom directive without values, so
    # the plugin is run here on the parsed entries.
    text = ledger('2014-02-01 custom "client"\n', plugin="")
    entries, _, options = loader.load_string(text)
    _, errors = attribute_clients(entries, options)
    assert [(e.message, e.source["lineno"]) for e in errors] == [
        (
            "Malformed client directive (no value): expected one or two strings; "
            'write `custom "client" "<id>" "<name>"` (name optional)',
            line_of(text, 'custom "client"'),
        )
    ]


# --- The configuration ----------------------------------------------------------

CONFIG_ERRORS = {
    "{'max_share': 0.5": "does not parse (SyntaxError)",
    "{'max_share': half}": "does not parse (ValueError)",
    "['income']": "must be a dict, not list",
    "{'require_clients': '^Income'}": "unknown key 'require_clients'; did you mean "
    "'require_client'?",
    "{'income': 3}": "'income' must be a regex string",
    "{'income': '('}": "'income' is not a valid regex",
    "{'dormant_after_days': 'soon'}": "'dormant_after_days' must be a whole number",
    "{'payment_terms_days': -1}": "'payment_terms_days' must be a whole number",
    "{'max_share': 2}": "'max_share' must be between 0 and 1",
    "{'max_share': 'half'}": "'max_share' must be a number between 0 and 1",
    "{'check_links': 'yes'}": "'check_links' must be True or False",
}


@pytest.mark.parametrize("config", sorted(CONFIG_ERRORS))
def test_a_bad_config_is_one_error_at_the_plugin_line(
    config: str, tmp_path: Path
) -> None:
    main = tmp_path / "main.beancount"
    body = ledger(LEFEVRE_REVENUE, plugin="")
    main.write_text(f'option "title" "Books"\n{PLUGIN} "{config}"\n{body}')
    entries, errors, _ = loader.load_file(str(main))
    [error] = errors
    assert isinstance(error, FreelanceError)
    assert CONFIG_ERRORS[config] in error.message
    assert error.message.startswith("beancount_freelance config ")
    assert (error.source["filename"], error.source["lineno"]) == (str(main), 2)
    # Nothing is changed while the configuration is wrong.
    assert all(CLIENT_KEY not in entry.meta for entry in entries)


# --- Only metadata is added, and only once ---------------------------------------

MIXED = """
2014-09-15 custom "client" "Studio" "Studio Graphique"
  payee: "STUDIO"
2014-10-05 * "Cabinet Lefevre" "Retainer" #retainer ^invoice-2014-001
  Assets:AccountsReceivable  300.00 EUR
  Income:Clients:Lefevre
2014-10-06 * "STUDIO G" "Workshop" ^invoice-2014-002
  Assets:Bank  250 EUR
  Income:Freelance  -250 EUR
    note: "first workshop"
2014-10-07 * "Split" "Two clients and interest"
  Assets:Bank  401 EUR
  Income:Clients:Lefevre  -100 EUR
  Income:Clients:Acme  -300 EUR
  Income:Interest  -1 EUR
2014-10-08 * "Nobody" "Interest only"
  Assets:Bank  1 EUR
  Income:Interest
2014-10-09 * "Software"
  Expenses:Software  20 EUR
  Assets:Bank
2014-10-10 * "Paid in dollars"
  Assets:Bank  80 EUR
  Income:Clients:Acme  -100 USD @ 0.80 EUR
2014-11-05 * "Cabinet Lefevre" "Payment" ^invoice-2014-001
  Assets:Bank  300.00 EUR
  Assets:AccountsReceivable
"""

EXPECTED_CLIENTS = {
    # narration: (transaction client, clients of the income postings)
    "Retainer": ("Lefevre", ["Lefevre"]),
    "Workshop": ("Studio", ["Studio"]),
    "Two clients and interest": (None, ["Lefevre", "Acme", None]),
    "Interest only": (None, [None]),
    "Software": (None, []),
    "Paid in dollars": ("Acme", ["Acme"]),
    "Payment": (None, []),
}


def strip_client(meta: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if meta is None else {k: v for k, v in meta.items() if k != CLIENT_KEY}


def test_the_plugin_only_adds_client_metadata() -> None:
    before, errors, _ = loader.load_string(ledger(MIXED, plugin=""))
    after, errors_after, _ = loader.load_string(ledger(MIXED))
    assert errors == errors_after == []
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert type(old) is type(new)
        if not isinstance(old, data.Transaction):
            assert old == new
            continue
        assert new._replace(meta=None, postings=None) == old._replace(
            meta=None, postings=None
        )
        assert strip_client(new.meta) == old.meta
        assert len(new.postings) == len(old.postings)
        for old_posting, new_posting in zip(old.postings, new.postings, strict=True):
            assert new_posting._replace(meta=None) == old_posting._replace(meta=None)
            assert strip_client(new_posting.meta) == old_posting.meta


def test_client_metadata_where_the_design_says() -> None:
    entries, _, _ = loader.load_string(ledger(MIXED))
    found = {
        entry.narration: (
            entry.meta.get(CLIENT_KEY),
            [
                (posting.meta or {}).get(CLIENT_KEY)
                for posting in entry.postings
                if posting.account.startswith("Income:")
            ],
        )
        for entry in entries
        if isinstance(entry, data.Transaction)
    }
    assert found == EXPECTED_CLIENTS
    # Non-income postings never get a client.
    for entry in entries:
        if isinstance(entry, data.Transaction):
            for posting in entry.postings:
                if not posting.account.startswith("Income:"):
                    assert CLIENT_KEY not in (posting.meta or {})


def test_running_twice_is_running_once() -> None:
    once, errors_once, options = loader.load_string(ledger(MIXED))
    # The plugin writes into the metadata it is given: run it on a copy.
    twice, errors_twice = attribute_clients(copy.deepcopy(once), options)
    assert errors_once == errors_twice == []
    # Namedtuple equality compares the metadata dicts as well.
    assert twice == once
    assert [entry.meta for entry in twice] == [entry.meta for entry in once]


def test_the_plugin_returns_the_same_entries() -> None:
    entries, _, options = loader.load_string(ledger(MIXED, plugin=""))
    result, _ = attribute_clients(entries, options)
    assert result is entries
    [retainer] = [e for e in entries if getattr(e, "narration", "") == "Retainer"]
    assert retainer.meta[CLIENT_KEY] == "Lefevre"


def test_missing_or_shared_posting_metadata_is_copied_not_shared() -> None:
    entries, _, options = loader.load_string(ledger(MIXED, plugin=""))
    position, split = next(
        (i, e)
        for i, e in enumerate(entries)
        if getattr(e, "narration", "") == "Two clients and interest"
    )
    shared = {"filename": "<generated>", "lineno": 1}
    bank, lefevre, acme, interest = split.postings
    generated = split._replace(
        postings=[
            bank,
            lefevre._replace(meta=shared),
            acme._replace(meta=shared),
            interest._replace(meta=None),
        ]
    )
    entries[position] = generated
    result, errors = attribute_clients(entries, options)
    assert errors == []
    new = result[position]
    assert [(p.meta or {}).get(CLIENT_KEY) for p in new.postings] == [
        None,
        "Lefevre",
        "Acme",
        None,
    ]
    # The dict both postings shared is left as it was.
    assert shared == {"filename": "<generated>", "lineno": 1}
    assert new.postings[3].meta is None


def test_an_income_posting_without_metadata_gets_a_new_posting() -> None:
    entries, _, options = loader.load_string(ledger(MIXED, plugin=""))
    position, retainer = next(
        (i, e)
        for i, e in enumerate(entries)
        if getattr(e, "narration", "") == "Retainer"
    )
    receivable, income = retainer.postings
    entries[position] = retainer._replace(
        postings=[receivable, income._replace(meta=None)]
    )
    result, _ = attribute_clients(entries, options)
    new = result[position]
    assert new is not entries[position]
    assert new.postings[1].meta == {CLIENT_KEY: "Lefevre"}
    assert new.postings[1]._replace(meta=None) == income._replace(meta=None)
    assert new.meta[CLIENT_KEY] == "Lefevre"


def test_running_twice_reports_the_same_errors() -> None:
    body = textwrap.dedent(
        ERRORS["unknown client in transaction metadata"][0]
    ) + textwrap.dedent(
        """
        2014-10-06 * "Bad metadata"
          client: 12
          Assets:Bank  300 EUR
          Income:Clients:Acme
        2014-10-07 * "Lefevr"
          Assets:Bank  300 EUR
          Income:Clients:Lefevre  -300 EUR
            client: "Lefevr"
        """
    )
    once, errors_once, options = loader.load_string(ledger(body))
    twice, errors_twice = attribute_clients(copy.deepcopy(once), options)
    assert len(errors_once) == 3
    assert [e.message for e in errors_twice] == [e.message for e in errors_once]
    assert twice == once


def test_unknown_clients_are_not_spread_to_other_postings() -> None:
    entries, _, _ = loader.load_string(
        ledger(ERRORS["unknown client in transaction metadata"][0])
    )
    [entry] = [e for e in entries if isinstance(e, data.Transaction)]
    assert entry.meta[CLIENT_KEY] == "acme"
    assert all(CLIENT_KEY not in (p.meta or {}) for p in entry.postings)


def test_no_client_and_no_income_changes_nothing() -> None:
    text = """
        option "operating_currency" "EUR"
        2014-01-01 open Assets:Bank
        2014-01-01 open Expenses:Software
        2014-01-01 open Equity:Opening
        2014-01-02 * "Opening"
          Assets:Bank  1000 EUR
          Equity:Opening
        2014-01-03 * "Software"
          Expenses:Software  20 EUR
          Assets:Bank
        """
    without, _, options = loader.load_string(textwrap.dedent(text))
    entries, errors, _ = loader.load_string(PLUGIN + textwrap.dedent(text))
    assert errors == []
    assert entries == without
    result, plugin_errors = attribute_clients(without, options)
    assert result is without
    assert plugin_errors == []


def test_beancounts_documented_convention_needs_no_declaration() -> None:
    # Income:Clients:<Name>, Assets:AccountsReceivable and ^invoice links, as in
    # Beancount's documentation on invoices; not a single declaration.
    text = """
        plugin "beancount_freelance.plugin"
        option "operating_currency" "USD"
        2014-01-01 open Assets:Checking
        2014-01-01 open Assets:AccountsReceivable
        2014-01-01 open Income:Clients:Acme
        2014-01-01 open Income:Clients:Bigco
        2014-01-01 open Income:Clients:Bigco:Expenses
        2014-03-01 * "Acme" "Invoice 2014-03" ^invoice-acme-2014-03
          Assets:AccountsReceivable  2400.00 USD
          Income:Clients:Acme
        2014-03-15 * "Bigco" "Invoice 2014-03, with expenses" ^invoice-bigco-2014-03
          Assets:AccountsReceivable  3180.00 USD
          Income:Clients:Bigco  -3000.00 USD
          Income:Clients:Bigco:Expenses  -180.00 USD
        2014-04-02 * "Acme" "Payment" ^invoice-acme-2014-03
          Assets:Checking  2400.00 USD
          Assets:AccountsReceivable
        2014-04-20 * "Bigco" "Payment" ^invoice-bigco-2014-03
          Assets:Checking  3180.00 USD
          Assets:AccountsReceivable
        """
    entries, errors, _ = loader.load_string(textwrap.dedent(text))
    assert errors == []
    income = [
        (entry.meta.get(CLIENT_KEY), posting.account, posting.meta.get(CLIENT_KEY))
        for entry in entries
        if isinstance(entry, data.Transaction)
        for posting in entry.postings
        if posting.account.startswith("Income:")
    ]
    assert income == [
        ("Acme", "Income:Clients:Acme", "Acme"),
        ("Bigco", "Income:Clients:Bigco", "Bigco"),
        ("Bigco", "Income:Clients:Bigco:Expenses", "Bigco"),
    ]


# --- The commands: bean-check and bean-query -----------------------------------


def test_bean_check_passes_on_the_example_ledger(
    command: Callable[[str], str], repo_root: Path
) -> None:
    main = repo_root / "example_ledger" / "main.beancount"
    if not main.exists():
        pytest.skip("example_ledger/main.beancount is not written yet")
    run = subprocess.run(
        [command("bean-check"), "-C", str(main)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (run.returncode, run.stdout + run.stderr) == (0, "")


def test_bean_check_fails_on_a_bad_ledger_with_file_and_line(
    command: Callable[[str], str], tmp_path: Path
) -> None:
    main = tmp_path / "books.beancount"
    main.write_text(ledger(ERRORS["unknown client in client-lost"][0]))
    run = subprocess.run(
        [command("bean-check"), "-C", str(main)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1
    lineno = (
        main.read_text()
        .splitlines()
        .index('2015-12-29 custom "client-lost" "Lefevrre" "Restructuring"')
    )
    assert f"{main}:{lineno + 1}: Unknown client 'Lefevrre'" in output
    assert "Traceback" not in output


def test_bean_check_on_a_bad_config_prints_the_plugin_line(
    command: Callable[[str], str], tmp_path: Path
) -> None:
    main = tmp_path / "books.beancount"
    main.write_text(ledger("", plugin=PLUGIN + " \"{'max_share': half}\""))
    run = subprocess.run(
        [command("bean-check"), "-C", str(main)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 1
    assert f"{main}:1: beancount_freelance config does not parse (ValueError)" in (
        output
    )
    assert "Traceback" not in output


def test_bean_query_sees_the_client_metadata(
    command: Callable[[str], str], tmp_path: Path
) -> None:
    main = tmp_path / "books.beancount"
    main.write_text(ledger(MIXED))
    query = (
        "SELECT narration, account, meta('client') AS posting_client, "
        "ANY_META('client') AS any_client WHERE account ~ '^Income:Clients' "
        "ORDER BY date, account"
    )
    run = subprocess.run(
        [command("bean-query"), "-f", "csv", str(main), query],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = [line.split(",") for line in run.stdout.strip().splitlines()]
    assert rows[1:] == [
        ["Retainer", "Income:Clients:Lefevre", "Lefevre", "Lefevre"],
        ["Two clients and interest", "Income:Clients:Acme", "Acme", "Acme"],
        ["Two clients and interest", "Income:Clients:Lefevre", "Lefevre", "Lefevre"],
        ["Paid in dollars", "Income:Clients:Acme", "Acme", "Acme"],
    ]


def test_check_links_is_opt_in(line_of: Callable[[str, str], int]) -> None:
    body = """
        2014-03-01 * "Acme" "Invoice" ^invoice-1
          Assets:AccountsReceivable  100 EUR
          Income:Clients:Acme
        2014-04-01 * "Acme" "Payment" ^invoice-2
          Assets:Bank  100 EUR
          Assets:AccountsReceivable
        """
    assert freelance_errors(ledger(body)) == []
    text = ledger(body, plugin=PLUGIN + " \"{'check_links': True}\"")
    [error] = freelance_errors(text)
    assert error.message.startswith(
        "Payment ^invoice-2 credits a receivable but no invoice carries that link"
    )
    assert error.source["lineno"] == line_of(text, '"Payment" ^invoice-2')


def test_two_transactions_sharing_one_metadata_dict_keep_their_clients() -> None:
    # An upstream importer gave both payments the same dict: Acme's write must
    # not make Lefevre's income Acme's, on this run or the next.
    entries, _, options = loader.load_string(
        textwrap.dedent(
            """
            2016-01-01 open Assets:Bank
            2016-01-01 open Income:Clients:Acme
            2016-01-01 open Income:Clients:Lefevre
            2016-02-01 * "Acme"
              Assets:Bank  100 EUR
              Income:Clients:Acme
            2016-02-02 * "Lefevre"
              Assets:Bank  200 EUR
              Income:Clients:Lefevre
            """
        )
    )
    acme, lefevre = (e for e in entries if isinstance(e, data.Transaction))
    shared = dict(acme.meta)
    entries = [e._replace(meta=shared) if e in (acme, lefevre) else e for e in entries]
    once, errors = attribute_clients(entries, options)
    assert errors == []
    twice, errors = attribute_clients(list(once), options)
    assert errors == []
    for result in (once, twice):
        paid = [e for e in result if isinstance(e, data.Transaction)]
        assert [e.meta[CLIENT_KEY] for e in paid] == ["Acme", "Lefevre"]
        assert [e.postings[1].meta[CLIENT_KEY] for e in paid] == ["Acme", "Lefevre"]
    assert CLIENT_KEY not in shared


def test_a_dict_an_open_directive_shares_is_copied_one_held_outside_is_not() -> None:
    # Who holds a dict is counted over the run's entries and postings: an
    # `open` holding the payment's dict too is a holder; a caller keeping a
    # reference to the posting's dict outside the run is not.
    entries, _, options = loader.load_string(
        textwrap.dedent(
            """
            2016-01-01 open Assets:Bank
            2016-01-01 open Income:Clients:Acme
            2016-02-01 * "Acme"
              Assets:Bank  100 EUR
              Income:Clients:Acme
            """
        )
    )
    bank, _, payment = entries
    entries[0] = bank._replace(meta=payment.meta)
    kept_by_the_caller = payment.postings[1].meta
    result, errors = attribute_clients(entries, options)
    assert errors == []
    written = result[2]
    assert written is not payment and written.meta[CLIENT_KEY] == "Acme"
    assert CLIENT_KEY not in result[0].meta  # the open's dict is left as it was
    assert written.postings[1].meta is kept_by_the_caller
    assert kept_by_the_caller[CLIENT_KEY] == "Acme"


def test_after_another_plugin_a_shared_dict_is_found_anywhere() -> None:
    # Run by the loader after a plugin that is not one of Beancount's own, the
    # plugin counts every holder of every dict: an upstream plugin may have
    # given an `open` and a payment one dict.
    entries, _, options = loader.load_string(
        ledger(
            """
            2016-02-01 * "Acme"
              Assets:Bank  100 EUR
              Income:Clients:Acme
            """,
            plugin='plugin "beancount.plugins.auto_accounts"\n' + PLUGIN,
        )
    )
    assert [name for name, _ in options["plugin"]][-1] == "beancount_freelance.plugin"
    payment = next(e for e in entries if isinstance(e, data.Transaction))
    # An upstream plugin not known to share nothing: `auto_accounts` is, so
    # name another one before this plugin.
    upstream = {
        **options,
        "plugin": [("someone.elses.plugin", None), *options["plugin"]],
    }
    shared = {"filename": "<upstream>", "lineno": 1}
    opened = entries[0]._replace(meta=shared)
    paid = payment._replace(meta=shared)
    result, errors = attribute_clients([opened, paid], upstream)
    assert errors == []
    assert result[1].meta[CLIENT_KEY] == "Acme"
    assert CLIENT_KEY not in shared  # copied, not written into


def test_the_postings_booking_makes_of_one_elided_amount_are_written() -> None:
    # Beancount's booking turns an elided amount, in a transaction of two
    # currencies, into one posting per currency holding one dict; loaded with
    # the plugin (after Beancount's own plugins only), each gets the client.
    entries, errors, _ = loader.load_string(
        ledger(
            """
            2016-02-01 * "Acme" "Paid in two currencies"
              Assets:Bank  100 EUR
              Assets:Bank  50 USD
              Income:Clients:Acme
            """
        )
    )
    assert errors == []
    [payment] = [e for e in entries if isinstance(e, data.Transaction)]
    income = [p for p in payment.postings if p.account == "Income:Clients:Acme"]
    assert len(income) == 2
    assert [p.meta[CLIENT_KEY] for p in income] == ["Acme", "Acme"]
    assert payment.meta[CLIENT_KEY] == "Acme"
