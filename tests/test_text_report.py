"""The text face formats DESIGN §3's numbers into tables and sentences.

These tests use hand-written typed values of the report (tests/typed_values.py,
written as the document writes them), so that every word of the output can be
checked against the numbers given; tests/test_cli.py runs the same formatting
on reports the analysis computes from real ledgers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from test_sentences import LEFEVRE, lefevre
from typed_values import concentration, flag, portfolio, stream, totals

from beancount_freelance.cli import text_report
from beancount_freelance.core.receivables.analysis import ClientReceivables
from beancount_freelance.core.revenue.portfolio import ClientStream, Portfolio

# DESIGN §3's replacement for Lefevre, as tests/test_sentences.py words it.
LEFEVRE_REPLACEMENT = LEFEVRE


def client(**values: Any) -> ClientStream:
    row: dict[str, Any] = {
        "id": "Lefevre",
        "name": "Cabinet Lefèvre Avocats",
        "status": "lost",
        "start": "2014-10-05",
        "end": "2015-12-29",
        "last_revenue": "2015-12-05",
        "tenure_months": 14,
        "cadence_days": 30.0,
        "recurring": True,
        "revenue_total": "4500.00",
        "revenue_period": "0.00",
        "revenue_t12m": "1800.00",
        "share_t12m": 0.35,
        "monthly": {},
    }
    row.update(values)
    return stream(**row)


def document(**values: Any) -> Portfolio:
    doc: dict[str, Any] = {
        "as_of": "2016-06-30",
        "currency": "EUR",
        "start": "2016-01-01",
        "end": "2016-06-30",
        "clients": [
            client(),
            client(
                id="Mercier",
                name="Galerie Mercier",
                status="active",
                start="2015-03-02",
                end=None,
                last_revenue="2016-06-02",
                tenure_months=15,
                revenue_total="12345.60",
                revenue_period="3000.00",
                revenue_t12m="3342.86",
                share_t12m=0.65,
                monthly={
                    "2016-01": "500.00",
                    "2016-03": "-50.00",
                    "2016-04": "1000.00",
                },
            ),
            client(
                id="Nobody",
                name="Nobody",
                status="prospect",
                start=None,
                end=None,
                last_revenue=None,
                tenure_months=None,
                cadence_days=None,
                recurring=False,
                revenue_total="0.00",
                revenue_t12m="0.00",
                share_t12m=0.0,
            ),
        ],
        "totals": totals(
            revenue_total="16845.60",
            revenue_period="3000.00",
            revenue_t12m="5142.86",
            active_clients=1,
        ),
        "concentration": concentration(
            hhi=5450.0,
            effective_clients=1.834862,
            top1_share=0.65,
            top3_share=1.0,
            flags=[
                flag("Mercier", 0.65, 0.1, "major client"),
                flag("Mercier", 0.65, 0.25, "high dependency"),
                flag("Lefevre", 0.35, 0.1, "major client"),
                flag("Lefevre", 0.35, 0.25, "high dependency"),
            ],
        ),
        "replacements": [LEFEVRE_REPLACEMENT],
    }
    doc.update(values)
    return portfolio(**doc)


def unpaid(client_id: str) -> ClientReceivables:
    """A client with no invoice in the books."""
    return ClientReceivables(client_id)


# --- Replacement paragraphs -------------------------------------------------------
# The words are beancount_freelance.text.sentences' (tests/test_sentences.py); this face
# joins them into one paragraph, wrapped and indented.


def test_replacement_paragraph_is_the_issue_example() -> None:
    paragraph = text_report.replacement_paragraph(LEFEVRE_REPLACEMENT, "EUR", 4)
    lines = paragraph.splitlines()
    assert all(line.startswith("    ") for line in lines)
    assert all(len(line) <= text_report.LINE_WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines) == (
        "Lefevre brought 300.00 EUR a month (30 % of your income). New clients of "
        "your usual size bring 150.00 EUR: you need 2. You signed about one every 4 "
        "months, so expect about 8 months. Since then you have replaced 40 %."
    )


def test_what_if_is_conditional_and_has_no_since_then() -> None:
    what_if = lefevre(
        ended="2016-06-30", reason="what-if", note="", replaced_monthly="0.00"
    )
    text = text_report.what_if_text(what_if, "EUR")
    lines = text.splitlines()
    assert lines[0] == "If Lefevre left on 2016-06-30:"
    assert all(line.startswith("  ") for line in lines[1:])
    assert all(len(line) <= text_report.LINE_WIDTH for line in lines)
    assert " ".join(line.strip() for line in lines[1:]) == (
        "Lefevre brings 300.00 EUR a month (30 % of your income). New clients of "
        "your usual size bring 150.00 EUR: you would need 2. You signed about one "
        "every 4 months, so expect about 8 months."
    )


# --- The report -----------------------------------------------------------------


def test_report_table_is_aligned() -> None:
    text = text_report.report_text(document())
    lines = text.splitlines()
    assert lines[0] == (
        "Clients as of 2016-06-30, period from 2016-01-01 to 2016-06-30, amounts in EUR"
    )
    header, *rows = lines[2:7]
    assert header.split() == [
        "Id", "Name", "Status", "Since", "Until", "Tenure", "Period", "12", "months",
        "Share", "Last", "revenue",
    ]  # fmt: skip
    # Right-aligned amount columns end where their header ends.
    for title, values in (
        ("12 months", ["1800.00", "3342.86", "0.00", "5142.86"]),
        ("Share", ["35.0 %", "65.0 %", "0.0 %"]),
        ("Period", ["0.00", "3000.00", "0.00", "3000.00"]),
    ):
        end = header.index(title) + len(title)
        for row, value in zip(rows, values, strict=False):
            assert row[end - len(value) : end] == value, (title, row)
    # Left-aligned columns start where their header starts, accents included.
    start = header.index("Status")
    assert [row[start:].split()[0] for row in rows[:3]] == [
        "lost",
        "active",
        "prospect",
    ]
    assert rows[0].split("  ")[1].strip() == "Cabinet Lefèvre Avocats"
    assert "–" in rows[2]  # a prospect has no dates
    assert rows[3].startswith("Total")


def test_report_concentration_and_replacements() -> None:
    lines = text_report.report_text(document()).splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Concentration"))
    assert lines[at] + " " + lines[at + 1] == (
        "Concentration (trailing 12 months): HHI 5450, 1.83 effective clients, "
        "top client 65.0 %, top 3 100.0 %."
    )  # wrapped at the line width
    assert lines[at + 2 : at + 4] == [
        "  Mercier 65.0 %: major client (≥ 10 %), high dependency (≥ 25 %)",
        "  Lefevre 35.0 %: major client (≥ 10 %), high dependency (≥ 25 %)",
    ]
    at = lines.index("Replacements:")
    assert lines[at + 1] == (
        "  Lefevre, lost on 2015-12-29 (Restructuring; moving to an agency):"
    )
    assert lines[at + 2].startswith("    Lefevre brought 300.00 EUR a month")
    assert lines[at + 3].startswith("    ")  # the sentences wrap, indented


def test_report_empty_cases() -> None:
    text = text_report.report_text(
        document(
            clients=[],
            start=None,
            end=None,
            concentration=concentration(),
            replacements=[],
        )
    )
    assert "period all dates" in text
    assert "No client yet" in text
    assert "Concentration: no revenue in the trailing 12 months." in text
    assert "Replacements: no client lost or gone quiet in the period." in text


def test_threshold_of_five_sixths() -> None:
    assert text_report.threshold_text(5 / 6) == "83.3 %"
    assert text_report.threshold_text(0.1) == "10 %"


def test_wide_characters_take_two_columns() -> None:
    assert text_report.display_width("株式会社") == 8
    assert text_report.display_width("Lefe\u0300vre") == 7  # combining grave
    rows = text_report.table([["株式会社", "1"], ["Ab", "22"]], [False, True])
    assert rows == ["株式会社   1", "Ab        22"]


# --- One client -----------------------------------------------------------------


def test_monthly_lines_fill_gaps_and_mark_refunds() -> None:
    lines = text_report.monthly_lines(
        {
            "2015-12": Decimal("500.00"),
            "2016-02": Decimal("-50.00"),
            "2016-03": Decimal("1000.00"),
        }
    )
    assert [line.split()[:2] for line in lines] == [
        ["2015-12", "500.00"],
        ["2016-01", "0.00"],
        ["2016-02", "-50.00"],
        ["2016-03", "1000.00"],
    ]
    assert lines[3].endswith("█" * text_report.BAR_WIDTH)
    assert lines[0].endswith(" " + "█" * (text_report.BAR_WIDTH // 2))
    assert lines[2].endswith(" " + "▒" * 2)  # 50 / 1000 of 30 columns
    assert text_report.monthly_lines({}) == ["  No revenue in the period."]


def test_client_text_without_events() -> None:
    doc = document()
    text = text_report.client_text(doc, doc.clients[1], None, unpaid("Mercier"))
    assert "Galerie Mercier" in text
    assert (
        "Revenue to date: 12345.60 EUR; revenue every 30 days (median), recurring."
        in (text)
    )
    assert "  No client-lost or client-back event." in text
    assert "Replacement" not in text


def test_client_text_with_events_and_replacement() -> None:
    doc = document()
    lost = client(
        events=[
            {"date": "2015-12-29", "kind": "lost", "note": "Restructuring"},
            {"date": "2016-09-01", "kind": "back", "note": ""},
        ]
    )
    lines = text_report.client_text(
        doc, lost, LEFEVRE_REPLACEMENT, unpaid("Lefevre")
    ).splitlines()
    at = lines.index("Events:")
    assert lines[at + 1 : at + 3] == [
        "  2015-12-29  lost  Restructuring",
        "  2016-09-01  back",
    ]
    assert "  No revenue in the period." in lines
    at = lines.index(
        "Replacement: Lefevre, lost on 2015-12-29 (Restructuring; moving to an agency):"
    )
    assert lines[at + 1].startswith("  Lefevre brought 300.00 EUR a month")
    assert lines[-1].endswith("Since then you have replaced 40 %.")
