"""A measuring process for benchmarks/run.py: load a ledger once, then time.

    python benchmarks/worker.py plugin|analyse|fava LEDGER

It loads the ledger, prints one line `ready {...}`, then answers every line read
on stdin with one JSON line: the wall and CPU seconds of one run of

- `plugin`: the plugin's function, `attribute_clients`, on the loaded entries
  (load the ledger *without* its plugin line, so the entries are as the plugin
  receives them);
- `analyse`: `streams.analyse` on the loaded entries (load excluded), or with
  the request `report`, `report.analyse_report` (streams and receivables), as
  bean-clients runs them (ledger frozen, collector paused);
- `fava`: the GETs that show the page read (`clients`, `income_statement`, or
  any path under the ledger's slug) through Flask's test client; the app loaded
  the ledger once at start. A request `first:<page>` reloads the ledger first,
  untimed, as Fava does when the file changes, then times that page: the first
  view after an edit, every cache of the ledger's previous version gone.

Each answer also gives the CPU seconds of the full collections (generation 2)
that fell in the run, as the stage `full collections`.

`quit` (or the end of stdin) ends it. run.py alternates the requests it sends to
its workers, so that both sides of a comparison share the machine's state.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("BEANCOUNT_DISABLE_LOAD_CACHE", "1")

# What a browser asks for to show each page. Fava renders its Income Statement
# in the browser: an empty page, then the report's data from its JSON API. The
# Clients page comes rendered from the server in one request.
PAGES = {
    "clients": ("extension/FreelanceClients/",),
    "income_statement": ("income_statement/", "api/income_statement"),
}


class FullCollections:
    """The seconds Python's collector spends in full collections (generation 2).

    After a reload, the new ledger's objects make a full collection due: it
    falls in whichever request next keeps enough new objects alive, and walks
    the whole heap. Shown beside the first-request figures, which include it.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self._start: float | None = None
        gc.callbacks.append(self._observe)

    def _observe(self, phase: str, info: dict[str, Any]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._start = time.process_time()
        elif self._start is not None:
            self.seconds += time.process_time() - self._start
            self._start = None


FULL_COLLECTIONS = FullCollections()


def timed(run: Callable[[], Any]) -> dict[str, Any]:
    before = FULL_COLLECTIONS.seconds
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "result": result,
        "stages": {"full collections": FULL_COLLECTIONS.seconds - before},
    }


def pristine_entries(entries: list[Any]) -> Callable[[], list[Any]]:
    """A function that gives a fresh copy of the entries, as loaded.

    The plugin writes `client:` into metadata dicts that only their posting or
    transaction holds, and copies the others; a second run on the same entries
    would take another path (`client:` already there). A copy made from a
    pickle, untimed, makes every run the first one, with nothing else holding
    the dicts (a list of them kept for restoring would make the plugin copy
    every one).
    """
    import pickle

    blob = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
    return lambda: list(pickle.loads(blob))


def plugin_runner(path: str) -> tuple[Callable[[], Any], dict[str, Any]]:
    from beancount import loader

    from beancount_freelance.plugin import attribute_clients

    entries, errors, options = loader.load_file(path)
    fresh = pristine_entries(entries)
    current = [fresh()]

    def run() -> int:
        _, found = attribute_clients(current[0], options)
        return len(found)

    def timed_run() -> dict[str, Any]:
        try:
            return timed(run)
        finally:
            current[0] = fresh()

    return timed_run, {"entries": len(entries), "load_errors": len(errors)}


def analyse_runner(path: str) -> tuple[Callable[[str], Any], dict[str, Any]]:
    """`streams`: streams.analyse; `report`: report.analyse_report (streams and
    receivables, what `bean-clients report` and the Fava page run).

    As bean-clients runs it: the loaded ledger frozen out of the garbage
    collector's walks, the collector paused during the analysis. Otherwise the
    collections of the whole heap that happen to fall in a run (0.2–1 s, and
    twice as long on a ledger twice as big) decide the figure, not the analysis.
    """
    from beancount import loader

    from beancount_freelance.cli import gc_pause
    from beancount_freelance.core.question import ask
    from beancount_freelance.core.report import analyse_report
    from beancount_freelance.core.revenue import streams

    entries, errors, options = loader.load_file(path)
    gc.freeze()

    def run(request: str) -> int:
        with gc_pause.paused():
            if request == "report":
                return len(analyse_report(entries, options).portfolio.clients)
            return len(streams.analyse(ask(entries, options)).clients)

    return run, {"entries": len(entries), "load_errors": len(errors)}


def fava_runner(path: str) -> tuple[Callable[[str], Any], dict[str, Any]]:
    from fava.application import create_app

    app = create_app([os.path.abspath(path)], load=True)
    app.config["TESTING"] = True
    slug = app.config["LEDGERS"].first_slug()
    client = app.test_client()
    ledger = app.config["LEDGERS"].ledgers[0]

    def run(page: str) -> dict[str, Any]:
        status, size = 200, 0
        for path in PAGES.get(page, (page,)):
            response = client.get(f"/{slug}/{path}")
            size += len(response.data)
            if response.status_code != 200:
                status = response.status_code
        return {"status": status, "bytes": size}

    def reload() -> None:
        ledger.load_file()

    info = {
        "reload": reload,
        "client": _first_client(ledger.all_entries),
        "slug": slug,
        "entries": len(ledger.all_entries),
        "load_errors": len(ledger.errors),
        "extensions": [ext.name for ext in ledger.extensions.extension_details],
    }
    return run, info


def _first_client(entries: Any) -> str | None:
    for entry in entries:
        if getattr(entry, "type", None) == "client" and entry.values:
            return str(entry.values[0].value)
    return None


def main(argv: list[str]) -> int:
    mode, path = argv
    reload: Callable[[], None] = lambda: None  # noqa: E731
    if mode == "fava":
        page_run, info = fava_runner(path)
        reload = info.pop("reload")
    elif mode == "analyse":
        page_run, info = analyse_runner(path)
    else:
        plain_run, info = plugin_runner(path)
    print("ready " + json.dumps(info), flush=True)
    for line in sys.stdin:
        request = line.strip()
        if request == "quit":
            break
        if mode == "plugin":
            answer = plain_run()
        elif request.startswith("first:"):
            request = request.removeprefix("first:")
            reload()
            answer = timed(functools.partial(page_run, request))
        else:
            answer = timed(functools.partial(page_run, request))
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
