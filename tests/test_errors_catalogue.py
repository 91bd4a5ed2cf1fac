"""docs/errors.md against what the package really says.

The catalogue lists every message with a template (`<placeholders>` for the parts
that vary) and the inputs that produce it (`Produced by:` lines). Two directions:

- each entry is produced: every input it names shows a message matching it;
- nothing undocumented: every message that the bad inputs of tests/data/errors/
  (and of $FREELANCE_ERRORS_CORPUS, a directory of one's own, if set) make the
  plugin, the analysis, bean-clients, the importers and the Clients page show
  matches some entry.

Every error and warning about a ledger must also name its file and line.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import html
import json
import logging
import os
import re
import shlex
import shutil
import socket
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data
from beancount.parser import printer
from click.testing import CliRunner
from fava.application import create_app
from fava.util import slugify

from beancount_freelance import cli
from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.question import ask
from beancount_freelance.core.receivables.analysis import analyse_receivables
from beancount_freelance.core.revenue.streams import analyse
from beancount_freelance.importers import (
    UNATTRIBUTED_KEY,
    BankStatementImporter,
    InvoiceRegisterImporter,
    assign_clients,
)

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "docs" / "errors.md"
CORPUS = REPO / "tests" / "data" / "errors"
BOOKS = CORPUS / "importer-books.beancount"
EXTRA_CORPUS = os.environ.get("FREELANCE_ERRORS_CORPUS")

# Ledgers whose Beancount errors (not the plugin's) are part of the point.
BEANCOUNT_ERRORS_EXPECTED = {"not-utf8.beancount", "declaration-empty.beancount"}
# Beancount's printer cannot print a `custom` directive without values: bean-check
# and bean-clients stop with a traceback when the plugin's error carries it.
# Beancount's own pad plugin (run by every load) raises on a `custom` directive
# with no value; bean-check and bean-clients then also print Beancount's
# "Error applying plugin" for it. Our own message is still checked above.
BEANCOUNT_PAD_CRASHES = {"declaration-empty.beancount"}


# --- The catalogue -------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One `###` entry of the catalogue."""

    title: str
    face: str
    template: str
    sources: tuple[str, ...]
    has_cause: bool
    has_fix: bool

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(template_regex(self.template), re.DOTALL)

    @functools.cached_property
    def within_joined(self) -> re.Pattern[str]:
        """The entry as one of several row problems joined with `; `."""
        body = template_regex(self.template, joined=True)
        return re.compile(f"(?:.*?; )?(?:{body})(?:; .*)?", re.DOTALL)


_PLACEHOLDER = re.compile(r"(<[A-Za-z][A-Za-z0-9 _-]*>)")
_TEMPLATE = re.compile(r"^`` (.+) ``$")
_SOURCE = re.compile(r"^Produced by: `(.+)`$")


def template_regex(template: str, joined: bool = False) -> str:
    """The template as a regex: the text escaped, each `<placeholder>` any text.

    joined: for one of several problems joined with `; `, a placeholder does not
    reach over a `; ` (else `missing <column>` would swallow the next problem).
    """
    anything = "(?:(?!; ).)*?" if joined else ".*?"
    return "".join(
        anything if _PLACEHOLDER.fullmatch(part) else re.escape(part)
        for part in _PLACEHOLDER.split(template)
    )


def read_catalogue(text: str) -> list[Entry]:
    entries: list[Entry] = []
    face = ""
    current: dict[str, Any] | None = None

    def close() -> None:
        if current is not None:
            entries.append(
                Entry(
                    current["title"],
                    current["face"],
                    current["template"],
                    tuple(current["sources"]),
                    current["cause"],
                    current["fix"],
                )
            )

    for line in text.splitlines():
        if line.startswith("## "):
            close()
            current = None
            face = line[3:].strip()
        elif line.startswith("### "):
            close()
            current = {
                "title": line[4:].strip(),
                "face": face,
                "template": "",
                "sources": [],
                "cause": False,
                "fix": False,
            }
        elif current is not None:
            template = _TEMPLATE.match(line)
            source = _SOURCE.match(line)
            if template and not current["template"]:
                current["template"] = template.group(1)
            elif source:
                current["sources"].append(source.group(1))
            current["cause"] |= line.startswith("**Cause.**")
            current["fix"] |= line.startswith("**Fix.**")
    close()
    return entries


ENTRIES = read_catalogue(CATALOGUE.read_text(encoding="utf-8"))


# --- Messages, from each kind of input -----------------------------------------


@dataclass(frozen=True)
class Message:
    """One message an input made the package show.

    joined: row problems of the invoice register, several joined with `; `.
    reported: False for report text (an empty state on stdout) that a catalogue
      entry may name but that is no message to account for.
    """

    text: str
    where: str
    joined: bool = False
    reported: bool = True


_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


def _path(text: str) -> str:
    """A corpus path as written in the catalogue, made absolute."""
    if text.startswith("generated:"):
        return str(_generated(text.removeprefix("generated:")))
    return str(REPO / text) if text.startswith("tests/") else text


@functools.cache
def _generated(name: str) -> Path:
    """Inputs too big or too odd for the repository, made once per session."""
    directory = Path(tempfile.mkdtemp(prefix="freelance-errors-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = directory / name
    if name == "socket":
        # Exists, is no directory, and open() fails even for root.
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(path))
        _KEEP.append(listener)
    elif name == "includes-a-directory.beancount":
        (directory / "2018").mkdir()
        path.write_text('include "2018"\n', encoding="utf-8")
    elif name == "includes-a-socket.beancount":
        listener = socket.socket(socket.AF_UNIX)
        listener.bind(str(directory / "socket"))
        _KEEP.append(listener)
        path.write_text('include "socket"\n', encoding="utf-8")
    elif name == "huge-field.csv":
        path.write_text(
            "date,invoice,client,amount\n2018-02-01,2018-060,Roux,80.00\n"
            f'2018-02-02,2018-061,Roux,"{"x" * 140_000}"\n',
            encoding="utf-8",
        )
    else:
        raise AssertionError(f"no generated input {name!r}")
    return path


_KEEP: list[socket.socket] = []


def _located(error: FreelanceError, where: str) -> str:
    """The error's message, once its source is checked: a file and a line."""
    source = error.source or {}
    filename, lineno = source.get("filename"), source.get("lineno")
    assert isinstance(filename, str) and Path(filename).is_file(), (where, error)
    assert isinstance(lineno, int) and lineno >= 1, (where, error)
    with open(filename, encoding="utf-8") as ledger:
        assert lineno <= sum(1 for _ in ledger), (where, error)
    return error.message


@functools.cache
def ledger_messages(path: str) -> tuple[Message, ...]:
    """The plugin's errors, the analysis' and the receivables' warnings."""
    entries, errors, options = loader.load_file(path)
    name = Path(path).name
    if name not in BEANCOUNT_ERRORS_EXPECTED and Path(path).parent == CORPUS:
        foreign = [e for e in errors if not isinstance(e, FreelanceError)]
        assert not foreign, f"{name}: the corpus ledger itself is broken: {foreign}"
    found = [e for e in errors if isinstance(e, FreelanceError)]
    portfolio = analyse(ask(entries, options))
    found.extend(portfolio.warnings)
    found.extend(
        analyse_receivables(ask(entries, options, as_of=portfolio.as_of)).warnings
    )
    return tuple(Message(_located(error, name), name) for error in found)


@functools.cache
def cli_messages(command: str) -> tuple[Message, ...]:
    """What bean-clients prints on stderr (and, as report text, on stdout)."""
    args = [_path(arg) for arg in shlex.split(command)]
    result = CliRunner().invoke(cli.main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command,
        result.exception,
    )
    assert result.exit_code in (0, 2), (command, result.exit_code, result.stderr)
    found = []
    for line in result.stderr.splitlines():
        if not line.strip() or line[0].isspace() or line.startswith(("Usage:", "Try ")):
            continue  # beancount's printed entries, click's usage lines
        if line.startswith("Error: "):
            found.append(Message(line.removeprefix("Error: "), command))
            continue
        located = _LOCATED.match(line)
        if located:
            assert int(located["line"]) >= 1, (command, line)
            line = located["message"]
        found.append(Message(line, command))
    found.extend(
        Message(line.strip(), command, reported=False)
        for line in result.stdout.splitlines()
        if line.strip()
    )
    return tuple(found)


@functools.cache
def books() -> list[data.Directive]:
    entries, _, _ = loader.load_file(str(BOOKS))
    return entries


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextlib.contextmanager
def _logged(name: str) -> Iterator[list[str]]:
    handler = _Captured()
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


def _rows_messages(spec: str, importer: Any, problems: Any, path: str) -> list[Message]:
    """Row problems, the markers and the log lines that show them."""
    found = [Message(p.message, spec, joined=True) for p in problems]
    assert all(p.row >= 2 for p in problems), spec
    with _logged(type(importer).__module__) as logged:
        extracted = importer.extract(path, books())
    found.extend(
        Message(entry.narration or "", spec)
        for entry in extracted
        if isinstance(entry, data.Transaction)
        and (entry.narration or "").startswith("NOT IMPORTED")
    )
    found.extend(Message(line, spec) for line in logged)
    return found


@functools.cache
def importer_messages(spec: str) -> tuple[Message, ...]:
    """The invoice register's row problems, markers and log lines."""
    path, _, options = spec.partition(" ")
    path = _path(path)
    try:
        importer = InvoiceRegisterImporter(**json.loads(options or "{}"))
    except ValueError as exc:
        return (Message(str(exc), spec),)
    report = importer.read_register(path, books())
    assert report.balanced, spec
    return tuple(_rows_messages(spec, importer, report.problems, path))


@functools.cache
def bank_messages(spec: str) -> tuple[Message, ...]:
    """The example's bank importer: row problems, markers and log lines."""
    path = _path(spec)
    importer = BankStatementImporter("Assets:Bank")
    report = importer.read_statement(path)
    assert report.balanced, spec
    return tuple(_rows_messages(spec, importer, report.problems, path))


@functools.cache
def hook_messages(path: str) -> tuple[Message, ...]:
    """The `freelance_unattributed:` notes the hook leaves on imported lines."""
    imported, _, _ = loader.load_file(_path(path))
    new = [entry for entry in imported if isinstance(entry, data.Transaction)]
    extracted = [(path, new, "Assets:Bank", None)]
    # No importer object: the hook passes the fourth item through untouched.
    (result,) = assign_clients(extracted, [*books(), *new])  # type: ignore[arg-type]
    return tuple(
        Message(str(entry.meta[UNATTRIBUTED_KEY]), path)
        for entry in result[1]
        if UNATTRIBUTED_KEY in (entry.meta or {})
    )


@functools.cache
def _fava_client(path: str) -> tuple[Any, str]:
    app = create_app([path], load=True)
    app.testing = True
    _, _, options = loader.load_file(path)
    return app.test_client(), slugify(options["title"])


_PAGE_MESSAGE = re.compile(r'<p class="freelance-message[^"]*"[^>]*>(.*?)</p>', re.S)
_WARNINGS = re.compile(r'<details class="freelance-warnings".*?</details>', re.S)
_ITEM = re.compile(r"<li>(.*?)</li>", re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _unlocated(text: str, where: str) -> str:
    located = _LOCATED.match(text)
    assert located and int(located["line"]) >= 1, (where, text)
    return located["message"]


@functools.cache
def fava_messages(spec: str) -> tuple[Message, ...]:
    """The Clients page's messages and warnings, or a JSON endpoint's."""
    path, _, address = spec.partition(" ")
    endpoint, _, query = address.partition("?")
    args = dict(part.partition("=")[::2] for part in query.split("&") if part)
    client, slug = _fava_client(_path(path))
    response = client.get(
        f"/{slug}/extension/FreelanceClients/{endpoint}", query_string=args
    )
    assert response.status_code in (200, 400, 404), (spec, response.status_code)
    if response.is_json:
        document = response.get_json()
        found = [Message(document["error"], spec)] if "error" in document else []
        found.extend(
            Message(_unlocated(w, spec), spec) for w in document.get("warnings", ())
        )
        return tuple(found)
    page = response.get_data(as_text=True)
    found = [Message(_text(m), spec) for m in _PAGE_MESSAGE.findall(page)]
    for block in _WARNINGS.findall(page):
        found.extend(
            Message(_unlocated(_text(item), spec), spec)
            for item in _ITEM.findall(block)
        )
    return tuple(found)


def messages(source: str) -> tuple[Message, ...]:
    """What one input of the catalogue's `Produced by:` lines shows."""
    kind, _, rest = source.partition(": ")
    collect = {
        "cli": cli_messages,
        "importer": importer_messages,
        "bank": bank_messages,
        "hook": hook_messages,
        "fava": fava_messages,
    }.get(kind)
    if collect is None:
        return ledger_messages(_path(source))
    return collect(rest)


# --- The catalogue itself --------------------------------------------------------


def test_every_entry_has_a_template_a_cause_a_fix_and_an_input() -> None:
    assert len(ENTRIES) > 50
    for entry in ENTRIES:
        assert entry.template, entry.title
        assert entry.has_cause and entry.has_fix, entry.title
        assert entry.sources, entry.title
    titles = [entry.title for entry in ENTRIES]
    assert len(titles) == len(set(titles))
    templates = [entry.template for entry in ENTRIES]
    assert len(templates) == len(set(templates))


def test_template_placeholders_match_any_text_and_nothing_else() -> None:
    pattern = re.compile(template_regex("Client <id> is lost on <date>."))
    assert pattern.fullmatch("Client 'Lefevre' is lost on 2016-03-31.")
    assert not pattern.fullmatch("Client 'Lefevre' is lost on 2016-03-31!")
    assert re.fullmatch(template_regex("(a) <x> [b]"), "(a) anything [b]")
    assert re.fullmatch(template_regex("[<class 'x.Y'>]"), "[<class 'x.Y'>]")
    assert not re.fullmatch(template_regex("[<class 'x.Y'>]"), "[z]")


def test_an_undocumented_message_is_caught() -> None:
    assert not _documented(Message("Something new went wrong", "test"))
    row = "missing 'date'; amount: bad amount '12,3x'"
    assert _documented(Message(row, "test", joined=True))
    assert not _documented(Message(f"{row}; something new", "test", joined=True))


# --- Each entry is produced ----------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.title for entry in ENTRIES])
def test_entry_is_produced_by_each_input_it_names(entry: Entry) -> None:
    for source in entry.sources:
        shown = messages(source)
        assert any(
            (entry.within_joined if message.joined else entry.pattern).fullmatch(
                message.text
            )
            for message in shown
        ), f"{source} does not show {entry.template!r}; it shows " + "\n".join(
            message.text for message in shown
        )


# --- Nothing undocumented ------------------------------------------------------


def _documented(message: Message) -> bool:
    if not message.joined:
        return any(entry.pattern.fullmatch(message.text) for entry in ENTRIES)
    return _JOINED.fullmatch(message.text) is not None


_ONE = "|".join(f"(?:{template_regex(e.template, joined=True)})" for e in ENTRIES)
_JOINED = re.compile(f"(?:{_ONE})(?:; (?:{_ONE}))*", re.DOTALL)


def _corpus_files() -> list[Path]:
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".beancount", ".csv"))
    if EXTRA_CORPUS:
        extra = Path(EXTRA_CORPUS)
        files.extend(
            sorted(p for p in extra.rglob("*") if p.suffix in (".beancount", ".csv"))
        )
    return files


def _all_messages(path: Path) -> list[Message]:
    """Everything the package shows about one bad input, through every face."""
    if path.suffix == ".csv":
        # Through both importers, whichever the file was meant for.
        return [*bank_messages(str(path)), *importer_messages(str(path))]
    if path.name == "not-utf8.beancount":
        return list(cli_messages(f"report {shlex.quote(str(path))}"))
    found = list(ledger_messages(str(path)))
    if path.name.startswith("hook-"):
        found.extend(hook_messages(str(path)))
    if path.name in BEANCOUNT_PAD_CRASHES:
        return found
    quoted = shlex.quote(str(path))
    for command in (f"report {quoted}", f"invoices {quoted}"):
        found.extend(m for m in cli_messages(command) if m.reported)
    for address in ("", "report"):
        found.extend(fava_messages(f"{path} {address}"))
    return found


def _catalogue_sources() -> list[str]:
    return sorted({source for entry in ENTRIES for source in entry.sources})


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_every_message_about_a_bad_input_is_documented(path: Path) -> None:
    undocumented = [m.text for m in _all_messages(path) if not _documented(m)]
    assert not undocumented, "not in docs/errors.md:\n" + "\n".join(undocumented)


@pytest.mark.parametrize("source", _catalogue_sources())
def test_every_message_of_the_catalogue_inputs_is_documented(source: str) -> None:
    shown = [m for m in messages(source) if m.reported]
    undocumented = [m.text for m in shown if not _documented(m)]
    assert not undocumented, "not in docs/errors.md:\n" + "\n".join(undocumented)


# --- bean-check prints them ----------------------------------------------------


def _ledgers() -> list[Any]:
    return [
        pytest.param(
            path,
            id=path.name,
        )
        for path in _corpus_files()
        if path.suffix == ".beancount" and path.name != "not-utf8.beancount"
    ]


@pytest.mark.parametrize("path", _ledgers())
def test_ledger_errors_print_as_bean_check_prints_them(path: Path) -> None:
    _, errors, _ = loader.load_file(str(path))
    for error in errors:
        if isinstance(error, FreelanceError):
            # beancount's printer has no annotations.
            printed = printer.format_error(error)  # type: ignore[no-untyped-call]
            assert printed.startswith(
                f"{error.source['filename']}:{error.source['lineno']}: "
            )


LINK_CHECKS = (
    "Payment without an invoice",
    "due: is not a date",
    "Two invoices share a link",
    "Payment dated before its invoice",
    "A payment cannot be converted to its invoice's currency",
    "Invoice paid more than its amount",
)


def test_check_links_errors_reach_bean_check() -> None:
    _, errors, _ = loader.load_file(str(CORPUS / "receivables.beancount"))
    shown = [error.message for error in errors if isinstance(error, FreelanceError)]
    for title in LINK_CHECKS:
        entry = next(entry for entry in ENTRIES if entry.title == title)
        assert any(entry.pattern.fullmatch(message) for message in shown), title
