"""A measuring process for benchmarks/run.py: load a ledger once, then time.

    python benchmarks/worker.py plugin|analyse|fava|fresh LEDGER

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
  the ledger once at start, then asked for every view once (its templates
  compiled: a Fava already running). A request `first:<view>` reloads the
  ledger first (`FavaLedger.load_file()`, untimed, as Fava does when the file
  changes), then times, in one span, the view's requests and a
  `gc.collect()` after them (`timed_view`): the first view after an edit,
  every cache of the ledger's previous version gone, its garbage paid for;
- `fresh`: the same app, nothing asked yet; a request `fresh:<view>` times
  that view as `first:` does, without a reload: the first view of a Fava
  process just started (one request per process).

Each answer also gives the CPU seconds of the full collections (generation 2)
that fell in the run, as the stage `full collections`, and for a view, the
collection after its requests (`collection after`) and the size of its first
response (`page bytes`).

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
from collections.abc import Callable, Sequence
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


def timed_view(
    get: Callable[[str], tuple[int, int]],
    paths: Sequence[str],
    *,
    collect: Callable[[], int] = gc.collect,
    clock: Callable[[], float] = time.process_time,
) -> dict[str, Any]:
    """The first view after a reload: its requests and a collection, one span.

    `get` answers a path with its status and its size in bytes. The span, in
    CPU time (`clock`), holds every request of the view and then a full
    collection (`collect`), so that no side leaves its garbage to the next
    request of the benchmark: what a request makes, it pays for. The stages
    say what part of the span each collection took: the full collections
    that fell in the requests, and the one after them.
    """
    before = FULL_COLLECTIONS.seconds
    wall, cpu = time.perf_counter(), clock()
    answers = [get(path) for path in paths]
    in_requests = FULL_COLLECTIONS.seconds - before
    collecting = clock()
    garbage = collect()
    end = clock()
    failed = [status for status, _ in answers if status != 200]
    return {
        "wall": time.perf_counter() - wall,
        "cpu": end - cpu,
        "result": {
            "status": failed[0] if failed else 200,
            "bytes": [size for _, size in answers],
            "garbage": garbage,
        },
        "stages": {
            "full collections": in_requests,
            "collection after": end - collecting,
            "page bytes": float(answers[0][1]) if answers else 0.0,
        },
    }


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
    # As the loader runs it: the plugin named in the options (the ledger read
    # may be the one without its plugin line).
    named = [name for name, _ in options.get("plugin", ())]
    if attribute_clients.__module__ not in named:
        options = {
            **options,
            "plugin": [
                *options.get("plugin", ()),
                (attribute_clients.__module__, None),
            ],
        }

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


def fava_runner(
    path: str, *, warm: bool = True
) -> tuple[Callable[[str], Any], dict[str, Any]]:
    """A Fava app on the ledger; `warm`: its templates compiled, every view once
    (the Clients page, a client's view, the JSON endpoint, the Income Statement).

    A request `first:<view>` (see main) reloads the ledger and times the view
    with `timed_view`; `top_client` is the client with the most revenue, read
    from the JSON endpoint as a reader would.
    """
    from fava.application import create_app

    app = create_app([os.path.abspath(path)], load=True)
    app.config["TESTING"] = True
    slug = app.config["LEDGERS"].first_slug()
    client = app.test_client()
    ledger = app.config["LEDGERS"].ledgers[0]

    def get(page: str) -> tuple[int, int]:
        response = client.get(f"/{slug}/{page}")
        return response.status_code, len(response.data)

    def run(page: str) -> dict[str, Any]:
        status, size = 200, 0
        for path in PAGES.get(page, (page,)):
            code, length = get(path)
            size += length
            if code != 200:
                status = code
        return {"status": status, "bytes": size}

    def first(view: str) -> dict[str, Any]:
        return timed_view(get, PAGES.get(view, (view,)))

    info: dict[str, Any] = {
        "first": first,
        "reload": ledger.load_file,
        "client": _first_client(ledger.all_entries),
        "slug": slug,
        "entries": len(ledger.all_entries),
        "load_errors": len(ledger.errors),
        "extensions": [ext.name for ext in ledger.extensions.extension_details],
    }
    if warm and "FreelanceClients" in info["extensions"]:
        # Templates compiled, every module imported: a Fava already running.
        for page in (*PAGES, REPORT):
            run(page)
        response = client.get(f"/{slug}/{REPORT}")
        info["top_client"] = top_client(json.loads(response.data))
        del response
        if info["top_client"] is not None:
            # A client's view uses templates of its own: compiled too.
            run(f"{PAGES['clients'][0]}?client={info['top_client']}")
        gc.collect()
    return run, info


REPORT = "extension/FreelanceClients/report"


def top_client(document: dict[str, Any]) -> str | None:
    """The id of the client with the most revenue in a report document.

    Ties go to the first id in alphabetical order, so that the choice does not
    depend on the document's order.
    """
    from decimal import Decimal

    clients = document.get("clients") or []
    if not clients:
        return None
    best = min(clients, key=lambda c: (-Decimal(c["revenue_total"]), c["id"]))
    return str(best["id"])


def _first_client(entries: Any) -> str | None:
    for entry in entries:
        if getattr(entry, "type", None) == "client" and entry.values:
            return str(entry.values[0].value)
    return None


def main(argv: list[str]) -> int:
    mode, path = argv
    reload: Callable[[], None] = lambda: None  # noqa: E731
    first: Callable[[str], dict[str, Any]] | None = None
    if mode in ("fava", "fresh"):
        # `fresh`: a Fava process that has just started, nothing compiled.
        page_run, info = fava_runner(path, warm=mode == "fava")
        reload = info.pop("reload")
        first = info.pop("first")
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
        elif first is not None and request.startswith("first:"):
            # The first view after an edit: the reload untimed, as Fava's.
            reload()
            answer = first(request.removeprefix("first:"))
        elif first is not None and request.startswith("fresh:"):
            # The first view of a process that loaded the ledger at start.
            answer = first(request.removeprefix("fresh:"))
        else:
            answer = timed(functools.partial(page_run, request))
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
