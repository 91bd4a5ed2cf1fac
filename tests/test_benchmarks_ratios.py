"""How `make bench` turns runs into ratios: paired rounds, medians, controls."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def run() -> Any:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import measure
        import run as run_module

        yield run_module, measure
    finally:
        sys.path.remove(str(BENCHMARKS))


def figure(measure: Any, label: str, cpus: list[float], rss: int = 100) -> Any:
    return measure.Figure(label, tuple(measure.Sample(cpu, cpu, rss) for cpu in cpus))


def time_ratio(
    run: Any, tops: list[float], bottoms: list[float], target: float | None = 1.03
) -> Any:
    """The CPU-time ratio of two sides whose rounds took these seconds."""
    run_module, measure = run
    top, bottom = figure(measure, "a", tops), figure(measure, "b", bottoms)
    return run_module.Ratio("t", top, bottom, target, "cpu")


def test_a_time_ratio_is_the_median_of_the_rounds_ratios(run: Any) -> None:
    # Round 3 is slow for both sides (the machine, not the code).
    ratio = time_ratio(
        run, [1.02, 1.01, 2.04, 1.03, 1.02], [1.00, 1.00, 2.00, 1.00, 1.00]
    )
    assert ratio.value == pytest.approx(1.02)
    assert ratio.of("wall") == pytest.approx(1.02)
    assert ratio.of_medians("cpu") == pytest.approx(1.02 / 1.00)
    assert ratio.fastest == pytest.approx(1.01)
    assert ratio.passed and ratio.verdict == "PASS"


def test_the_median_of_rounds_resists_one_side_slowed_in_some_rounds(
    run: Any,
) -> None:
    ratio = time_ratio(run, [1.0, 1.3, 1.0, 1.3, 1.0], [1.0, 1.0, 1.3, 1.0, 1.0])
    assert ratio.value == pytest.approx(1.0)
    assert ratio.of_medians("cpu") == pytest.approx(1.0)


def test_a_missed_target_fails(run: Any) -> None:
    ratio = time_ratio(run, [1.1] * 5, [1.0] * 5)
    assert not ratio.passed and ratio.verdict == "FAIL"


def test_memory_is_the_ratio_of_the_medians(run: Any) -> None:
    run_module, measure = run
    top = figure(measure, "a", [1.0] * 5, rss=105)
    bottom = figure(measure, "b", [1.0] * 5, rss=100)
    ratio = run_module.Ratio("m", top, bottom, 1.05, "rss_kib")
    assert ratio.value == pytest.approx(1.05)
    assert ratio.passed


def test_a_control_has_no_target_and_never_fails(run: Any) -> None:
    ratio = time_ratio(run, [1.5] * 5, [1.0] * 5, target=None)
    assert ratio.passed and ratio.verdict == "control"


def test_fewer_than_five_runs_is_refused(run: Any) -> None:
    run_module, _ = run
    with pytest.raises(SystemExit):
        run_module.parse_args(["--runs", "3"])
    assert run_module.parse_args([]).runs >= 5
