"""Attribution speed: how fast the message cache builds, and how fast a query is at 100,000 and 1,000,000 vectors.

    python bench/attribute.py [RUN] [--sizes 100000,1000000] [--queries 50]

Part 1 builds the real cache of a run (default runs/demo, made by `make demo`) from scratch with the
run's model and reports messages/s. Part 2 writes synthetic clustered unit vectors (576-wide, like
SmolLM2's) into a cache folder in chunks, then times queries: exact search over the memory map (the
baseline, run in the same process) and the usearch HNSW index the stage uses above 5,000 rows,
with recall@10 against exact. Last line:
    attribute: build M msg/s, query p50 Q ms at 1M vectors (peak memory P MB)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def build_rate(run_dir: Path) -> float | None:
    from simulacra.engine import Persona
    from simulacra.engine.attribution import build_cache
    from simulacra.rundir import RunDir

    run = RunDir(run_dir)
    if not run.weights.is_dir():
        print(f"{run_dir}: no trained run; skipping the build rate (run `make demo` first)")
        return None
    shutil.rmtree(run.cache / "attribute-L-4", ignore_errors=True)
    persona = Persona(run)
    started = time.time()
    _, added = build_cache(persona, -4)
    rate = added / (time.time() - started)
    print(f"cache build: {added} messages in {time.time() - started:.1f} s = {rate:.1f} msg/s")
    return rate


def synthetic_cache(folder: Path, n: int, dim: int = 576, seed: int = 0):
    """Clustered unit vectors (real activations cluster), appended in chunks so memory stays flat."""
    from simulacra.engine.attribution import VectorCache

    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((1000, dim)).astype(np.float32)
    cache = VectorCache(folder)
    cache.reset({"synthetic": n})
    for start in range(0, n, 50_000):
        m = min(50_000, n - start)
        x = centers[rng.integers(0, 1000, m)] + 0.5 * rng.standard_normal((m, dim)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        cache.append([{"hash": str(start + i)} for i in range(m)], x)
    queries = centers[rng.integers(0, 1000, 200)] + 0.5 * rng.standard_normal((200, dim)).astype(np.float32)
    return cache, queries / np.linalg.norm(queries, axis=1, keepdims=True)


def query_latency(n: int, queries: int, workdir: Path) -> dict:
    from simulacra.engine.attribution import ann_index, nearest

    cache, qs = synthetic_cache(workdir / f"c{n}", n)
    matrix = cache.matrix(576)
    exact_ms, truth = [], []
    for q in qs[:queries]:
        t = time.perf_counter()
        truth.append({r for r, _ in nearest(matrix, q, 10)})
        exact_ms.append(1000 * (time.perf_counter() - t))
    t = time.time()
    index = ann_index(cache, matrix)
    build_s = time.time() - t
    ann_ms, recall = [], []
    for q, real in zip(qs[:queries], truth):
        t = time.perf_counter()
        found = index.search(q, 10)
        ann_ms.append(1000 * (time.perf_counter() - t))
        recall.append(len(set(found.keys.tolist()) & real) / 10)
    out = {"n": n, "exact_p50_ms": float(np.median(exact_ms)), "hnsw_p50_ms": float(np.median(ann_ms)),
           "recall_at_10": float(np.mean(recall)), "index_build_s": build_s}
    print(f"{n:>9,} vectors: exact p50 {out['exact_p50_ms']:.1f} ms · HNSW p50 {out['hnsw_p50_ms']:.2f} ms "
          f"(recall@10 {out['recall_at_10']:.3f}, index built in {build_s:.0f} s) · "
          f"speedup {out['exact_p50_ms'] / out['hnsw_p50_ms']:.0f}x")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("run", nargs="?", default="runs/demo", type=Path)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    rate = build_rate(args.run)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in map(int, args.sizes.split(",")):
            results.append(query_latency(n, args.queries, Path(tmp)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    last = results[-1]
    label = f"{last['n'] / 1e6:g}M" if last["n"] >= 1e6 else f"{last['n']:,}"
    print(f"attribute: build {rate or 0:.0f} msg/s, query p50 {last['hnsw_p50_ms']:.1f} ms at {label} vectors "
          f"(peak memory {peak:.0f} MB)")


if __name__ == "__main__":
    main()
