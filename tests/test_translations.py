"""English and French: the catalogue is complete, and every face speaks it.

The French catalogue must translate every string the code and the template
mark (`pybabel extract`, as `make translations` runs it); the committed `.mo`
must be the compiled `.po`. The page follows Fava's language, the CLI `--lang`
and the locale variables; the JSON document is the same in every language.
"""

from __future__ import annotations

import functools
import gettext
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from beancount import loader
from click.testing import CliRunner
from fava.application import create_app
from fava.util import slugify

from beancount_freelance import i18n
from beancount_freelance.cli import main
from beancount_freelance.core import messages
from beancount_freelance.core.document.report import report_document

ROOT = Path(__file__).parent.parent
PO = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "beancount_freelance.po"
MO = PO.with_suffix(".mo")
CLIENTS = Path(__file__).parent / "data" / "fava" / "clients.beancount"
EXAMPLE = ROOT / "example_ledger" / "main.beancount"


def _extract(target: Path) -> Any:
    pybabel = Path(sys.executable).parent / "pybabel"
    command = [str(pybabel if pybabel.exists() else shutil.which("pybabel"))]
    subprocess.run(
        [
            *command,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "tr",
            "-k",
            "trn:1,2",
            "--no-location",
            "-o",
            str(target),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with target.open("rb") as file:
        return read_po(file)


def test_every_marked_string_has_a_french_translation(tmp_path: Path) -> None:
    template = _extract(tmp_path / "messages.pot")
    with PO.open("rb") as file:
        french = read_po(file, locale="fr")
    untranslated = []
    for message in template:
        if not message.id:
            continue
        found = french.get(message.id)
        strings = (
            found.string
            if found is not None and isinstance(found.string, tuple)
            else (found.string,)
            if found is not None
            else ("",)
        )
        if found is None or "fuzzy" in found.flags or not all(strings):
            untranslated.append(message.id)
    assert untranslated == [], "run `make translations`, then translate these"


def test_the_shipped_mo_is_the_compiled_po(tmp_path: Path) -> None:
    with PO.open("rb") as file:
        french = read_po(file, locale="fr")
    compiled = tmp_path / "fresh.mo"
    with compiled.open("wb") as file:
        write_mo(file, french)
    with compiled.open("rb") as fresh, MO.open("rb") as shipped:
        expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
        found = gettext.GNUTranslations(shipped)._catalog  # type: ignore[attr-defined]
    assert found == expected, "run `make translations` and commit the .mo"


def test_the_locale_variables_choose_the_language() -> None:
    assert i18n.environment_languages({"LANG": "fr_FR.UTF-8"}) == ["fr_FR.UTF-8"]
    assert i18n.environment_languages({"LANGUAGE": "fr:en", "LANG": "de_DE.UTF-8"}) == [
        "fr",
        "en",
    ]
    assert i18n.environment_languages({"LC_ALL": "C"}) == ["C"]
    french = i18n.translations(["fr_FR.UTF-8"])
    assert french.gettext("Active clients") == "Clients actifs"
    assert french.ngettext("{count} month", "{count} months", 2) == "{count} mois"
    english = i18n.translations(["C"])
    assert english.gettext("Active clients") == "Active clients"


def test_a_message_is_english_and_knows_its_french() -> None:
    made = messages.message(
        messages.N_("{client}, lost on {date}"), client="Acme", date="x"
    )
    assert made == "Acme, lost on x"
    assert made.translated(i18n.translations(["fr"])) == "Acme, perdu le x"


# --- The CLI -----------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_speaks_french_with_lang_and_with_the_locale() -> None:
    ledger = str(EXAMPLE)
    with_option = _cli("--lang", "fr", "report", ledger, "--as-of", "2017-12-31")
    with_locale = _cli(
        "report", ledger, "--as-of", "2017-12-31", env={"LANG": "fr_FR.UTF-8"}
    )
    english = _cli("--lang", "en", "report", ledger, "--as-of", "2017-12-31")
    assert with_option.startswith("Clients au 2017-12-31, période")
    assert "Concentration (12 derniers mois) : HHI" in with_option
    assert with_locale.splitlines()[0] == with_option.splitlines()[0]
    assert english.startswith("Clients as of 2017-12-31, period")


def _english_phrases() -> set[str]:
    """The fixed words of each English string whose French differs, as phrases.

    A template's text between placeholders, two words at least: one word alone
    ("Client", "Total", "Chance") is often the same word in French.
    """
    phrases = set()
    for english in _english_words():
        for part in re.split(r"\{[^}]*\}|%\([^)]*\)[sd]", english):
            part = part.strip(" ,.;:()")
            if " " in part:
                phrases.add(part)
    return phrases


@pytest.mark.parametrize(
    ("command", "french"),
    [
        ("report", "Remplacements :"),
        ("forecast", "Prévision des 12 mois après le 2017-12-31, en EUR"),
        ("pipeline", "Devis en cours au 2017-12-31 (EUR)"),
        ("invoices", "Factures en retard, les plus en retard d'abord :"),
        ("hours", "Heures au 2017-12-31, période toutes dates"),
    ],
)
def test_every_command_speaks_french_through_and_through(
    command: str, french: str
) -> None:
    output = _cli("--lang", "fr", command, str(EXAMPLE), "--as-of", "2017-12-31")
    assert french in output
    left = sorted(
        phrase
        for phrase in _english_phrases()
        if re.search(r"(?<![\w'])" + re.escape(phrase) + r"(?![\w'])", output)
    )
    assert left == [], f"English left in `bean-clients --lang fr {command}`"
    english = _cli("--lang", "en", command, str(EXAMPLE), "--as-of", "2017-12-31")
    assert french not in english


def test_the_report_s_words_are_french_to_the_last_cell() -> None:
    output = _cli("--lang", "fr", "report", str(EXAMPLE), "--as-of", "2017-12-31")
    kinetica = next(line for line in output.splitlines() if line.startswith("Kinetica"))
    assert " actif " in kinetica and " active " not in kinetica
    assert "  Kinetica 22.6 % : client majeur (≥ 10 %)" in output
    assert "Vous remportez 62 % de vos devis (5 sur 8 en deux ans)" in output
    forecast = _cli("--lang", "fr", "forecast", str(EXAMPLE), "--as-of", "2017-12-31")
    assert forecast.splitlines()[2].split() == [
        "Mois",
        "Récurrent",
        "Ponctuel",
        "Total",
    ]
    pipeline = _cli("--lang", "fr", "pipeline", str(EXAMPLE), "--as-of", "2017-12-31")
    assert "mensuel" in pipeline and "une fois" in pipeline


def test_the_json_is_the_same_in_every_language() -> None:
    args = ["report", str(EXAMPLE), "--as-of", "2017-12-31", "--json"]
    french = json.loads(_cli("--lang", "fr", *args))
    english = json.loads(_cli("--lang", "en", *args))
    assert french == english
    assert french["concentration"]["flags"][0]["label"] in (
        "major client",
        "high dependency",
    )


# --- The page ----------------------------------------------------------------


HEADINGS = re.compile(r"<(h[1-4]|th|summary|dt)[^>]*>(.*?)</\1>", re.S)


def _english_words() -> set[str]:
    """Every English string of the catalogue whose French differs."""
    with PO.open("rb") as file:
        french = read_po(file, locale="fr")
    words = set()
    for message in french:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        for english, translated in zip(ids, strings, strict=False):
            if english and english != translated:
                words.add(english)
    return words


@functools.cache
def _app(path: Path) -> tuple[Any, str]:
    """One Fava per ledger for the whole module (each one watches its files)."""
    app = create_app([str(path)], load=True)
    app.testing = True
    _, _, options = loader.load_file(str(path))
    return app, f"/{slugify(options['title'])}/extension/FreelanceClients/"


def _page(path: Path, headers: dict[str, str]) -> str:
    app, url = _app(path)
    response = app.test_client().get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _headings(html: str) -> list[str]:
    page = html.split('id="freelance-clients"', 1)[1]
    return [
        unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for _, text in HEADINGS.findall(page)
    ]


@pytest.mark.parametrize("ledger", [CLIENTS, EXAMPLE])
def test_the_page_follows_the_browser_language(ledger: Path) -> None:
    french = _headings(_page(ledger, {"Accept-Language": "fr-FR,fr;q=0.9"}))
    english = _headings(_page(ledger, {"Accept-Language": "en"}))
    assert "Concentration" in french and "Clients actifs" in french
    assert "Active clients" in english and "Clients actifs" not in english
    left = sorted(set(french) & _english_words())
    assert left == [], "English left on the French page"


def test_the_page_follows_fava_s_language_option(tmp_path: Path) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text(
        CLIENTS.read_text(encoding="utf-8")
        + '\n1970-01-01 custom "fava-option" "language" "fr"\n',
        encoding="utf-8",
    )
    html = _page(ledger, {"Accept-Language": "en"})
    headings = _headings(html)
    assert "Sources de revenus" in headings
    assert sorted(set(headings) & _english_words()) == []
    # The cache keeps one page per locale: English asked for again is English.
    assert "Revenue streams" in _headings(_page(CLIENTS, {"Accept-Language": "en"}))


# --- The plugin ----------------------------------------------------------------

UNKNOWN_CLIENT = """
plugin "beancount_freelance.plugin"
2020-01-01 open Assets:Bank
2020-01-01 open Income:Clients:Acme
2020-01-01 custom "client" "Acme" "Acme Ltd"
2020-02-01 * "Acme"
  client: "Acmee"
  Assets:Bank  100 EUR
  Income:Clients:Acme
"""


def test_plugin_messages_follow_the_process_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in i18n.LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    _, errors, _ = loader.load_string(UNKNOWN_CLIENT)
    assert [e.message for e in errors] == [
        "Client inconnu 'Acmee' dans transaction metadata client: : vouliez-vous "
        "dire 'Acme' ?"
    ]
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    _, errors, _ = loader.load_string(UNKNOWN_CLIENT)
    assert [e.message for e in errors] == [
        "Unknown client 'Acmee' in transaction metadata client:; did you mean 'Acme'?"
    ]


def test_the_document_s_warnings_stay_english_under_a_french_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from beancount_freelance.core.ledger.book import FreelanceError
    from beancount_freelance.core.messages import warning_text
    from beancount_freelance.core.report import analyse_report

    ledger = ROOT / "tests" / "data" / "errors" / "many-warnings.beancount"
    monkeypatch.setenv("LANGUAGE", "fr")
    entries, _, options_map = loader.load_file(str(ledger))
    french = report_document(analyse_report(entries, options_map))
    monkeypatch.setenv("LANGUAGE", "en")
    english = report_document(analyse_report(entries, options_map))
    assert french["warnings"] and french == english
    # A translatable message is English in the document whatever the locale.
    monkeypatch.setenv("LANGUAGE", "fr")
    said = messages.message(
        messages.N_("Unknown client {client!r}; {hint}"), client="A", hint=""
    )
    assert warning_text(FreelanceError({}, said, None)) == "Unknown client 'A'; "


def test_the_mo_ships_in_the_wheel() -> None:
    """Committed (so a clean clone has it) and listed as package data."""
    import fnmatch

    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["beancount_freelance"]
    shipped = MO.relative_to(ROOT / "beancount_freelance").as_posix()
    assert any(fnmatch.fnmatch(shipped, pattern) for pattern in patterns)
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(MO)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if tracked.returncode == 128 and b"not a git repository" in tracked.stderr:
        pytest.skip("not a git checkout")
    assert tracked.returncode == 0, "commit the compiled .mo"


UNCONVERTED = """
option "operating_currency" "EUR"
2020-01-01 open Assets:Bank
2020-01-01 open Income:Clients:Acme
2020-01-01 custom "client" "Acme" "Acme Ltd"
2020-02-01 * "Acme"
  Assets:Bank  100 USD
  Income:Clients:Acme
2020-02-02 * "Acme"
  Assets:Bank  100 EUR
  Income:Clients:Acme
"""


def test_the_document_s_warnings_are_said_in_the_reader_s_language(
    tmp_path: Path,
) -> None:
    # `file:line: ` stays as bean-check prints it, for editors that jump to it.
    ledger = tmp_path / "main.beancount"
    ledger.write_text(UNCONVERTED, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "fr", "report", str(ledger)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"{ledger}:8: Impossible de convertir -100 USD en EUR au 2020-02-01 : "
        "ajoutez un prix `@` à l'écriture ou une directive `price` à cette date ou "
        "avant"
    ]
    found = CliRunner().invoke(main, ["--lang", "fr", "report", str(ledger), "--json"])
    document = json.loads(found.stdout)
    assert document["warnings"] == [
        f"{ledger}:8: Cannot convert -100 USD to EUR on 2020-02-01: add an `@` "
        "price to the posting or a `price` directive on or before that date"
    ]
