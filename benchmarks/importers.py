"""The importers on a big CSV: time and peak memory per 100,000 rows.

    .venv/bin/python benchmarks/importers.py [--rows 600000]

Writes a bank statement and an invoice register of `--rows` rows (about 50 MB
each at 600,000 rows, into benchmarks/.cache), then, for each importer, in a
fresh process:

- the stream: every row read and made into its entry, each entry dropped at
  once (what the reading itself holds: `tracemalloc`'s peak, on a second pass);
- the extraction: `extract`, which keeps every entry (beangulp keeps them: its
  design), its time and the process's peak RSS (`resource`).

Times are CPU seconds of the process (`time.process_time`): on a shared
machine, wall time measures the neighbours.

`make bench` runs it as its `import` step (benchmarks/run.py; `--quick`:
100,000 rows).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

CACHE = Path(__file__).resolve().parent / ".cache"
PER = 100_000
_PAYEES = ("VIR SEPA STUDIO HUET YOGA", "VIR SEPA BOULANGERIE ROUX", "CB ADOBE")
_CLIENTS = ("Roux", "Lefevre", "MJC")


def write_samples(rows: int, seed: int = 0) -> dict[str, Path]:
    """The two CSV files of `rows` rows each (kept: written once per size)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    paths = {
        "bank": CACHE / f"bank-{rows}.csv",
        "invoices": CACHE / f"invoices-{rows}.csv",
    }
    if all(path.exists() for path in paths.values()):
        return paths
    pick = random.Random(seed).choice
    with paths["bank"].open("w", encoding="utf-8") as bank:
        bank.write("Date;Counterparty;Reference;Amount;Balance\n")
        for row in range(rows):
            day = f"{row % 28 + 1:02d}/{row % 12 + 1:02d}/{2010 + row % 10}"
            bank.write(
                f"{day};{pick(_PAYEES)};Facture {row:07d} atelier et conseil;"
                f"1 {row % 1000:03d},{row % 100:02d};12 345,67\n"
            )
    with paths["invoices"].open("w", encoding="utf-8") as register:
        register.write("date,invoice,client,amount,currency,due,description\n")
        for row in range(rows):
            day = f"{2010 + row % 10}-{row % 12 + 1:02d}-{row % 28 + 1:02d}"
            register.write(
                f"{day},F{row:08d},{pick(_CLIENTS)},{row % 5000}.50,EUR,,"
                "Community management\n"
            )
    return paths


def _importer(kind: str, ledger: Path) -> Any:
    from beancount_freelance.importers import (
        BankStatementImporter,
        InvoiceRegisterImporter,
    )

    if kind == "bank":
        return BankStatementImporter("Assets:Bank:Checking")
    return InvoiceRegisterImporter(ledger=str(ledger))


def measure(kind: str, path: Path, ledger: Path, rows: int) -> dict[str, float]:
    """In this process: the stream's time and peak, then the extraction's."""
    importer = _importer(kind, ledger)
    books: tuple[()] = ()
    stream = (
        (lambda: importer.stream(str(path)))
        if kind == "bank"
        else (lambda: importer.stream(str(path), books))
    )
    start = time.process_time()
    count = sum(1 for _ in stream())
    stream_seconds = time.process_time() - start
    tracemalloc.start()
    for _ in stream():
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    start = time.process_time()
    entries = importer.extract(str(path), [])
    extract_seconds = time.process_time() - start
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "rows": count,
        "entries": len(entries),
        "stream_s_per_100k": stream_seconds * PER / rows,
        "stream_peak_mib": peak / 2**20,
        "extract_s": extract_seconds,
        "extract_s_per_100k": extract_seconds * PER / rows,
        "extract_rss_mib": rss_kib / 1024,
        "mb": path.stat().st_size / 1e6,
    }


def figures(rows: int) -> dict[str, dict[str, float]]:
    """Each importer measured in a fresh process (its own peak RSS)."""
    paths = write_samples(rows)
    found = {}
    for kind in paths:
        out = subprocess.run(
            [sys.executable, __file__, "--one", kind, "--rows", str(rows)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found[kind] = json.loads(out)
    return found


def table(found: dict[str, dict[str, float]]) -> list[str]:
    """The figures as Markdown rows, one per importer."""
    rows = [
        "| importer (CPU time) | file | stream, per 100k rows | stream peak "
        "(tracemalloc) | extract | extract, per 100k rows | extract peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows += [
        f"| {kind} | {f['mb']:.1f} MB, {f['rows']:,.0f} rows "
        f"| {f['stream_s_per_100k']:.2f} s | {f['stream_peak_mib']:.1f} MiB "
        f"| {f['extract_s']:.1f} s | {f['extract_s_per_100k']:.2f} s "
        f"| {f['extract_rss_mib']:.0f} MiB |"
        for kind, f in found.items()
    ]
    return rows


def step(args: Any, results: Any, paths: Any) -> None:
    """benchmarks/run.py's `import` step: the figures as a table of the report."""
    rows = PER if args.quick else 600_000
    results.tables.append(table(figures(rows)))


def _ledger() -> Path:
    return (
        Path(__file__).resolve().parent.parent / "tests/data/importers/ledger.beancount"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--one", choices=("bank", "invoices"))
    args = parser.parse_args(argv)
    if args.one:
        path = write_samples(args.rows)[args.one]
        print(json.dumps(measure(args.one, path, _ledger(), args.rows)))
        return 0
    for line in table(figures(args.rows)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
