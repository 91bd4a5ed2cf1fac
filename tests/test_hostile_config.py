"""Configuration strings of every kind of wrong: one clear error, never a crash.

The plugin's string (`plugin "beancount_freelance.plugin" "<config>"`) gives
exactly one error with the file and the plugin's line, and the ledger's entries
pass through untouched. The Fava extension's string (`custom "fava-extension"
"beancount_freelance.fava_extension" <config>`) is checked by the extension
itself: Fava lets a ValueError from an extension's constructor stop the whole
application, so the extension takes no configuration, says so on the page and in
Fava's error list, and keeps working.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from fava.application import create_app
from fava.ext import FavaExtensionError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beancount_freelance.core.ledger.config import ConfigError, parse_config
from beancount_freelance.fava_extension import FreelanceClients

BODY = """\
2020-01-01 open Assets:Bank EUR
2020-01-01 open Income:Clients:Alpha EUR
2020-02-05 * "ALPHA" "February"
  Assets:Bank            300.00 EUR
  Income:Clients:Alpha  -300.00 EUR
"""

BAD_PLUGIN_CONFIGS = {
    "not a dict": "[1, 2]",
    "a number": "42",
    "None": "None",
    "a string": "'max_share'",
    "syntax error": "{'max_share': ",
    "unbalanced": "{" * 200,
    "a call": "{'max_share': float('nan')}",
    "an expression": "{'dormant_after_days': 10 ** 3}",
    "unknown key": "{'max_shares': 0.5}",
    "key not a string": "{1: 2}",
    "regex not a string": "{'income': 1}",
    "bad regex": "{'income': '('}",
    "bad require_client regex": "{'require_client': '[a-'}",
    "negative days": "{'dormant_after_days': -1}",
    "days as text": "{'dormant_after_days': 'ten'}",
    "days as a float": "{'payment_terms_days': 1.5}",
    "days as a bool": "{'dormant_after_days': True}",
    "share above one": "{'max_share': 2}",
    "share zero": "{'max_share': 0}",
    "share as text": "{'max_share': 'half'}",
    "share as a bool": "{'max_share': True}",
    "share infinite": "{'max_share': 1e400}",
    "check_links not a bool": "{'check_links': 'yes'}",
    "receivables None": "{'receivables': None}",
    "a set": "{'income'}",
    "huge": "{'income': '^Income:', 'x': '" + "x" * 100_000 + "'}",
}


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plugin_ledger(config: str) -> str:
    return (
        'option "operating_currency" "EUR"\n'
        f'plugin "beancount_freelance.plugin" {_quoted(config)}\n' + BODY
    )


def _plugin_errors(errors: list[Any]) -> list[Any]:
    return [e for e in errors if "beancount_freelance config" in e.message]


# --- The plugin's string -------------------------------------------------------------


@pytest.mark.parametrize("config", BAD_PLUGIN_CONFIGS.values(), ids=BAD_PLUGIN_CONFIGS)
def test_a_bad_plugin_config_is_one_error_with_the_file(config: str) -> None:
    entries, errors, _ = loader.load_string(_plugin_ledger(config))
    (error,) = errors
    assert error.message.startswith("beancount_freelance config")
    assert "Traceback" not in error.message
    assert error.source["filename"] == "<string>"
    assert isinstance(error.source["lineno"], int)
    # The ledger goes through untouched: no entry lost, none annotated.
    plain, _, _ = loader.load_string(
        'option "operating_currency" "EUR"\n; no plugin\n' + BODY
    )
    assert entries == plain
    assert all("client" not in entry.meta for entry in entries)


@pytest.mark.parametrize("name", ["unknown key", "bad regex", "syntax error"])
def test_the_error_names_the_plugin_line_of_the_file(name: str, tmp_path: Path) -> None:
    path = tmp_path / "books.beancount"
    path.write_text("; my books\n\n" + _plugin_ledger(BAD_PLUGIN_CONFIGS[name]))
    _, errors, _ = loader.load_file(str(path))
    (error,) = errors
    assert (error.source["filename"], error.source["lineno"]) == (str(path), 4)


def test_the_messages_say_what_to_write() -> None:
    _, errors, _ = loader.load_string(_plugin_ledger("{'max_shares': 0.5}"))
    assert "did you mean 'max_share'?" in errors[0].message
    _, errors, _ = loader.load_string(_plugin_ledger("{'max_share': 2}"))
    assert "between 0 and 1" in errors[0].message


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.one_of(
        st.text(max_size=60),
        st.dictionaries(
            st.sampled_from(
                ["income", "require_client", "dormant_after_days", "max_share", "x"]
            ),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(-10, 10**6),
                st.floats(allow_nan=False),
                st.text(max_size=8),
            ),
            max_size=3,
        ).map(repr),
    )
)
def test_any_plugin_config_is_accepted_or_one_error(config: str) -> None:
    _, errors, _ = loader.load_string(_plugin_ledger(config))
    assert not [e for e in errors if "Error applying plugin" in str(e.message)]
    try:
        parse_config(config)
    except ConfigError:
        (error,) = _plugin_errors(errors)
        assert error.source["filename"] and isinstance(error.source["lineno"], int)
    else:
        assert not _plugin_errors(errors)


# --- The Fava extension's string ---------------------------------------------------

GOOD_EXTENSION_CONFIGS = {"none": "", "empty": ' ""', "empty dict": ' "{}"'}
BAD_EXTENSION_CONFIGS = {
    # Fava's own literal_eval raised a ValueError here, and Fava stopped.
    "a name": ' "foo"',
    "syntax error": ' "{"',
    "a list": ' "[1, 2]"',
    "unknown key": " \"{'max_share': 0.5}\"",
    "a number": " 42",
    "a bool": " TRUE",
    "a date": " 2020-01-01",
    "an account": " Income:Clients:Alpha",
    "an amount": " 10 EUR",
    "two values": ' "{}" "{}"',
    "deep": ' "' + "[" * 500 + '"',
    "huge": ' "' + "x" * 1_000_000 + '"',
    "escape": ' "<script>alert(1)</script>"',
}
EXTENSION_LINE = 3


def _fava(tmp_path: Path, config: str) -> Any:
    path = tmp_path / "books.beancount"
    path.write_text(
        'option "title" "Books"\noption "operating_currency" "EUR"\n'
        f'2020-01-01 custom "fava-extension" "beancount_freelance.fava_extension"'
        f"{config}\n" + BODY
    )
    # The polling watcher: no inotify instance per app (the system has few).
    app = create_app([str(path)], load=True, poll_watcher=True)
    app.testing = True
    return app


def _extension_errors(app: Any) -> list[Any]:
    ledger = app.config["LEDGERS"]["books"]
    return [e for e in ledger.errors if isinstance(e, FavaExtensionError)]


@pytest.mark.parametrize(
    "config", GOOD_EXTENSION_CONFIGS.values(), ids=list(GOOD_EXTENSION_CONFIGS)
)
def test_no_extension_config_is_no_error(config: str, tmp_path: Path) -> None:
    app = _fava(tmp_path, config)
    assert not _extension_errors(app)
    response = app.test_client().get("/books/extension/FreelanceClients/")
    assert response.status_code == 200
    assert "freelance-config-error" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "config", BAD_EXTENSION_CONFIGS.values(), ids=list(BAD_EXTENSION_CONFIGS)
)
def test_a_bad_extension_config_is_reported_and_the_page_works(
    config: str, tmp_path: Path
) -> None:
    app = _fava(tmp_path, config)
    (error,) = _extension_errors(app)
    assert error.message.startswith(
        "beancount_freelance.fava_extension takes no configuration"
    )
    assert len(error.message) < 400
    assert error.source["filename"].endswith("books.beancount")
    assert error.source["lineno"] == EXTENSION_LINE
    client = app.test_client()
    response = client.get("/books/extension/FreelanceClients/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="freelance-config-error"' in html
    assert "<script>alert(1)</script>" not in html
    assert "Alpha" in html  # the page still shows the books
    report = client.get("/books/extension/FreelanceClients/report")
    assert report.status_code == 200
    assert report.get_json()["clients"][0]["id"] == "Alpha"


def test_the_extension_line_is_read_again_when_the_books_change(
    tmp_path: Path,
) -> None:
    app = _fava(tmp_path, BAD_EXTENSION_CONFIGS["a name"])
    assert len(_extension_errors(app)) == 1
    path = tmp_path / "books.beancount"
    path.write_text(path.read_text().replace(' "foo"', ""))
    ledger = app.config["LEDGERS"]["books"]
    ledger.load_file()
    assert not _extension_errors(app)
    extension = ledger.extensions.get_extension("FreelanceClients")
    assert isinstance(extension, FreelanceClients)
    assert extension.config_problem is None
