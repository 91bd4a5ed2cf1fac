"""Where the first Clients-page request after a reload spends its time.

    .venv/bin/python benchmarks/profile_first.py LEDGER [--view PATH] [--top 30]

As the first-request benchmark measures it: a Fava app on the ledger, every
view asked once (templates compiled), then `FavaLedger.load_file()` (the
reload, untimed) and the view's request followed by a `gc.collect()`. Prints:

1. that span unprofiled, in CPU time, with every collection the garbage
   collector made in it (generation, CPU time, objects freed), the objects it
   tracks before and after, and the page's size;
2. after another reload, the request under cProfile, the collector paused
   (a collection is counted in whichever function allocated when it fell):
   the package's parts
   (the analysis, its scan, the streams, the receivables, the document, the
   page's model, the rendering) by cumulative time, and the top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

PAGE = "extension/FreelanceClients/"
#: The parts of a first request, by the function that does each.
PARTS = (
    ("fava/application.py", "extension_report", "the whole request (Fava)"),
    ("core/report.py", "analyse_report", "the analysis"),
    ("core/question.py", "ask", "  the question and its scan"),
    ("revenue/streams.py", "analyse", "  the revenue streams"),
    ("receivables/analysis.py", "analyse_receivables", "  the receivables"),
    ("core/report.py", "document", "the JSON document"),
    ("fava_extension/view.py", "build_page", "the page's model"),
    ("fava_extension/outlook.py", "build_outlook", "the outlook"),
    ("jinja2/environment.py", "render", "rendering (Jinja, all templates)"),
)


class Collections:
    """Every collection of the garbage collector while it listens."""

    def __init__(self) -> None:
        self.found: list[tuple[int, float, int]] = []  # generation, CPU, freed
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            seconds = time.process_time() - self._start
            self.found.append((info["generation"], seconds, info["collected"]))

    def __enter__(self) -> Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> str:
        lines = []
        for generation in (0, 1, 2):
            runs = [item for item in self.found if item[0] == generation]
            seconds = sum(item[1] for item in runs)
            freed = sum(item[2] for item in runs)
            lines.append(
                f"    generation {generation}: {len(runs):4d} collections, "
                f"{seconds:.3f} s CPU, {freed:,} objects freed"
            )
        return "\n".join(lines)


def span(get: Callable[[], int]) -> tuple[float, int, int]:
    """The view's request and a gc.collect(): CPU seconds, bytes, garbage."""
    start = time.process_time()
    size = get()
    garbage = gc.collect()
    return time.process_time() - start, size, garbage


def part_times(stats: pstats.Stats) -> list[str]:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    lines = []
    for suffix, function, label in PARTS:
        found = [
            (calls, cumulative)
            for (path, _, name), (_, calls, _, cumulative, _) in raw.items()
            if name == function and path.endswith(suffix)
        ]
        if found:
            calls = sum(c for c, _ in found)
            cumulative = max(t for _, t in found)
            lines.append(f"    {label:<36} {cumulative:7.3f} s  ({calls} calls)")
    return lines


def sections(html: str) -> list[tuple[str, int]]:
    """The page cut at each `<section`: its opening tag and heading, its size."""
    parts = html.split("<section")
    found = [("(before the first section)", len(parts[0].encode()))]
    for part in parts[1:]:
        heading = part.split("</h2>", 1)[0].split("<h2", 1)[-1]
        title = " ".join(heading.split(">", 1)[-1].split())[:50]
        found.append((title or part[:50], len(("<section" + part).encode())))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--view", default=PAGE, help="the path under the slug")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)

    from fava.application import create_app

    app = create_app([str(args.ledger.resolve())], load=True)
    app.config["TESTING"] = True
    slug = app.config["LEDGERS"].first_slug()
    ledger = app.config["LEDGERS"].ledgers[0]
    client = app.test_client()

    def get() -> int:
        response = client.get(f"/{slug}/{args.view}")
        assert response.status_code == 200, response.status_code
        return len(response.data)

    for path in (args.view, "income_statement/", "api/income_statement"):
        client.get(f"/{slug}/{path}")  # templates compiled, modules imported
    gc.collect()

    ledger.load_file()
    tracked = len(gc.get_objects())
    with Collections() as collections:
        seconds, size, garbage = span(get)
    print(f"{args.view} on {args.ledger.name}, first request after a reload:")
    print(f"  CPU {seconds:.3f} s (the request and the gc.collect() after it)")
    print(f"  page {size:,} bytes; {garbage:,} objects freed by the collect()")
    print(f"  objects tracked: {tracked:,} before, {len(gc.get_objects()):,} after")
    print(collections.summary())

    ledger.load_file()
    gc.disable()  # the request alone, then what its collections cost
    start = time.process_time()
    html = client.get(f"/{slug}/{args.view}").data.decode()
    request = time.process_time() - start
    kept = len(gc.get_objects())
    gc.enable()
    with Collections() as collections:
        collect = span(lambda: 0)[0]
    print(f"\n  the same request with the collector paused: CPU {request:.3f} s")
    print(f"  then the gc.collect(): CPU {collect:.3f} s; objects tracked {kept:,}")
    print("  the page's parts (bytes of HTML from each <section> on):")
    for part in sections(html):
        print(f"    {part[1]:9,d}  {part[0]}")

    # A collection is counted in whatever function allocated when it fell:
    # the profile pauses the collector, so that the parts are their own.
    ledger.load_file()
    profile = cProfile.Profile()
    gc.disable()
    profile.enable()
    get()
    profile.disable()
    gc.enable()
    stats = pstats.Stats(profile)
    print("\nUnder cProfile, the collector paused (times inflated by the profiler;")
    print("read proportions):")
    print("\n".join(part_times(stats)))
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
