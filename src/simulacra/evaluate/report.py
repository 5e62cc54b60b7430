"""Writing what evaluate found: generations.jsonl (every moment and reply), index.html, and stage timings."""

from __future__ import annotations

import time
from pathlib import Path

import orjson

from simulacra.io import atomic_write

GENERATIONS = "generations.jsonl"


def write_generations(path: Path, moments) -> None:
    with atomic_write(path, "wb") as f:
        for m in moments:
            f.write(orjson.dumps({"speaker": m.speaker, "system": m.system,
                                  "history": [[t.speaker, t.text] for t in m.history],
                                  "real": m.real, "replies": m.replies}) + b"\n")


def read_generations(path: Path):
    from simulacra.evaluate.generate import Moment
    from simulacra.schema import Turn

    moments = []
    for line in Path(path).read_bytes().splitlines():
        if line.strip():
            d = orjson.loads(line)
            moments.append(Moment(-1, -1, d["speaker"], [Turn(s, t) for s, t in d["history"]], d["real"], [],
                                  d["replies"], d.get("system")))
    return moments


def write_html(path: Path, report: dict, rows, base_result, tuned_result, images: dict, moments) -> None:
    from simulacra.evaluate.html import page, perplexity_plot
    from simulacra.evaluate.perplexity import turn_perplexities

    if tuned_result["turns"]:
        images["perplexity"] = perplexity_plot(turn_perplexities(base_result), turn_perplexities(tuned_result))
    samples = [{"context": "\n".join(f"{t.speaker}: {t.text}" for t in m.history[-3:]), "real": m.real,
                **m.replies} for m in moments[:12]]
    with atomic_write(path) as f:
        f.write(page(report, rows, images, samples, moments))


class timer:
    """Adds the block's wall time (seconds) to `timings[name]`."""

    def __init__(self, timings: dict, name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.start = time.time()

    def __exit__(self, *exc):
        self.timings[self.name] = round(self.timings.get(self.name, 0) + time.time() - self.start, 1)
        return False
