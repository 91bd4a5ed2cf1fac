"""The third shape of books: the benchmark's ledger with invoices never paid."""

from __future__ import annotations

import collections
import datetime
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from beancount import loader
from beancount.core import data

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def shapes() -> Iterator[Any]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import shapes as module

        yield module
    finally:
        sys.path.remove(str(BENCHMARKS))


def never_paid(text: str, older_than: datetime.date) -> tuple[int, int]:
    """(invoices dated before `older_than`, those of them with no payment)."""
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    invoices: dict[str, datetime.date] = {}
    paid: collections.Counter[str] = collections.Counter()
    for entry in entries:
        if not isinstance(entry, data.Transaction) or not entry.links:
            continue
        (link,) = entry.links
        if entry.narration.startswith("Invoice "):
            invoices[link] = entry.date
        elif entry.narration.startswith("Payment of invoice"):
            paid[link] += 1
    old = [link for link, day in invoices.items() if day < older_than]
    return len(old), sum(1 for link in old if not paid[link])


def test_a_share_of_the_invoices_is_never_paid(shapes: Any) -> None:
    # Every invoice is paid within 150 days unless it is left unpaid: among
    # those older than that at the end of the books (2025), none is open in
    # the benchmark's own shape, about half with `unpaid=0.5`.
    before = datetime.date(2025, 7, 1)
    paid_shape = shapes.Shape("paid", 600, 12, 4, 2)
    unpaid_shape = shapes.Shape("unpaid", 600, 12, 4, 2, unpaid=0.5)
    invoices, open_ = never_paid(shapes.generate_shape(paid_shape), before)
    assert invoices > 80 and open_ == 0
    invoices, open_ = never_paid(shapes.generate_shape(unpaid_shape), before)
    assert invoices > 80 and 0.3 * invoices < open_ < 0.7 * invoices


def test_same_shape_same_text(shapes: Any) -> None:
    shape = shapes.Shape("t", 600, 12, 4, 2, unpaid=0.4)
    text = shapes.generate_shape(shape, fava=True)
    assert shapes.generate_shape(shape, fava=True) == text
    assert 'custom "fava-extension" "beancount_freelance.fava_extension"' in text
    assert shapes.generate_shape(shape, fava=False) != text


def test_without_unpaid_invoices_it_is_the_generator_s_own_ledger(
    shapes: Any,
) -> None:
    from generate import generate

    shape = shapes.Shape("second", 600, 12, 4, 2)
    assert shapes.generate_shape(shape, fava=True) == generate(600, 12, 4, 2, fava=True)


def test_the_third_shape_has_thousands_of_open_invoices_and_dozens_of_clients(
    shapes: Any,
) -> None:
    third = shapes.THIRD
    assert third.transactions == 30_000 and third.years == 10
    assert 24 <= third.clients <= 100
    # About 30 % of the transactions are revenue, 70 % of those invoices.
    assert third.transactions * 0.3 * 0.7 * third.unpaid > 2_000
    assert third.stem == "ledger-30000-60c-10y-s5-u40"
    assert shapes.SECOND.stem == "ledger-30000-60c-6y-s3"


def test_a_share_outside_zero_to_one_is_refused(shapes: Any) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        shapes.generate_shape(shapes.Shape("t", 600, 12, 4, 2, unpaid=1.5))


def test_hours_are_asked_of_the_generator_by_their_option(
    shapes: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    shape = shapes.Shape("t", 600, 12, 4, 2, unpaid=0.4)
    if shapes.writes_hours():
        with_hours = shapes.generate_shape(shape, hours=True)
        assert with_hours != shapes.generate_shape(shape)
    else:
        with pytest.raises(SystemExit) as exit_:
            shapes.main(["--transactions", "600", "--clients", "12", "--hours"])
        assert exit_.value.code == 2
        assert "does not write hours yet" in capsys.readouterr().err


def test_the_command_line_writes_the_file(shapes: Any, tmp_path: Path) -> None:
    out = tmp_path / "third.beancount"
    argv = ["--transactions", "600", "--clients", "12", "--years", "4"]
    assert shapes.main([*argv, "--seed", "2", "--fava", "-o", str(out)]) == 0
    shape = shapes.Shape("third", 600, 12, 4, 2, unpaid=shapes.THIRD.unpaid)
    assert out.read_text(encoding="utf-8") == shapes.generate_shape(shape)
