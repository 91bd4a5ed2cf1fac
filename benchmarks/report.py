"""The machine a benchmark ran on, and the Markdown that benchmarks/run.py writes.

run.py rewrites only the part of docs/performance.md between the two markers
below, so the hand-written explanations around it survive a new run.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

BEGIN = "<!-- BEGIN benchmarks/run.py output: generated, do not edit -->"
END = "<!-- END benchmarks/run.py output -->"
RUNS = 15  # runs per side of `make bench`
ROOT = Path(__file__).resolve().parent.parent


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit


def _load(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def machine(
    started: datetime.datetime, load_at_start: tuple[float, float, float]
) -> dict[str, str]:
    """What a reader needs to compare these figures with her own."""
    return {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{_cpu_model()}, {os.cpu_count()} cores",
        "memory": _memory(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": ", ".join(
            f"{name} {_version(name)}"
            for name in ("beancount", "fava", "beangulp", "beancount-freelance")
        ),
        "commit": _commit(),
        "load average at start (1, 5, 15 min)": _load(load_at_start),
        "load average at end": _load(os.getloadavg()),
    }


def _section(args: argparse.Namespace, results: Any, about: dict[str, str]) -> str:
    command = "make bench" if not _custom(args) else _command(args)
    lines = [
        BEGIN,
        "",
        f"Measured with `{command}` ({args.runs} runs per side, alternating; "
        f"time ratios on {args.metric} time, the median of the rounds' ratios; "
        "memory on peak RSS, the ratio of the medians).",
        "",
        "| machine | |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in about.items()),
        "",
        f"Ledgers: `benchmarks/generate.py --transactions N --clients {args.clients} "
        f"--years {args.years} --seed {args.seed} --fava` with N = "
        f"{args.transactions:,} and {2 * args.transactions:,}.",
        *_first_shapes(args),
        "",
        "| ratio | value | of the medians | fastest runs | wall-time ratio "
        "| target | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for ratio in results.ratios:
        wall = "" if ratio.measure == "rss_kib" else f"{ratio.of('wall'):.3f}"
        verdict = "**FAIL**" if not ratio.passed else ratio.verdict
        target = "" if ratio.target is None else f"≤ {ratio.target}"
        lines.append(
            f"| {ratio.name} | {ratio.value:.3f} "
            f"| {ratio.of_medians(ratio.measure):.3f} | {ratio.fastest:.3f} "
            f"| {wall} | {target} | {verdict} |"
        )
    lines += [
        "",
        "| measured | median wall | median CPU | peak memory | wall range |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for figure in results.figures:
        memory = f"{figure.rss_kib / 1024:.0f} MiB" if figure.rss_kib else ""
        lines.append(
            f"| {figure.label} | {figure.wall:.3f} s | {figure.cpu:.3f} s "
            f"| {memory} | {figure.spread} |"
        )
    checks = getattr(results, "checks", [])
    if checks:
        lines += ["", "| checked | value | limit | |", "| --- | ---: | ---: | --- |"]
        for check in checks:
            verdict = "**FAIL**" if not check.passed else check.verdict
            lines.append(
                f"| {check.name} | {check.written} | {check.bound} | {verdict} |"
            )
    lines.append("")
    lines += [f"- {note}" for note in results.notes]
    lines += [f"- skipped: {skipped}" for skipped in results.skipped]
    for table in results.tables:
        lines += ["", *table]
    lines += ["", END]
    return "\n".join(lines)


def _first_shapes(args: argparse.Namespace) -> list[str]:
    if "first" not in args.only.split(","):
        return []
    second = "{} transactions, {} clients, {} years, seed {}".format(*args.second)
    third = "{} transactions, {} clients, {} years, seed {}".format(*args.third)
    return [
        "",
        f"The first requests also run on the second shape ({second}) and the "
        f"third ({third}, {100 * args.unpaid:.0f} % of the invoices never paid: "
        "benchmarks/shapes.py).",
    ]


def _custom(args: argparse.Namespace) -> bool:
    return bool(
        args.runs != RUNS
        or args.quick
        or args.transactions != 50_000
        or (args.clients, args.years, args.seed) != (150, 10, 0)
        or args.metric != "cpu"
        or args.only != "cli,fava,first,growth,import"
    )


def _command(args: argparse.Namespace) -> str:
    return (
        f".venv/bin/python benchmarks/run.py --runs {args.runs} "
        f"--transactions {args.transactions} --clients {args.clients} "
        f"--years {args.years} --seed {args.seed} --metric {args.metric} "
        f"--only {args.only}"
        + (_shapes(args) if "first" in args.only.split(",") else "")
    )


def _shapes(args: argparse.Namespace) -> str:
    """The options of the first-request shapes, when that step ran."""
    second = " ".join(str(value) for value in args.second)
    third = " ".join(str(value) for value in args.third)
    hours = " --hours" if args.hours else ""
    return (
        f" --second {second} --third {third} --unpaid {args.unpaid}{hours} "
        f"--first-runs {args.first_runs} --fresh-runs {args.fresh_runs}"
    )


def write_markdown(
    path: Path,
    args: argparse.Namespace,
    results: Any,
    about: dict[str, str],
    argv: list[str],
) -> None:
    """Replace the generated section of `path`, or write a new page around it."""
    section = _section(args, results, about)
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            before, rest = text.split(BEGIN, 1)
            after = rest.split(END, 1)[1]
            path.write_text(before + section + after, encoding="utf-8")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Performance\n\nReproduce with `make bench` "
        f"(this run: `benchmarks/run.py {' '.join(argv)}`).\n\n{section}\n",
        encoding="utf-8",
    )
