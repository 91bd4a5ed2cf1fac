"""Hostile inputs, second round: unreadable includes, huge values in messages,
a ledger dated 9999-12-31 in Fava, the journal link of any client id.

What each face promises is in docs/reliability.md; the regexes are tested in
tests/test_patterns.py, the Clients page's own cases in tests/test_hostile_fava.py.
"""

from __future__ import annotations

import datetime
import html
import os
import re
import socket
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from beancount import loader
from beancount.core import data
from beancount.core.amount import Amount
from click.testing import CliRunner, Result
from fava.application import create_app
from fava.core.filters import AdvancedFilter
from hypothesis import given, settings
from hypothesis import strategies as st

from beancount_freelance.cli import main
from beancount_freelance.core.ledger.config import ConfigError, parse_config
from beancount_freelance.core.messages import MAX_QUOTED_CHARS, cut, quoted
from beancount_freelance.fava_extension.filters import client_filter


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def error_of(result: Result) -> str:
    """The one message of a failed command: exit code 2, stderr only, no trace."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


# --- Includes the loader cannot read -------------------------------------------


def test_a_ledger_that_includes_a_directory(tmp_path: Path) -> None:
    (tmp_path / "2018").mkdir()
    (tmp_path / "2018" / "jan.beancount").write_text("", encoding="utf-8")
    main_file = tmp_path / "main.beancount"
    main_file.write_text('include "accounts.beancount"\n', encoding="utf-8")
    # Included from an included file: the message still names the directory.
    (tmp_path / "accounts.beancount").write_text('include "2018"\n', encoding="utf-8")
    for command in (["report"], ["invoices"], ["client", "main.beancount", "X"]):
        args = [command[0], main_file, *command[2:]]
        assert error_of(run(*args)) == (
            f"Error: Ledger '{main_file}' includes '{tmp_path / '2018'}', a "
            "directory; include the files in it instead (a glob works: `include "
            '"2018/*.beancount"`).\n'
        )


def test_a_ledger_that_includes_a_file_no_one_can_open(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(tmp_path / "socket"))  # open() fails, even for root
        main_file = tmp_path / "main.beancount"
        main_file.write_text('include "socket"\n', encoding="utf-8")
        assert error_of(run("report", main_file)) == (
            f"Error: Ledger '{main_file}' includes '{tmp_path / 'socket'}', which "
            "cannot be read: No such device or address.\n"
        )


# --- Long values are quoted short ------------------------------------------------


def test_quoted_is_repr_for_a_short_value_and_short_for_a_long_one() -> None:
    assert quoted("Acme") == "'Acme'"
    assert quoted("it's") == '"it\'s"'
    assert quoted(12) == "12"
    long_id = "x" * 5_000
    assert quoted(long_id) == f"'{'x' * 60}'… (5,000 characters)"
    assert len(quoted(list(range(10_000)))) <= MAX_QUOTED_CHARS + 30
    assert cut("Income:" + "A" * 5_000) == "Income:" + "A" * 53 + "… (5,007 characters)"


def test_a_huge_unknown_config_key_is_quoted_short() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config("{'" + "k" * 200_000 + "': 1}")
    message = str(raised.value)
    assert message.startswith(
        f"beancount_freelance config has an unknown key '{'k' * 60}'… "
        "(200,000 characters); known keys: "
    )
    assert len(message) < 400


HUGE_ID = "Acme" + "x" * 5_000


@pytest.mark.parametrize(
    "ledger",
    [
        # An event naming an unknown, huge id.
        f"""
        2014-01-01 custom "client" "Acme"
        2014-02-01 custom "client-lost" "{HUGE_ID}" "gone"
        """,
        # A declaration of a huge malformed id, and a huge client: value.
        f"""
        2014-01-01 open Income:Freelance
        2014-01-01 open Assets:Bank
        2014-01-01 custom "client" "{HUGE_ID} x"
        2014-02-01 * "Someone"
          client: "{HUGE_ID}"
          Income:Freelance  -10.00 EUR
          Assets:Bank
        """,
        # A huge payee that two clients' regexes match, on a required account.
        f"""
        2014-01-01 open Income:Freelance
        2014-01-01 open Assets:Bank
        2014-01-01 custom "client" "Acme"
          payee: "ACME"
        2014-01-01 custom "client" "AcmeBis"
          payee: "X+"
        2014-02-01 * "{HUGE_ID.upper()}" "invoice"
          Income:Freelance  -10.00 EUR
          Assets:Bank
        """,
    ],
)
def test_no_plugin_message_echoes_a_huge_id_whole(ledger: str) -> None:
    plugin = "plugin \"beancount_freelance.plugin\" \"{'require_client': '^Income:'}\""
    text = plugin + "\n" + textwrap.dedent(ledger)
    _, errors, _ = loader.load_string(text)
    ours = [error for error in errors if "client" in error.message.lower()]
    assert ours, [error.message[:200] for error in errors]
    for error in ours:
        assert len(error.message) < 600, error.message[:200]
    assert any("(5,004 characters)" in error.message for error in ours)


# --- The Clients page on a ledger dated 9999-12-31 --------------------------------

FAR = Path(__file__).parent / "data" / "errors" / "dated-9999-12-31.beancount"
PAGE = "/far/extension/FreelanceClients/"


@pytest.fixture(scope="module")
def far_client() -> Any:
    app = create_app([str(FAR)], load=True)
    app.testing = True
    return app.test_client()


@pytest.mark.parametrize(
    "query", ["", "?client=Acme", "?what_if=Acme", "?time=2014", "?interval=day"]
)
def test_the_page_shows_its_figures_up_to_the_last_day_there_is(
    far_client: Any, query: str
) -> None:
    response = far_client.get(PAGE + query)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Acme" in body
    assert "Fava cannot filter" not in body


def test_a_filter_on_it_is_a_message_not_a_server_error(far_client: Any) -> None:
    for query in ("?filter=ACME", "?account=Income:Clients"):
        response = far_client.get(PAGE + query)
        assert response.status_code == 200
        assert "Fava cannot filter this ledger" in response.get_data(as_text=True)
    report = far_client.get(PAGE + "report", query_string={"filter": "ACME"})
    assert report.status_code == 400
    assert "Fava cannot filter this ledger" in report.get_json()["error"]
    assert far_client.get(PAGE + "report").status_code == 200


# --- The journal link of any client id ---------------------------------------------

# What a declaration accepts as an id: any text without spaces or colons.
CLIENT_IDS = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=8,
).filter(lambda text: ":" not in text and not any(c.isspace() for c in text))


def _transaction(client_id: str, lineno: int) -> data.Transaction:
    posting = data.Posting(
        "Income:Clients", Amount(Decimal("-1"), "EUR"), None, None, None, None
    )
    return data.Transaction(
        data.new_metadata("<test>", lineno, {"client": client_id}),
        datetime.date(2020, 1, 1),
        "*",
        None,
        "paid",
        data.EMPTY_SET,
        data.EMPTY_SET,
        [posting],
    )


def _selected(filter_text: str, ids: list[str]) -> list[str]:
    """The clients of the transactions that Fava's filter bar keeps."""
    entries = [_transaction(client_id, n) for n, client_id in enumerate(ids)]
    return [
        entry.meta["client"] for entry in AdvancedFilter(filter_text).apply(entries)
    ]


@pytest.mark.parametrize(
    "ids",
    [
        ["Q\"u'ote", "Q"],
        ["it's\"", "it's"],
        ["Acme", "ACME", "acme"],
        ["ς", "Σ", "σ"],
        ['"', "'", "\"'", "'\""],
        ["A.B", "AxB", "(a+)+$", "\\", "\\x22"],
    ],
)
def test_the_journal_filter_selects_that_client_alone(ids: list[str]) -> None:
    for client_id in ids:
        filter_text = client_filter(client_id, ids, "")
        assert _selected(filter_text, ids) == [client_id], filter_text


@settings(max_examples=300, deadline=None)
@given(st.lists(CLIENT_IDS, min_size=1, max_size=5, unique=True), st.data())
def test_every_id_the_ledger_can_spell_has_a_working_link(
    ids: list[str], draw: st.DataObject
) -> None:
    # Ids that differ in case only, or that contain one another, are the hard ones.
    ids += [twin for twin in (ids[0].upper(), ids[0] + "x") if twin not in ids]
    client_id = draw.draw(st.sampled_from(ids))
    assert _selected(client_filter(client_id, ids, ""), ids) == [client_id]
    # After a filter already in the bar, both apply.
    assert _selected(client_filter(client_id, ids, "-#none"), ids) == [client_id]


QUOTES_LEDGER = r"""
option "title" "Quotes"
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin"
2014-09-01 custom "fava-extension" "beancount_freelance.fava_extension"
2014-01-01 open Income:Freelance
2014-01-01 open Assets:Bank
2014-01-01 custom "client" "Q\"u'ote" "Both quotes"
2014-01-01 custom "client" "Q" "A prefix of it"
2014-02-01 * "Quote Ltd" "the one with both quotes"
  client: "Q\"u'ote"
  Income:Freelance  -10.00 EUR
  Assets:Bank
2014-02-02 * "Q Ltd" "the other"
  client: "Q"
  Income:Freelance  -20.00 EUR
  Assets:Bank
"""


def test_the_pages_journal_link_opens_that_clients_journal(tmp_path: Path) -> None:
    path = tmp_path / "quotes.beancount"
    path.write_text(QUOTES_LEDGER, encoding="utf-8")
    app = create_app([str(path)], load=True)
    app.testing = True
    client = app.test_client()
    page = client.get("/quotes/extension/FreelanceClients/?client=Q\"u'ote")
    assert page.status_code == 200
    found = re.search(r'id="freelance-journal-link" href="([^"]+)"', page.text)
    assert found is not None
    link = html.unescape(found.group(1))
    (filter_text,) = parse_qs(urlsplit(link).query)["filter"]
    assert filter_text == r'client:"Q\x22u\x27ote"'
    entries, _, _ = loader.load_file(str(path))
    kept = AdvancedFilter(filter_text).apply(entries)
    assert [entry.narration for entry in kept] == ["the one with both quotes"]
    # Fava's journal page takes it (its rows are drawn in the browser).
    assert client.get(link).status_code == 200


def test_a_named_pipe_as_the_ledger_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "books.beancount"
    os.mkfifo(pipe)  # opening it to read would wait for a writer for ever
    assert error_of(run("report", pipe)) == (
        f"Error: Cannot read ledger '{pipe}': not a regular file.\n"
    )


def test_a_huge_date_option_is_quoted_short(tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text('option "operating_currency" "EUR"\n', encoding="utf-8")
    message = error_of(run("report", ledger, "--as-of", "9" * 100_000))
    assert "'999999" in message and "(100,000 characters)" in message
    assert len(message) < 600


@pytest.mark.parametrize(("name", "value"), [("time", "x"), ("filter", "((x")])
def test_a_huge_filter_is_quoted_short_by_the_page(
    far_client: Any, name: str, value: str
) -> None:
    huge = value + "x" * 100_000
    report = far_client.get(PAGE + "report", query_string={name: huge})
    assert report.status_code == 400
    assert len(report.get_json()["error"]) < 400
    # The page itself: only Fava's own filter bar shows the value again.
    page = far_client.get(PAGE, query_string={name: huge}).text
    assert page.count("x" * 1000) <= 100


AMOUNT_OF_SPACES = """
import sys
from beancount_freelance.importers.columns import parse_amount
try:
    parse_amount("1" + " " * 100_000 + "2")
except ValueError as exc:
    print(exc)
"""


def test_an_amount_cell_of_spaces_is_refused_at_once() -> None:
    # The currency-sign regex backtracks quadratically on a run of spaces: a
    # 100,000-character cell took minutes before its length was bounded.
    result = subprocess.run(
        [sys.executable, "-c", AMOUNT_OF_SPACES],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.stdout == f"bad amount '1{' ' * 59}'… (100,002 characters)\n"
