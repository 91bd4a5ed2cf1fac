"""Where the plugin's time goes: phases, garbage collection, and a profile.

    .venv/bin/python benchmarks/profile_plugin.py LEDGER_WITHOUT_PLUGIN_LINE [--runs 7]

Loads the ledger once (without its plugin line, so the entries are what the
plugin receives), then times, in CPU milliseconds, medians of `--runs`:

- the plugin's function, `attribute_clients`, with the garbage collector on and
  off (the difference is what its allocations cost in collections of the whole
  ledger's heap);
- the phases it shares with the analysis: reading the ledger (the book and
  the kinds of postings), that and attributing, checking the lifecycle;

and prints a pyinstrument profile of one run when pyinstrument is installed
(`.venv/bin/pip install pyinstrument`; it is not a dependency of the package).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")


def cpu_ms(
    run: Callable[[], Any], runs: int, restore: Callable[[], None] = lambda: None
) -> float:
    samples = []
    for _ in range(runs):
        restore()
        start = time.process_time()
        run()
        samples.append(time.process_time() - start)
    return 1000 * statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    from beancount import loader
    from worker import pristine_entries

    from beancount_freelance import plugin
    from beancount_freelance.core.ledger import lifecycle_checks, reading
    from beancount_freelance.core.ledger.config import Config

    start = time.process_time()
    entries, errors, options = loader.load_file(args.ledger)
    print(
        f"load: {time.process_time() - start:.2f} s CPU, {len(entries)} entries, "
        f"{len(errors)} errors"
    )
    if any(name == plugin.__name__ for name, _ in options.get("plugin", ())):
        print("warning: this ledger runs the plugin at load; metadata is already there")

    # As the loader runs it: the plugin named in the options, after Beancount's own.
    options = {
        **options,
        "plugin": [*options.get("plugin", ()), (plugin.__name__, None)],
    }
    # The plugin writes metadata in place (into dicts no other entry holds):
    # each run starts from a fresh copy of the loaded state.
    fresh = pristine_entries(entries)
    current = [entries]

    def restore() -> None:
        current[0] = fresh()

    def whole() -> None:
        plugin.attribute_clients(current[0], options)

    print(f"attribute_clients, gc on:  {cpu_ms(whole, args.runs, restore):7.1f} ms")
    gc.disable()
    print(f"attribute_clients, gc off: {cpu_ms(whole, args.runs, restore):7.1f} ms")
    gc.enable()

    config = Config()
    read = reading.read_ledger(entries, config)
    attributed = [item for items in read.attributed() for item in items]
    phases: dict[str, Callable[[], Any]] = {
        "read_ledger": lambda: reading.read_ledger(entries, config),
        "attribute": lambda: [
            item
            for items in reading.read_ledger(entries, config).attributed()
            for item in items
        ],
        "lifecycle_errors": lambda: lifecycle_checks.lifecycle_errors(
            read.book, attributed
        ),
    }
    for name, run in phases.items():
        print(f"  {name:<22} {cpu_ms(run, args.runs):7.1f} ms")
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("(pyinstrument is not installed: no profile)")
        return 0
    restore()
    profiler = Profiler(interval=0.0005)
    profiler.start()
    whole()
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
