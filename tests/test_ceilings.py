"""Yearly turnover ceilings: share, crossing day, projected crossing, plugin error."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from beancount import loader

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.ledger.book import FreelanceError
from beancount_freelance.core.ledger.config import ConfigError, parse_config
from beancount_freelance.core.report import analyse_report
from beancount_freelance.text.plan_sentences import ceiling_sentences

D = datetime.date
AS_OF = D(2016, 3, 31)

# 2015: 500. 2016: 600 + 600 - 100 (a refund) + 300 with no client = 1400.
LEDGER = """
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin" "{config}"
2015-01-01 open Assets:Bank
2015-01-01 open Income:Clients:Lefevre
2015-01-01 open Income:Other
2015-06-01 * "Lefevre"
  Assets:Bank  500.00 EUR
  Income:Clients:Lefevre
2016-01-05 * "Lefevre"
  Assets:Bank  600.00 EUR
  Income:Clients:Lefevre
2016-02-05 * "Lefevre"
  Assets:Bank  600.00 EUR
  Income:Clients:Lefevre
2016-02-10 * "Lefevre" "Refund"
  Assets:Bank  -100.00 EUR
  Income:Clients:Lefevre
2016-03-01 * "Someone"
  Assets:Bank  300.00 EUR
  Income:Other
"""
CONFIG = "{'ceilings': [('Micro BNC', 1000), ('TVA', 2000)]}"


def load(config: str = CONFIG) -> tuple[list[Any], list[FreelanceError], Any]:
    entries, errors, options = loader.load_string(LEDGER.format(config=config))
    ours = [e for e in errors if isinstance(e, FreelanceError)]
    assert [e.message for e in errors if e not in ours] == []
    return entries, ours, options


def ceilings(config: str = CONFIG, as_of: datetime.date = AS_OF) -> Any:
    entries, _, options = load(config)
    return report_document(analyse_report(entries, options, as_of=as_of))["ceilings"]


def test_each_year_against_each_ceiling() -> None:
    assert ceilings() == [
        # 500 of 1000 in 2015: at 500 a year it never gets there.
        {
            "label": "Micro BNC",
            "amount": "1000.00",
            "currency": "EUR",
            "year": 2015,
            "revenue": "500.00",
            "share": 0.5,
            "crossed_on": None,
            "projected_crossing": None,
        },
        {
            "label": "TVA",
            "amount": "2000.00",
            "currency": "EUR",
            "year": 2015,
            "revenue": "500.00",
            "share": 0.25,
            "crossed_on": None,
            "projected_crossing": None,
        },
        # 600 + 600 = 1200 > 1000 on 2016-02-05 (the refund after does not undo it).
        {
            "label": "Micro BNC",
            "amount": "1000.00",
            "currency": "EUR",
            "year": 2016,
            "revenue": "1400.00",
            "share": 1.4,
            "crossed_on": "2016-02-05",
            "projected_crossing": None,
        },
        # 1400 in the 91 days to 31 March: after 130 days exactly 2000, not above;
        # day 131 is 2016-05-10.
        {
            "label": "TVA",
            "amount": "2000.00",
            "currency": "EUR",
            "year": 2016,
            "revenue": "1400.00",
            "share": 0.7,
            "crossed_on": None,
            "projected_crossing": "2016-05-10",
        },
    ]


def test_reaching_the_ceiling_is_not_crossing_it() -> None:
    found = ceilings("{'ceilings': [('Micro BNC', 1200)]}")
    assert [(c["year"], c["crossed_on"]) for c in found] == [
        (2015, None),
        (2016, "2016-03-01"),  # 1200 on 02-05 is not above; 1400 on 03-01 is
    ]


def test_no_ceilings_no_key_content() -> None:
    assert ceilings("{}") == []


def test_the_plugin_reports_each_crossing_once_at_its_entry() -> None:
    _, errors, _ = load()
    (error,) = errors
    assert error.source["lineno"] == 13  # the transaction of 2016-02-05
    assert error.entry is not None and error.entry.date == D(2016, 2, 5)
    assert error.message == (
        "The revenue of 2016 goes above the ceiling 'Micro BNC' (1000.00 EUR) on "
        "2016-02-05; check what crossing it means for you, or change the config's "
        "`ceilings` if the amount is not right"
    )


def test_the_plugin_reports_one_error_per_year_and_ceiling() -> None:
    _, errors, _ = load("{'ceilings': [('Low', 100), ('Lower', 50)]}")
    assert [(e.entry.date, e.message.split("'")[1]) for e in errors] == [
        (D(2015, 6, 1), "Low"),
        (D(2015, 6, 1), "Lower"),
        (D(2016, 1, 5), "Low"),
        (D(2016, 1, 5), "Lower"),
    ]


def test_the_sentences_of_as_of_year() -> None:
    entries, _, options = load()
    found = analyse_report(entries, options, as_of=D(2016, 3, 31))
    assert ceiling_sentences(found.plan, found.currency, found.as_of) == [
        "Micro BNC: 1400.00 EUR of 1000.00 EUR in 2016 (140 %); crossed on 2016-02-05.",
        "TVA: 1400.00 EUR of 2000.00 EUR in 2016 (70 %); at this pace you cross it "
        "on 2016-05-10.",
    ]


def test_the_config_reads_pairs_as_decimals() -> None:
    config = parse_config("{'ceilings': [['Micro BNC', 83600], ('TVA', 37500.5)]}")
    assert config.ceilings == (
        ("Micro BNC", Decimal("83600")),
        ("TVA", Decimal("37500.5")),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{'ceilings': 37500}",
            "beancount_freelance config 'ceilings' must be a list, not 37500; write a "
            "list of (label, yearly amount) pairs such as [('Micro BNC', 83600)]",
        ),
        (
            "{'ceilings': [('TVA', 0)]}",
            "beancount_freelance config 'ceilings' has ('TVA', 0), not a label and an "
            "amount above zero; write a list of (label, yearly amount) pairs such as "
            "[('Micro BNC', 83600)]",
        ),
        ("{'ceilings': [('TVA', '37500')]}", "has ('TVA', '37500'), not a label"),
        ("{'ceilings': [(37500, 'TVA')]}", "has (37500, 'TVA'), not a label"),
        ("{'ceilings': [('', 100)]}", "has ('', 100), not a label"),
        ("{'ceilings': [('TVA', True)]}", "has ('TVA', True), not a label"),
        ("{'ceilings': [('TVA', 1e400)]}", "has ('TVA', inf), not a label"),
        ("{'ceilings': ['TVA']}", "has 'TVA', not a label"),
    ],
)
def test_each_ceiling_mistake_has_a_message(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(text)
    assert message in str(raised.value)


def test_a_report_in_another_currency_keeps_the_ceilings_in_the_ledgers() -> None:
    # A report in dollars (2 USD a euro) against ceilings written in euros: the
    # ceilings still count 1400 EUR of 1000 EUR.
    entries, _, options = load()
    entries += loader.load_string("2015-01-01 price EUR 2 USD")[0]
    entries.sort(key=lambda entry: entry.date)
    found = analyse_report(entries, options, currency="USD", as_of=AS_OF)
    document = report_document(found)
    micro = next(c for c in document["ceilings"] if c["year"] == 2016)
    assert (micro["currency"], micro["revenue"], micro["share"]) == (
        "EUR",
        "1400.00",
        1.4,
    )
    # The clients' 12 months to 2016-03-31: (500 + 600 + 600 - 100) EUR in dollars.
    assert document["totals"]["revenue_t12m"] == "3200.00"
    assert ceiling_sentences(found.plan, found.currency, found.as_of)[0] == (
        "Micro BNC: 1400.00 EUR of 1000.00 EUR in 2016 (140 %); crossed on 2016-02-05."
    )
