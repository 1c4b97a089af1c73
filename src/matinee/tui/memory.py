"""Keeping the garbage collector out of the way of keys once a big list is loaded.

A library of 100k titles is a few hundred thousand long-lived objects. CPython's full
collection walks all of them, and while a bulk run churns objects it ran about once a second,
each pass 50-170 ms on the main thread: the slowest keys of `benchmarks/tui_bench.py`.
`gc.freeze()` moves what exists now into a permanent generation that collections skip. The
summaries hold no reference cycles, so the ones replaced later are still freed at once by
reference counting.
"""

from __future__ import annotations

import gc

__all__ = ["freeze_loaded"]


def freeze_loaded() -> None:
    """Exclude every object alive now from future collections (call after a big load)."""
    gc.collect()  # what is garbage already should not be frozen
    gc.freeze()
