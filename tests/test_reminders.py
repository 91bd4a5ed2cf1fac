"""`bean-clients reminders`: who gets one, in which tone, and the drafts it writes.

The ledger below, as of 2024-04-15 (payment terms 30 days; 2024 is a leap year):

- Acme, on its own receivable: invoice ^A-1 of 2024-01-10, 1200.00 EUR, due
  2024-02-09, paid 500.00 and credited 100.00: 600.00 still due, 66 days late
  (20 days of February, 31 of March, 15 of April); invoice `invoice: "F-2024-02"`
  of 2024-02-10, 800.00 EUR, due 2024-03-11: 35 days late; an invoice without
  link nor number of 2024-04-01, 200.00 EUR, due 2024-05-01: not yet due. Its
  reminder: 1400.00 EUR overdue, the formal notice (66 >= 45).
- Zed, on the shared receivable: invoice ^Z-7 of 2024-02-14, 1000.00 USD, due
  2024-03-15: 31 days late, the second reminder.
- Bistro, on the shared receivable, writes French (`lang: "fr"`): invoice
  `invoice_no: 17` of 2024-03-10, 250.00 EUR, due 2024-04-09: 6 days late, the
  first reminder.
- Globex: invoice of 2024-03-16, due 2024-04-15, the day itself: not overdue.
"""

from __future__ import annotations

import datetime
import email
import json
import textwrap
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from click.testing import CliRunner, Result

from beancount_freelance.cli import main
from beancount_freelance.core.ledger.config import (
    ConfigError,
    ReminderSettings,
    parse_config,
)
from beancount_freelance.core.receivables.reminders import tone_of
from beancount_freelance.text.reminders import draft_file_names

PLUGIN = 'plugin "beancount_freelance.plugin"'
LEDGER = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    {plugin}
    2024-01-01 open Assets:Bank
    2024-01-01 open Assets:Receivable
    2024-01-01 open Assets:Receivable:Acme
    2024-01-01 open Income:Clients:Acme
    2024-01-01 open Income:Clients:Zed
    2024-01-01 open Income:Clients:Bistro
    2024-01-01 open Income:Clients:Globex
    2024-01-01 custom "client" "Acme" "ACME Corp"
      email: "billing@acme.example"
    2024-01-01 custom "client" "Bistro" "Bistro d'Été"
      email: "compta@bistro.example"
      lang: "fr"
    2024-01-01 custom "client" "Zed" "Zed Ltd"
    2024-01-01 custom "client" "Globex" "Globex"

    2024-01-10 * "ACME" "Website" ^A-1
      Assets:Receivable:Acme   1200.00 EUR
      Income:Clients:Acme
    2024-02-10 * "ACME" "Maintenance"
      invoice: "F-2024-02"
      Assets:Receivable:Acme    800.00 EUR
      Income:Clients:Acme
    2024-02-14 * "Zed" "Audit" ^Z-7
      Assets:Receivable        1000.00 USD
      Income:Clients:Zed
    2024-02-20 * "ACME" "Part payment" ^A-1
      Assets:Bank               500.00 EUR
      Assets:Receivable:Acme
    2024-02-25 * "ACME" "Credit note" ^A-1
      Income:Clients:Acme       100.00 EUR
      Assets:Receivable:Acme
    2024-03-10 * "Bistro" "Menu design"
      invoice_no: 17
      Assets:Receivable         250.00 EUR
      Income:Clients:Bistro
    2024-03-16 * "Globex" "Logo"
      Assets:Receivable         400.00 EUR
        invoice_number: "G-2024-9"
      Income:Clients:Globex
    2024-04-01 * "ACME" "Hosting"
      Assets:Receivable:Acme    200.00 EUR
      Income:Clients:Acme
    """
)
AS_OF = "2024-04-15"
SENDER = "Jeanne Dupont <jeanne@example.org>"


def ledger(tmp_path: Path, config: str = "", text: str = LEDGER) -> str:
    plugin = f'{PLUGIN} "{config}"' if config else PLUGIN
    path = tmp_path / "books.beancount"
    path.write_text(text.replace("{plugin}", plugin), encoding="utf-8")
    return str(path)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def reminders_json(path: str, *args: str) -> dict[str, Any]:
    result = run("reminders", path, "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def read_draft(path: Path) -> EmailMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


# --- Who gets a reminder, and in which tone ---------------------------------------


def test_the_document_lists_every_overdue_invoice_with_hand_checked_figures(
    tmp_path: Path,
) -> None:
    document = reminders_json(ledger(tmp_path))
    assert [r["client"] for r in document["reminders"]] == ["Acme", "Zed", "Bistro"]
    acme = document["reminders"][0]
    assert acme == {
        "client": "Acme",
        "name": "ACME Corp",
        "email": "billing@acme.example",
        "tone": "formal",
        "invoices": [
            {
                "number": "A-1",
                "date": "2024-01-10",
                "due": "2024-02-09",
                "currency": "EUR",
                "due_amount": "600.00",
                "days_late": 66,
            },
            {
                "number": "F-2024-02",
                "date": "2024-02-10",
                "due": "2024-03-11",
                "currency": "EUR",
                "due_amount": "800.00",
                "days_late": 35,
            },
        ],
        "totals": {"EUR": "1400.00"},
        "lang": None,
        "days_late": 66,
        "not_yet_due": {"EUR": "200.00"},
    }
    zed, bistro = document["reminders"][1:]
    assert (zed["tone"], zed["totals"], zed["email"]) == (
        "second",
        {"USD": "1000.00"},
        None,
    )
    assert zed["invoices"][0]["number"] == "Z-7"
    assert (bistro["tone"], bistro["lang"]) == ("first", "fr")
    assert bistro["invoices"][0]["number"] == "17"  # `invoice_no: 17`, a number
    assert bistro["invoices"][0]["days_late"] == 6


def test_min_days_is_inclusive_and_a_reminder_lists_every_overdue_invoice(
    tmp_path: Path,
) -> None:
    path = ledger(tmp_path)
    clients = lambda days: [  # noqa: E731
        r["client"] for r in reminders_json(path, "--min-days", days)["reminders"]
    ]
    assert clients("6") == ["Acme", "Zed", "Bistro"]
    assert clients("7") == ["Acme", "Zed"]
    assert clients("31") == ["Acme", "Zed"]
    assert clients("32") == ["Acme"]
    # Acme is reminded for A-1 (66 days); F-2024-02 (35 days) is listed too.
    acme = reminders_json(path, "--min-days", "60")["reminders"][0]
    assert [i["number"] for i in acme["invoices"]] == ["A-1", "F-2024-02"]


def test_tones_follow_the_days_late_of_the_invoice_most_late() -> None:
    assert [tone_of(days) for days in (1, 29, 30, 44, 45, 400)] == [
        "first",
        "first",
        "second",
        "second",
        "formal",
        "formal",
    ]


def test_an_invoice_due_on_as_of_is_not_overdue(tmp_path: Path) -> None:
    document = reminders_json(ledger(tmp_path))
    assert "Globex" not in [r["client"] for r in document["reminders"]]
    # A day later it is, its number read on its receivable posting.
    later = run(
        "reminders", ledger(tmp_path), "--as-of", "2024-04-16", "--format", "json"
    )
    globex = [
        r for r in json.loads(later.stdout)["reminders"] if r["client"] == "Globex"
    ]
    assert [(i["number"], i["days_late"]) for i in globex[0]["invoices"]] == [
        ("G-2024-9", 1)
    ]


def test_no_overdue_invoice_says_so(tmp_path: Path) -> None:
    result = run("reminders", ledger(tmp_path), "--as-of", "2024-02-01")
    assert result.exit_code == 0
    assert result.output == (
        "No client has an invoice overdue by 1 day or more on 2024-02-01.\n"
    )


def test_min_days_below_one_is_refused(tmp_path: Path) -> None:
    result = run("reminders", ledger(tmp_path), "--min-days", "0")
    assert result.exit_code == 2
    assert "--min-days" in result.output


# --- The letter ---------------------------------------------------------------------


def test_the_text_words_each_tone_and_lists_the_invoices(tmp_path: Path) -> None:
    result = run("--lang", "en", "reminders", ledger(tmp_path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    acme, zed, bistro = result.output.split("-" * 72)[1:]
    assert "Subject: Formal notice: 2 overdue invoices" in acme
    assert "invoice A-1 of 2024-01-10, due 2024-02-09: 600.00 EUR still due" in acme
    assert "Total due: 1,400.00 EUR" in acme
    assert "Not yet due, for your information: 200.00 EUR" in acme
    assert "Subject: Second reminder: 1 overdue invoice" in zed
    assert "1,000.00 USD" in zed
    # Bistro's declaration says `lang: "fr"`: its letter is French whatever --lang.
    assert "Objet : Relance : 1 facture échue" in bistro
    assert "250,00 EUR" in bistro
    assert "L441-10" not in result.output  # no legal mentions unless asked


def test_lang_after_the_subcommand_chooses_the_language(tmp_path: Path) -> None:
    result = run("reminders", ledger(tmp_path), "--as-of", AS_OF, "--lang", "fr")
    assert "Objet : Mise en demeure : 2 factures échues" in result.output
    assert "1\u202f400,00 EUR" in result.output
    assert "09/02/2024" in result.output


def test_french_legal_mentions_state_the_rule_in_either_language(
    tmp_path: Path,
) -> None:
    path = ledger(tmp_path, f"{{'reminders': {{'sender': '{SENDER}', 'legal': 'fr'}}}}")
    english = run("--lang", "en", "reminders", path, "--as-of", AS_OF).output
    acme = english.split("-" * 72)[1]
    assert "article L441-10 of the French Code de commerce" in acme
    assert "plus 10 percentage points" in acme
    assert "article D441-5" in acme and "40 € per invoice" in acme
    assert acme.rstrip().endswith("Kind regards,\nJeanne Dupont")
    bistro = english.split("-" * 72)[3]
    assert "article L441-10 du Code de commerce" in bistro
    assert "40 €" in bistro and "D441-5" in bistro


# --- The drafts ---------------------------------------------------------------------


def test_eml_drafts_parse_back_as_email(tmp_path: Path) -> None:
    out = tmp_path / "drafts" / "april"  # created, parents too
    result = run(
        "reminders", ledger(tmp_path), "--as-of", AS_OF, "--format", "eml",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "Acme.eml",
        "Bistro.eml",
        "Zed.eml",
    ]
    acme = read_draft(out / "Acme.eml")
    assert acme["To"] == "ACME Corp <billing@acme.example>"
    assert acme["Subject"] == "Formal notice: 2 overdue invoices"
    assert acme["Date"] == "Mon, 15 Apr 2024 00:00:00 +0000"
    assert acme["Date"].datetime == datetime.datetime(
        2024, 4, 15, tzinfo=datetime.timezone.utc
    )
    assert acme["From"] is None  # no sender configured
    assert acme["X-Unsent"] == "1"
    body = acme.get_content()
    assert "F-2024-02" in body and "800.00 EUR" in body
    zed = read_draft(out / "Zed.eml")
    assert zed["To"] is None  # no `email:` on its declaration
    bistro = read_draft(out / "Bistro.eml")
    assert bistro["To"].addresses[0].display_name == "Bistro d'Été"
    assert "Bonjour Bistro d'Été," in bistro.get_content()


def test_the_sender_signs_and_is_the_from(tmp_path: Path) -> None:
    path = ledger(tmp_path, f"{{'reminders': {{'sender': '{SENDER}'}}}}")
    out = tmp_path / "out"
    run("reminders", path, "--as-of", AS_OF, "--format", "eml", "--out", str(out))
    acme = read_draft(out / "Acme.eml")
    assert acme["From"].addresses[0].addr_spec == "jeanne@example.org"
    assert acme.get_content().rstrip().endswith("Jeanne Dupont")


def test_file_names_keep_safe_characters_and_number_collisions() -> None:
    assert draft_file_names(["Acme", "Café", "Cafè", "caf_", "a/../b"]) == {
        "Acme": "Acme.eml",
        "Café": "Caf_.eml",
        "Cafè": "Caf_-2.eml",
        "caf_": "caf_-3.eml",  # the same name on a disk that ignores case
        "a/../b": "a_.._b.eml",
    }


def test_eml_without_out_or_out_on_a_file_exits_2(tmp_path: Path) -> None:
    path = ledger(tmp_path)
    result = run("reminders", path, "--format", "eml")
    assert result.exit_code == 2
    assert "--out DIR" in result.output
    result = run("reminders", path, "--format", "eml", "--out", path)
    assert result.exit_code == 2
    assert "exists and is not a folder" in result.output
    result = run("reminders", path, "--out", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "--format eml" in result.output
    assert not (tmp_path / "x").exists()


# --- Hostile input ------------------------------------------------------------------


HOSTILE = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    {plugin}
    2024-01-01 open Assets:Receivable
    2024-01-01 open Income:Clients:Société
    2024-01-01 custom "client" "Société" "L'\\"Atelier\\" <Ünï> & Cie"
      email: "a@b\\nBcc: everyone@example.org"
    2024-01-10 * "Société" "Travaux"
      invoice: "FA-\\"01\\"/été"
      Assets:Receivable   90.00 EUR
      Income:Clients:Société
    """
)


def test_quotes_and_accents_in_names_and_numbers_never_break_a_draft(
    tmp_path: Path,
) -> None:
    path = ledger(tmp_path, text=HOSTILE)
    document = reminders_json(path)
    (reminder,) = document["reminders"]
    assert reminder["name"] == 'L\'"Atelier" <Ünï> & Cie'
    assert reminder["invoices"][0]["number"] == 'FA-"01"/été'
    # An address over two lines would add a header: left out, with a warning.
    assert reminder["email"] is None
    assert "email: metadata must be an address on one line" in document["warnings"][0]
    out = tmp_path / "out"
    result = run(
        "reminders", path, "--as-of", AS_OF, "--format", "eml", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    (written,) = out.iterdir()
    assert written.name == "Soci_t_.eml"
    parsed = read_draft(written)
    assert parsed["To"] is None and parsed["Bcc"] is None
    assert 'FA-"01"/été' in parsed.get_content()


def test_the_plugin_checks_the_reminders_config() -> None:
    config = parse_config(f"{{'reminders': {{'sender': '{SENDER}', 'legal': 'fr'}}}}")
    assert config.reminders == ReminderSettings(SENDER, "fr")
    assert parse_config("{}").reminders == ReminderSettings()
    for text, said in [
        ("{'reminders': 'fr'}", "takes the keys 'sender' and 'legal'"),
        ("{'reminders': {'signature': 'x'}}", "takes the keys 'sender' and 'legal'"),
        ("{'reminders': {'sender': 'a\\nb'}}", "not a name on one line"),
        ("{'reminders': {'sender': ''}}", "not a name on one line"),
        ("{'reminders': {'legal': 'de'}}", "the one known is 'fr'"),
    ]:
        with pytest.raises(ConfigError, match=said):
            parse_config(text)


def test_bean_check_reports_a_bad_reminders_config(tmp_path: Path) -> None:
    path = ledger(tmp_path, "{'reminders': {'legal': 'uk'}}")
    _, errors, _ = loader.load_file(path)
    assert any("the one known is 'fr'" in error.message for error in errors)


UNLINKED = textwrap.dedent(
    """\
    option "operating_currency" "EUR"
    {plugin}
    2024-01-01 open Assets:Bank
    2024-01-01 open Assets:Receivable:Rivages
    2024-01-01 open Income:Clients:Rivages
    2024-01-05 * "Rivages" "January"
      Assets:Receivable:Rivages   300.00 EUR
      Income:Clients:Rivages
    2024-02-05 * "Rivages" "February"
      Assets:Receivable:Rivages   300.00 EUR
      Income:Clients:Rivages
    2024-02-20 * "Rivages" "Transfer"
      Assets:Bank                 350.00 EUR
      Assets:Receivable:Rivages
    2024-03-01 * "Rivages" "Discount on February"
      Income:Clients:Rivages       50.00 EUR
      Assets:Receivable:Rivages
    """
)


def test_unlinked_invoices_settle_first_in_first_out(tmp_path: Path) -> None:
    # The 350.00 transfer pays January (300.00) and 50.00 of February; the credit
    # note takes 50.00 more: February owes 200.00, due 2024-03-06, 40 days late
    # on 2024-04-15 (25 days of March, 15 of April): a second reminder.
    document = reminders_json(ledger(tmp_path, text=UNLINKED))
    (rivages,) = document["reminders"]
    assert rivages["client"] == rivages["name"] == "Rivages"  # found by its account
    assert rivages["tone"] == "second"
    assert rivages["invoices"] == [
        {
            "number": None,
            "date": "2024-02-05",
            "due": "2024-03-06",
            "currency": "EUR",
            "due_amount": "200.00",
            "days_late": 40,
        }
    ]
    path = ledger(tmp_path, text=UNLINKED)
    text = run("--lang", "en", "reminders", path, "--as-of", AS_OF).output
    assert "- invoice of 2024-02-05, due 2024-03-06: 200.00 EUR still due" in text
