"""Beancount's own generated example (an employee's books): the package stays quiet.

`bean-example` writes the books of a salaried employee with a brokerage account
and vacation hours (`VACHR`), no freelance client at all. With the plugin line,
bean-check reports nothing, and the analysis names the income it cannot
attribute once, first, with what to do.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from beancount import loader

from beancount_freelance.core.document.report import report_document
from beancount_freelance.core.report import analyse_report

BEAN_EXAMPLE = Path(sys.executable).parent / "bean-example"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Any], Any, Any]:
    path = tmp_path_factory.mktemp("bean-example") / "example.beancount"
    generated = subprocess.run(
        [
            str(BEAN_EXAMPLE),
            "--seed",
            "7",
            "--date-begin",
            "2020-01-01",
            "--date-end",
            "2022-12-31",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path.write_text('plugin "beancount_freelance.plugin"\n' + generated)
    return loader.load_file(str(path))


def test_the_plugin_reports_nothing(example: tuple[list[Any], Any, Any]) -> None:
    _, errors, _ = example
    assert errors == []


def test_the_income_without_client_comes_first(
    example: tuple[list[Any], Any, Any],
) -> None:
    entries, _, options = example
    document = report_document(analyse_report(entries, options))
    assert document["currency"] == "USD"
    assert document["clients"] == []
    first = document["unattributed_accounts"][0]
    assert first["account"] == "Income:US:Babble:Salary"
    assert (
        "USD of income has no client (Income:US:Babble:Salary"
        in (document["warnings"][0])
    )


def test_at_most_three_warnings(example: tuple[list[Any], Any, Any]) -> None:
    entries, _, options = example
    assert len(report_document(analyse_report(entries, options))["warnings"]) <= 3
