"""The first view after a reload: its requests and a collection, timed as one."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> Iterator[tuple[Any, Any, Any]]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import measure
        import run
        import worker

        yield worker, run, measure
    finally:
        gc.callbacks.remove(worker.FULL_COLLECTIONS._observe)
        sys.path.remove(str(BENCHMARKS))


class Clock:
    """A CPU clock that moves only when a request or the collection runs."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_collection_after_the_requests_is_inside_the_span(bench: Any) -> None:
    worker, _, _ = bench
    clock = Clock()
    sizes = {"income_statement/": 5_000, "api/income_statement": 40_000}

    def get(path: str) -> tuple[int, int]:
        clock.now += 0.25  # each request: a quarter of a second
        return 200, sizes[path]

    def collect() -> int:
        clock.now += 2.0  # the collection: two seconds
        return 7

    answer = worker.timed_view(get, list(sizes), collect=collect, clock=clock)
    assert answer["cpu"] == pytest.approx(0.25 + 0.25 + 2.0)
    assert answer["stages"]["collection after"] == pytest.approx(2.0)
    assert answer["stages"]["page bytes"] == 5_000
    assert answer["result"] == {"status": 200, "bytes": [5_000, 40_000], "garbage": 7}


def test_the_garbage_a_request_leaves_is_freed_before_the_answer(bench: Any) -> None:
    worker, _, _ = bench
    freed: list[str] = []

    class Node:
        other: Any = None

    def get(path: str) -> tuple[int, int]:
        # Two objects that hold each other: only a collection frees them.
        first, second = Node(), Node()
        first.other, second.other = second, first
        weakref.finalize(first, freed.append, path)
        return 200, 10

    enabled = gc.isenabled()
    gc.disable()  # no automatic collection: the one in the span frees them
    try:
        answer = worker.timed_view(get, ["page"])
    finally:
        if enabled:
            gc.enable()
    assert freed == ["page"]
    assert answer["result"]["garbage"] >= 2


def test_a_failed_request_fails_the_view(bench: Any) -> None:
    worker, _, _ = bench
    answers = {"page": (200, 100), "api": (500, 20)}
    answer = worker.timed_view(answers.__getitem__, ["page", "api"])
    assert answer["result"]["status"] == 500


def test_the_client_view_is_the_client_with_the_most_revenue(bench: Any) -> None:
    worker, run, _ = bench
    document = {
        "clients": [
            {"id": "Small", "revenue_total": "999.99"},
            {"id": "Zeta", "revenue_total": "1200.00"},
            {"id": "Alpha", "revenue_total": "1200.00"},  # a tie: the first id
        ]
    }
    assert worker.top_client(document) == "Alpha"
    assert worker.top_client({"clients": []}) is None
    views = run.first_views({"top_client": "Café & Co"})
    assert (
        views["client view"]
        == "extension/FreelanceClients/?client=Caf%C3%A9%20%26%20Co"
    )
    assert views["Clients page"] == "extension/FreelanceClients/"
    assert views["JSON endpoint"] == "extension/FreelanceClients/report"


def test_the_page_s_size_is_checked_on_its_largest_run(bench: Any) -> None:
    _, run, measure = bench

    def figure(label: str, sizes: list[float]) -> Any:
        samples = (measure.Sample(1.0, 1.0, stages={"page bytes": s}) for s in sizes)
        return measure.Figure(label, tuple(samples))

    figures = {
        "Clients page, first request (third)": figure("p", [250_000.0, 310_000.0]),
        "client view, first request (third)": figure("v", [40_000.0, 40_000.0]),
    }
    page, view = run.page_sizes("third", figures)
    assert page.value == 310_000 and not page.passed and page.verdict == "FAIL"
    assert view.value == 40_000 and view.passed
    assert page.bound == "< 300,000 B" and page.written == "310,000 B"


def test_a_fresh_process_figure_is_reported_not_judged(bench: Any) -> None:
    _, run, measure = bench
    slow = measure.Figure("a", tuple(measure.Sample(3.0, 3.0) for _ in range(5)))
    fast = measure.Figure("b", tuple(measure.Sample(1.0, 1.0) for _ in range(5)))
    ratio = run.Ratio("fresh", slow, fast, None, "cpu", unjudged="reported")
    assert ratio.value == pytest.approx(3.0)
    assert ratio.passed and ratio.verdict == "reported"


def test_the_first_request_targets_are_all_one(bench: Any) -> None:
    _, run, _ = bench
    assert dict(run.FIRST_TARGETS) == {
        "Clients page": 1.0,
        "client view": 1.0,
        "JSON endpoint": 1.0,
    }
    assert run.FIRST_SHAPES == ("main", "second", "third")


def test_sides_that_start_cold_skip_the_warm_up(bench: Any) -> None:
    _, _, measure = bench
    calls: list[str] = []

    def side(label: str) -> Any:
        def one() -> Any:
            calls.append(label)
            return measure.Sample(1.0, 1.0)

        return one

    figures = measure.alternate([("a", side("a")), ("b", side("b"))], 5, warm_up=False)
    assert len(calls) == 10
    assert [len(figure.samples) for figure in figures.values()] == [5, 5]


def test_the_plugin_s_own_stage_may_reach_its_limit(bench: Any) -> None:
    _, run, _ = bench
    at_limit = run.Check("stage", 3.0, run.PLUGIN_SHARE, "%", strict=False, shown=".1f")
    assert at_limit.passed and at_limit.bound == "≤ 3.0 %"
    over = run.Check("stage", 3.1, run.PLUGIN_SHARE, "%", strict=False, shown=".1f")
    assert not over.passed and over.written == "3.1 %"
    assert run.REPORT_TARGET == 1.0
