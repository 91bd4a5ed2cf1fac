"""Python's garbage collector paused while the page answers one request.

A reload of the ledger leaves a full collection of the heap due (the new
ledger's objects); it falls in whichever request next keeps enough objects
alive, and the page's analysis does (docs/performance.md, "The first view
after an edit"). Paused during the request, the collector runs at its next
turn after it, as it would have: the collection is not saved, it is moved
out of the page's answer. Nothing outlives the request: the collector is
running again when the last request that paused it ends, and is left alone
when something else had already switched it off.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["collector_paused"]


class _Pauses:
    """How many requests are running with the collector paused (Fava answers
    requests in threads: the last one to end turns the collector on again)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._ours = False  # the collector was on when the first request paused it

    def enter(self) -> None:
        with self._lock:
            if self._running == 0:
                self._ours = gc.isenabled()
                gc.disable()
            self._running += 1

    def leave(self) -> None:
        with self._lock:
            self._running -= 1
            if self._running == 0 and self._ours:
                self._ours = False
                gc.enable()


_PAUSES = _Pauses()


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off for the block, on again after it (if it was on)."""
    _PAUSES.enter()
    try:
        yield
    finally:
        _PAUSES.leave()
