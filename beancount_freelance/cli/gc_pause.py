"""Python's garbage collector paused while bean-clients loads and analyses.

The loader and the analysis make next to no reference cycles, but they
allocate many objects at once: each burst triggers collections that walk the
whole loaded ledger (half a million objects on 50,000 transactions) to free
nothing. bean-clients owns its process: it pauses the collector for the load
and the analysis, and freezes the loaded ledger out of its walks.

The plugin and the Fava page leave the collector alone: they run inside
another program's process (bean-check, Fava), where a pause only moves the
collections to whatever runs next (measured: bean-check makes its 8 full
collections on 50,000 transactions with the plugin paused or not).
"""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was (also on an exception)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
