"""One page, one version of the books, while Fava reloads the ledger.

Fava reloads a changed ledger in the thread of the request that notices it, and
replaces the ledger's entries while other requests draw their pages. The page
read the ledger several times (the table, then the forecast below it), and could
show one version in one section and the next in another. Now each request pins
one version at its start (fava_extension/snapshot.py).

Here a writer rewrites the ledger again and again, between two versions that
differ in one client's monthly fee only (1111.00 or 2222.00 EUR), while threads
ask for the page and the JSON: each answer holds the figures of one version.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import weakref
from pathlib import Path
from typing import Any

from fava.application import create_app

from beancount_freelance.fava_extension.snapshot import Books, books_of

PAGE = "/two-versions/extension/FreelanceClients/"
VERSIONS = ("1111.00", "2222.00")


def _ledger(fee: str) -> str:
    lines = [
        'option "title" "Two versions"',
        'option "operating_currency" "EUR"',
        'plugin "beancount_freelance.plugin"',
        '2020-01-01 custom "fava-extension" "beancount_freelance.fava_extension"',
        "2020-01-01 open Assets:Bank",
        "2020-01-01 open Income:Clients:Marker",
        "2020-01-01 open Income:Clients:Steady",
    ]
    for month in range(1, 13):
        for client, amount in (("Marker", fee), ("Steady", "500.00")):
            lines += [
                f'2020-{month:02d}-10 * "{client}" "Fee"',
                f"  Assets:Bank  {amount} EUR",
                f"  Income:Clients:{client}",
            ]
    return "\n".join(lines) + "\n"


def _write(path: Path, fee: str, stamp: int) -> None:
    # Whole files only (as an editor saves), each newer than the last.
    staged = path.with_suffix(".tmp")
    staged.write_text(_ledger(fee), encoding="utf-8")
    os.utime(staged, ns=(stamp, stamp))
    os.replace(staged, path)


def _versions_in(text: str) -> set[str]:
    return {fee for fee in VERSIONS if fee in text}


def test_every_answer_comes_from_one_version(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    stamp = time.time_ns()
    _write(path, VERSIONS[0], stamp)
    app = create_app([str(path)], load=True, poll_watcher=True)
    app.config["TESTING"] = True
    stop = threading.Event()
    answers: list[tuple[str, str]] = []
    failures: list[BaseException] = []

    def rewrite() -> None:
        flips = 0
        while not stop.is_set():
            flips += 1
            _write(path, VERSIONS[flips % 2], stamp + flips * 1_000_000_000)
            time.sleep(0.02)

    def ask(worker: int) -> None:
        client = app.test_client()
        try:
            for n in range(12):
                # A new query string each time: no page is served from the cache.
                page = client.get(PAGE, query_string={"n": f"{worker}-{n}"})
                answers.append(("page", page.get_data(as_text=True)))
                report = client.get(PAGE + "report", query_string={"n": n})
                answers.append(("report", report.get_data(as_text=True)))
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    writer = threading.Thread(target=rewrite)
    readers = [threading.Thread(target=ask, args=(n,)) for n in range(3)]
    writer.start()
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    stop.set()
    writer.join()
    assert failures == []
    assert len(answers) == 72
    mixed = [kind for kind, text in answers if len(_versions_in(text)) != 1]
    assert mixed == []
    # Both versions were served: the ledger did change under the requests.
    seen = {fee for _, text in answers for fee in _versions_in(text)}
    assert seen == set(VERSIONS)


def test_the_books_of_a_load_stay_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "main.beancount"
    _write(path, VERSIONS[0], time.time_ns())
    app = create_app([str(path)], load=True, poll_watcher=True)
    ledger: Any = app.config["LEDGERS"]["two-versions"]
    first: Books = books_of(ledger)
    _write(path, VERSIONS[1], time.time_ns() + 10**9)
    assert ledger.changed()  # Fava reloads: new entries, new options
    assert first.all_entries is not ledger.all_entries
    fees = {
        str(posting.units.number)
        for entry in first.get_filtered(account="Income:Clients:Marker").entries
        for posting in getattr(entry, "postings", ())
        if posting.account == "Assets:Bank"
    }
    assert fees == {VERSIONS[0]}


def test_no_version_of_the_books_outlives_the_next_load(tmp_path: Path) -> None:
    """After a reload and a page of the new version, nothing of the page keeps
    the previous version alive: not its filtered views, its analysis, nor its
    outlook (docs/performance.md: a kept version is walked by every full
    collection of the collector, and grows Fava's memory at each save)."""
    path = tmp_path / "main.beancount"
    _write(path, VERSIONS[0], 1_600_000_000_000_000_000)
    app = create_app([str(path)], load=True)
    app.config["TESTING"] = True
    client = app.test_client()
    ledger = app.config["LEDGERS"].ledgers[0]
    extension = ledger.extensions.get_extension("FreelanceClients")
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE + "?time=2020").status_code == 200
    # The books of the first load, as the extension took them after it.
    first = weakref.ref(extension._books)
    ledger.load_file()
    assert client.get(PAGE).status_code == 200
    gc.collect()
    assert first() is None
