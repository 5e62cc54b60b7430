"""Building the attribution cache keeps memory flat: 4× the messages costs no more peak memory than 1×.

The model is replaced by wide random vectors (8 KB each), so holding every vector (or every message) at once
would show: 1,500 more messages are 12 MB more vectors, or 0.7 MB more message records. tracemalloc sees numpy's and Python's allocations
exactly, unlike RSS, which the allocator and other threads blur.
"""

from __future__ import annotations

import tracemalloc
from types import SimpleNamespace

import numpy as np

from simulacra.engine import attribution

DIM = 2048  # float32 rows of 8 KB as embed returns them


class _Run:
    def __init__(self, folder):
        self.cache = folder

    def weights_hash(self) -> str:
        return "weights"


def _peak_while_building(tmp_path, monkeypatch, n: int) -> tuple[int, int]:
    """(peak bytes allocated during build_cache over n synthetic messages, rows in the written cache)."""
    messages = ({"hash": f"{i:020d}", "speaker": "Ana", "conversation": "c", "time": None,
                 "text": f"message number {i} " * 8} for i in range(n))
    monkeypatch.setattr(attribution, "training_messages", lambda run: messages)
    rng = np.random.default_rng(0)
    monkeypatch.setattr(attribution, "embed",
                        lambda persona, items, layer, batch_size: rng.standard_normal((len(items), DIM), np.float32))
    persona = SimpleNamespace(run=_Run(tmp_path / f"n{n}"),
                              backend=SimpleNamespace(model=SimpleNamespace(config=SimpleNamespace(hidden_size=DIM))))
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        cache, added = attribution.build_cache(persona, layer=-1, batch_size=16)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert added == n
    return peak, cache.matrix(DIM).shape[0]


def test_peak_memory_does_not_grow_with_the_number_of_messages(tmp_path, monkeypatch):
    small, rows_small = _peak_while_building(tmp_path, monkeypatch, 500)
    large, rows_large = _peak_while_building(tmp_path, monkeypatch, 2000)
    assert (rows_small, rows_large) == (500, 2000)
    assert (tmp_path / "n2000" / "attribute-L-1" / "vectors.f16").stat().st_size == 2000 * DIM * 2
    # One chunk (128 rows, 1 MB as float32) is in memory at a time. Holding every vector would add 12 MB;
    # holding every message (as a list of the missing ones did) added 0.7 MB, about 460 bytes a message.
    assert large - small < 1500 * 100, (small, large)
    assert large < 4 * 128 * DIM * 4, large
