"""Python's garbage collector paused while the package does its own work.

The plugin, the analysis and the page's rendering make no reference cycles that
matter, but they allocate many objects at once: each burst triggers collections
that walk the whole loaded ledger (half a million objects on 50,000
transactions) to free nothing. The collector is paused for the burst and left as
it was found; what the burst leaves behind is collected by the next pass as
usual.
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
