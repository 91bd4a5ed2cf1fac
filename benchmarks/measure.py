"""How benchmarks/run.py measures: processes, workers, alternation, medians.

- A process side (`bean-check`, `bean-clients`) runs in a fresh subprocess each
  time; `os.wait4` returns that one child's resource usage, so its CPU time and
  peak memory (`ru_maxrss`) are its own, not a cumulative maximum.
- An in-process side (the plugin's function, the analysis, a Fava page) runs in a
  worker process (benchmarks/worker.py) that loaded the ledger once and times one
  run per request.
- The sides of a comparison alternate, their order rotating each round, after
  one unmeasured warm-up run each; figures are medians.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

WORKER = Path(__file__).with_name("worker.py")


@dataclass(frozen=True)
class Sample:
    """One run of one side: seconds of wall and CPU time, peak memory in KiB."""

    wall: float
    cpu: float
    rss_kib: int | None = None
    stages: Mapping[str, float] | None = None  # what the process reported


@dataclass(frozen=True)
class Figure:
    """The runs of one side and their medians."""

    label: str
    samples: tuple[Sample, ...]

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    def fastest(self, measure: str) -> float:
        """The least disturbed run: the minimum of a time, the median of memory."""
        if measure == "rss_kib":
            return float(self.rss_kib or 0)
        return min(float(getattr(s, measure)) for s in self.samples)

    @property
    def rss_kib(self) -> float | None:
        sizes = [s.rss_kib for s in self.samples if s.rss_kib is not None]
        return statistics.median(sizes) if sizes else None

    def stage(self, name: str) -> float | None:
        """The median of a stage the process reported, if every run did."""
        found = [s.stages.get(name) for s in self.samples if s.stages]
        values = [value for value in found if value is not None]
        if not values or len(values) != len(self.samples):
            return None
        return statistics.median(values)

    @property
    def spread(self) -> str:
        walls = [s.wall for s in self.samples]
        return f"{min(walls):.3f}–{max(walls):.3f} s"


class BenchmarkError(Exception):
    """A side failed (non-zero exit, an error in the ledger, an HTTP error)."""


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    return env


def run_process(
    command: Sequence[str],
    stages: Callable[[str], Mapping[str, float]] | None = None,
) -> Sample:
    """Run a command to its end; its own wall time, CPU time and peak memory.

    `stages` reads the command's standard error into named figures.
    """
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=environment(),
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode(errors="replace")[-2000:]
            raise BenchmarkError(
                f"{' '.join(command)} exited with {process.returncode}:\n{message}"
            )
        found = None
        if stages is not None:
            stderr.seek(0)
            found = stages(stderr.read().decode(errors="replace"))
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, found)


class Worker:
    """A worker process: loaded once, then one timed run per call."""

    def __init__(self, mode: str, ledger: Path) -> None:
        self.mode = mode
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), mode, str(ledger)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        ready = self._read()
        if not ready.startswith("ready "):
            raise BenchmarkError(f"worker {mode} {ledger} did not start: {ready!r}")
        self.info = json.loads(ready[len("ready ") :])
        if self.info.get("load_errors"):
            self.close()
            raise BenchmarkError(
                f"{ledger} loads with {self.info['load_errors']} errors ({mode})"
            )

    def _read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def __call__(self, request: str = "run") -> Sample:
        assert self.process.stdin is not None
        self.process.stdin.write(request + "\n")
        self.process.stdin.flush()
        line = self._read()
        if not line:
            raise BenchmarkError(f"worker {self.mode} died on {request!r}")
        answer = json.loads(line)
        result = answer["result"]
        if isinstance(result, dict) and result.get("status") != 200:
            raise BenchmarkError(f"GET {request} answered {result}")
        return Sample(answer["wall"], answer["cpu"], stages=answer.get("stages"))

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def alternate(
    sides: Sequence[tuple[str, Callable[[], Sample]]],
    runs: int,
    progress: Callable[[str], None] = lambda _: None,
    *,
    first: str | None = None,
    warm_up: bool = True,
) -> dict[str, Figure]:
    """Run each side `runs` times, in turns, after one warm-up run of each.

    With `first`, the warm-up runs are kept too, as figures labelled
    `<side> <first>` (a page's first request, before any cache is warm).
    Without `warm_up`, no warm-up run: sides whose every run starts cold
    (a reload, a new process) have nothing to warm.
    """
    samples: dict[str, list[Sample]] = {}
    for label, side in sides if warm_up else ():
        progress(f"warm-up: {label}")
        sample = side()
        if first is not None:
            samples[f"{label} {first}"] = [sample]
    samples.update({label: [] for label, _ in sides})
    for round_ in range(runs):
        shift = round_ % len(sides)
        for label, side in [*sides[shift:], *sides[:shift]]:
            sample = side()
            samples[label].append(sample)
            progress(f"run {round_ + 1}/{runs}: {label}: {sample.wall:.3f} s")
    return {label: Figure(label, tuple(found)) for label, found in samples.items()}
