"""No formatting leftovers in what a person reads, in English and in French.

Every section of the Clients page, every client's view and every text of the
CLI is rendered in both languages and read as a person reads it (the page's
text, scripts and styles left out): `%%`, `%(`, `%s` or a `{name}` left in it
is a template that was not filled in (issue 28: "95 %% band").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from click.testing import CliRunner
from fava.application import create_app
from fava.util import slugify

from beancount_freelance.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example_ledger" / "main.beancount"
INVOICES = ROOT / "tests" / "data" / "fava" / "invoices.beancount"
LEFTOVER = re.compile(r"%%|%\(|%s\b|\{[a-z_][a-z0-9_]*(?:![rs])?\}")
LANGUAGES = ("en", "fr")


class ReadText(HTMLParser):
    """The text a person reads: no script, no style, attributes' titles kept."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def read_text(html: str) -> str:
    parser = ReadText()
    parser.feed(html)
    return "\n".join(parser.parts)


def leftovers(text: str) -> list[str]:
    return [
        text[max(0, m.start() - 40) : m.end() + 40] for m in LEFTOVER.finditer(text)
    ]


def test_the_pattern_finds_each_leftover() -> None:
    assert leftovers("95 %% band") and leftovers("%(count)d") and leftovers("a %s")
    assert leftovers("hello {name}") and leftovers("x {client!r} y")
    assert leftovers("95 % band, {} and 100 %") == []


def _app_client(path: Path) -> Any:
    app = create_app([str(path)], load=True)
    app.testing = True
    return app.test_client()


def _base(path: Path) -> str:
    _, _, options = loader.load_file(str(path))
    return f"/{slugify(options['title'])}/extension/FreelanceClients/"


def _client_ids(test_client: Any, base: str) -> list[str]:
    response = test_client.get(base + "report")
    assert response.status_code == 200
    return [client["id"] for client in response.get_json()["clients"]]


@pytest.mark.parametrize("path", [EXAMPLE, INVOICES], ids=["example", "invoices"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_page_and_every_client_view_read_clean(path: Path, lang: str) -> None:
    test_client = _app_client(path)
    base = _base(path)
    headers = {"Accept-Language": lang}
    pages = {"page": base}
    pages.update(
        {
            f"client {cid}": f"{base}?client={cid}"
            for cid in _client_ids(test_client, base)
        }
    )
    found = {}
    for name, url in pages.items():
        response = test_client.get(url, headers=headers)
        assert response.status_code == 200, name
        left = leftovers(read_text(response.get_data(as_text=True)))
        if left:
            found[name] = left
    assert found == {}


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    return result.stdout + (result.stderr if result.stderr_bytes else "")


CLI_COMMANDS = [
    ["report", str(EXAMPLE)],
    ["invoices", str(EXAMPLE)],
    ["forecast", str(EXAMPLE)],
    ["pipeline", str(EXAMPLE)],
    ["client", str(EXAMPLE), "Dubois"],
    ["what-if", str(EXAMPLE), "Kinetica"],
    ["report", str(INVOICES)],
    ["invoices", str(INVOICES)],
]


@pytest.mark.parametrize("args", CLI_COMMANDS, ids=lambda args: " ".join(args[:1]))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_cli_text_reads_clean(args: list[str], lang: str) -> None:
    output = _cli("--lang", lang, *args)
    assert output.strip()
    assert leftovers(output) == []
