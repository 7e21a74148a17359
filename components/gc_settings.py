"""Python's cyclic garbage collector, set for a long-running server process.

A full (generation 2) collection walks every object the process holds, and while it runs no
session's thread runs. With Streamlit, Altair, polars, DuckDB and the screens' modules loaded,
one took 100–190 ms on the 2-core machine (benchmarks.screens on the national store, pauses
timed with gc.callbacks): every few clicks one of them waited for it. What a server has loaded
once it is warm (the modules, their classes and constants) lives as long as the process, so it
is frozen (gc.freeze): the collector stops walking it, and a full collection walks only what
the sessions made since. Objects made later are collected as before.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Call once the process has loaded what it serves with (serve.py's warm-up does)."""
    gc.collect()  # what the start left behind is freed, not frozen
    gc.freeze()
