"""The Clients page's reminders and statement of account, through Flask's client.

tests/data/fava/invoices.beancount, as of 2021-04-30 (its comment has the
figures): Bianchi's ^inv-b1 of 2021-02-15, 500.00 EUR, due 2021-03-17, is 44
days late: a second reminder (30 to 44 days); its ^inv-b2, due on the day, is
not overdue. Dubois owes ^inv-d3, due on the day: no reminder. Dubois'
statement: 400 + 400 + 400 invoiced, 400 + 400 paid: closing 400.00 EUR.
"""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from fava.application import create_app
from fava.util import slugify

DATA = Path(__file__).parent / "data" / "fava"
INVOICES = DATA / "invoices.beancount"


@pytest.fixture(scope="module")
def client() -> Any:
    app = create_app([str(INVOICES)], load=True)
    app.testing = True
    return app.test_client()


def url(suffix: str = "") -> str:
    _, _, options = loader.load_file(str(INVOICES))
    return f"/{slugify(options['title'])}/extension/FreelanceClients/{suffix}"


def page(test_client: Any, **args: str) -> str:
    response = test_client.get(url(), query_string=args)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_who_pays_late_lists_a_reminder_per_client(client: Any) -> None:
    html = page(client)
    assert html.count('class="freelance-reminder"') == 1
    assert 'data-client="Bianchi"' in html
    assert "Second reminder" in html and "44 days late" in html
    assert "No address: add `email:`" in html
    assert "reminder_eml?client=Bianchi" in html


def test_the_reminder_endpoint_gives_its_words(client: Any) -> None:
    response = client.get(url("reminder"), query_string={"client": "Bianchi"})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["tone"] == "second"
    assert answer["subject"] == "Second reminder: 1 overdue invoice"
    assert "invoice inv-b1 of 2021-02-15, due 2021-03-17: 500.00 EUR" in answer["body"]
    assert "Not yet due, for your information: 500.00 EUR" in answer["body"]
    missing = client.get(url("reminder"), query_string={"client": "Dubois"})
    assert missing.status_code == 404


def test_the_page_speaks_french_when_fava_does(client: Any) -> None:
    response = client.get(
        url("reminder"),
        query_string={"client": "Bianchi"},
        headers={"Accept-Language": "fr"},
    )
    assert response.get_json()["subject"] == "Deuxième relance : 1 facture échue"


def test_the_eml_download_is_a_draft_that_parses(client: Any) -> None:
    response = client.get(url("reminder_eml"), query_string={"client": "Bianchi"})
    assert response.status_code == 200
    assert response.mimetype == "message/rfc822"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="Bianchi.eml"'
    draft = email.message_from_bytes(response.get_data(), policy=policy.default)
    assert isinstance(draft, EmailMessage)
    assert draft["X-Unsent"] == "1"
    assert draft["Date"] == "Fri, 30 Apr 2021 00:00:00 +0000"
    assert "inv-b1" in draft.get_content()
    unknown = client.get(url("reminder_eml"), query_string={"client": "X"})
    assert unknown.status_code == 404


def test_a_clients_view_shows_its_statement(client: Any) -> None:
    html = page(client, client="Dubois")
    assert 'id="freelance-statement"' in html
    assert "EUR, up to 2021-04-30" in html
    assert html.count('data-kind="invoice"') == 3
    assert html.count('data-kind="payment"') == 2
    closing = html.split("freelance-statement-closing")[1]
    assert "400.00" in closing.split("</tr>")[0]


def test_the_statement_follows_the_period(client: Any) -> None:
    html = page(client, client="Dubois", time="2021-03")
    assert "EUR, from 2021-03-01 to 2021-03-31" in html
    opening = html.split("freelance-statement-opening")[1].split("</tr>")[0]
    assert "400.00" in opening  # ^inv-d2 of February, paid in April
    assert html.count('data-kind="invoice"') == 1  # ^inv-d3 of 2021-03-31


# --- Hostile parameters -------------------------------------------------------------

HOSTILE_TIME = ["garbage", "2021-02-30", "0001-01-01 - 9999", "\x00"]
HOSTILE_CLIENT = ["", "<script>alert(1)</script>", "x" * 100_000, "\x00", "Bianchi "]


@pytest.mark.parametrize("endpoint", ["reminder", "reminder_eml"])
@pytest.mark.parametrize(
    "args",
    [{"time": time, "client": "Bianchi"} for time in HOSTILE_TIME]
    + [{"client": name} for name in HOSTILE_CLIENT],
    ids=lambda args: repr(args)[:40],
)
def test_hostile_parameters_get_json_errors_never_a_500(
    client: Any, endpoint: str, args: dict[str, str]
) -> None:
    response = client.get(url(endpoint), query_string=args)
    if response.status_code == 200:  # " Bianchi " is stripped, as every argument
        assert args.get("client", "").strip() == "Bianchi"
        return
    assert response.status_code in (400, 404)
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]


def test_a_page_with_hostile_names_escapes_them(tmp_path: Path) -> None:
    ledger = tmp_path / "hostile.beancount"
    ledger.write_text(
        'option "title" "Hostile"\n'
        'option "operating_currency" "EUR"\n'
        'plugin "beancount_freelance.plugin"\n'
        '2021-01-01 custom "fava-extension" "beancount_freelance.fava_extension"\n'
        "2021-01-01 open Assets:Receivable\n"
        "2021-01-01 open Income:Clients:Zoé\n"
        '2021-01-01 custom "client" "Zoé" "<script>alert(1)</script> & \\"Co\\""\n'
        '2021-01-05 * "Zoé" "Work"\n'
        '  invoice: "<b>F-1</b>"\n'
        "  Assets:Receivable   100.00 EUR\n"
        "  Income:Clients:Zoé\n"
        '2021-03-31 * "Zoé" "More"\n'
        "  Assets:Receivable   100.00 EUR\n"
        "  Income:Clients:Zoé\n",
        encoding="utf-8",
    )
    app = create_app([str(ledger)], load=True)
    app.testing = True
    test_client = app.test_client()
    base = "/hostile/extension/FreelanceClients/"
    html = test_client.get(base).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert 'data-client="Zoé"' in html
    answer = test_client.get(base + "reminder", query_string={"client": "Zoé"})
    assert "<b>F-1</b>" in answer.get_json()["body"]  # JSON: the page sets textContent
    draft = test_client.get(base + "reminder_eml", query_string={"client": "Zoé"})
    assert draft.headers["Content-Disposition"] == 'attachment; filename="Zo_.eml"'
    view = test_client.get(base, query_string={"client": "Zoé"}).get_data(as_text=True)
    assert "&lt;b&gt;F-1&lt;/b&gt;" in view  # the statement's reference, escaped


def test_a_long_list_of_reminders_shows_the_first_and_links_to_all(
    tmp_path: Path,
) -> None:
    lines = [
        'option "title" "Many"',
        'option "operating_currency" "EUR"',
        'plugin "beancount_freelance.plugin"',
        '2021-01-01 custom "fava-extension" "beancount_freelance.fava_extension"',
        "2021-01-01 open Assets:Receivable",
    ]
    for number in range(55):
        day = f"2021-02-{number % 28 + 1:02d}"
        lines += [
            f"2021-01-01 open Income:Clients:C{number}",
            f'{day} * "C{number}" "Work"',
            "  Assets:Receivable   100.00 EUR",
            f"  Income:Clients:C{number}",
        ]
    ledger = tmp_path / "many.beancount"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = create_app([str(ledger)], load=True)
    app.testing = True
    base = "/many/extension/FreelanceClients/"
    # As of the end of 2021, the time filter's: every invoice is overdue.
    page = app.test_client().get(base, query_string={"time": "2021"})
    html = unescape(page.get_data(as_text=True))
    assert html.count('class="freelance-reminder"') == 10
    assert "The first 10 of 55 reminders, most days late first, are shown." in html
    every = app.test_client().get(base, query_string={"time": "2021", "rows": "all"})
    assert every.get_data(as_text=True).count('class="freelance-reminder"') == 55
