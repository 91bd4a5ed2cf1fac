"""The opt-in `max_share` policy: an error at the client's declaration (or payment)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from beancount import loader

from beancount_freelance import plugin
from beancount_freelance.core.ahead.policy import max_share_errors
from beancount_freelance.core.ledger import scan
from beancount_freelance.core.ledger.config import Config
from beancount_freelance.core.ledger.reading import LedgerReading, read_ledger
from beancount_freelance.core.question import ask
from beancount_freelance.core.revenue import streams

# As of the last entry, 2017-12-01, the trailing 12 months hold:
# Big 600 (declared), Small 200, Loose 200 (undeclared): total 1000.
LEDGER = """\
option "operating_currency" "EUR"
plugin "beancount_freelance.plugin" "{config}"
2016-01-01 open Assets:Bank
2016-01-01 open Income:Clients:Big
2016-01-01 open Income:Clients:Small
2016-01-01 open Income:Clients:Loose

2016-01-01 custom "client" "Big" "Big Corp"

2016-06-01 * "Big, more than 12 months before: not counted"
  Assets:Bank  5000 EUR
  Income:Clients:Big

2017-02-01 * "Big"
  Assets:Bank  600 EUR
  Income:Clients:Big

2017-03-01 * "Small"
  Assets:Bank  200 EUR
  Income:Clients:Small

2017-12-01 * "Loose"
  Assets:Bank  200 EUR
  Income:Clients:Loose
"""


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def policy_errors(max_share: float, directory: Path) -> list[str]:
    books = directory / "books.beancount"
    books.write_text(LEDGER.format(config=f"{{'max_share': {max_share}}}"))
    _, errors, _ = loader.load_file(str(books))
    return [
        f"{Path(e.source['filename']).name}:{e.source['lineno']}: {e.message}"
        for e in errors
    ]


def test_a_client_above_max_share_is_an_error_at_its_declaration(
    tmp_path: Path,
) -> None:
    declaration = line_of(LEDGER, 'custom "client" "Big"')
    # Big: 600 / 1000 = 60 % > 50 %.
    assert policy_errors(0.5, tmp_path) == [
        f"books.beancount:{declaration}: Client 'Big' brings 60.0% of the revenue "
        "of the 12 months to 2017-12-01 (600.00 of 1000.00 EUR), above max_share "
        "50.0%"
    ]


def test_an_undeclared_client_is_reported_at_its_last_payment(tmp_path: Path) -> None:
    # 15 %: Big (60 %), Loose (20 %) and Small (20 %) are all above.
    errors = policy_errors(0.15, tmp_path)
    assert len(errors) == 3
    loose = next(error for error in errors if "'Loose'" in error)
    payment = line_of(LEDGER, '* "Loose"')
    assert loose.startswith(f"books.beancount:{payment}: ")


def test_a_share_equal_to_max_share_is_allowed(tmp_path: Path) -> None:
    assert policy_errors(0.6, tmp_path) == []  # 600 / 1000 is not above 0.6


def test_no_max_share_no_check() -> None:
    entries, _, options_map = loader.load_string(LEDGER.format(config="{}"))
    assert max_share_errors(ask(entries, options_map, config=Config())) == []
    assert max_share_errors(ask([], options_map, config=Config(max_share=0.1))) == []


def test_no_revenue_in_the_last_12_months_is_no_error() -> None:
    text = textwrap.dedent(
        """\
        option "operating_currency" "EUR"
        2016-01-01 open Assets:Bank
        2016-01-01 open Income:Clients:Big
        2016-06-01 * "Big"
          Assets:Bank  500 EUR
          Income:Clients:Big
        2017-12-31 open Expenses:Fees
        2017-12-31 * "Bank"
          Expenses:Fees  2 EUR
          Assets:Bank
        """
    )
    entries, _, options_map = loader.load_string(text)
    assert (
        max_share_errors(ask(entries, options_map, config=Config(max_share=0.5))) == []
    )


def test_the_opt_in_checks_read_the_ledger_once_without_the_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # max_share, check_links and ceilings reuse the plugin's own reading of the
    # ledger, and max_share sums the revenue lines: no second reading, and the
    # streams analysis is never run.
    config = "{'max_share': 0.5, 'check_links': True, 'ceilings': [('C', 1500)]}"
    entries, _, options_map = loader.load_string(LEDGER.format(config="{}"))
    readings: list[object] = []

    def counted(*args: Any, **kwargs: Any) -> LedgerReading:
        readings.append(args)
        return read_ledger(*args, **kwargs)

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the plugin ran the streams analysis")

    monkeypatch.setattr(plugin, "read_ledger", counted)
    monkeypatch.setattr(scan, "read_ledger", counted)
    monkeypatch.setattr(streams, "analyse", never)
    _, errors = plugin.attribute_clients(entries, options_map, config)
    assert len(readings) == 1
    # Big's 60 %; the revenue of 2016 (5000) above the ceiling, not 2017's (1000).
    assert [error.message.split(" (")[0] for error in errors] == [
        "Client 'Big' brings 60.0% of the revenue of the 12 months to 2017-12-01",
        "The revenue of 2016 goes above the ceiling 'C'",
    ]
