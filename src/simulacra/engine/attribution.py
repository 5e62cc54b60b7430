"""Training-data attribution: one activation vector per training message, and the nearest ones to a reply.

A message is embedded as its speaker saying it (the run's own prompt format), by mean-pooling one
decoder layer's output over the message's tokens, at unit length. Hidden states share a large common
direction (every message's cosine to every other was 0.94-0.95 on a 10-step run), so search subtracts the
training messages' mean vector from the query and from every row, then compares directions (cosine).

    cache/attribute-L<layer>/vectors.f16   float16 unit rows, a memory map that only ever grows
                             index.jsonl   one line per row: content hash, speaker, conversation, time, text
                             mean-<rows>.f32  the mean of that many rows (a stale one is never read)
                             meta.json     version, layer, hidden size, the weights' hash (else: rebuilt)

Building is incremental (a re-run embeds only messages not cached yet) and streams in batches, so
memory stays flat whatever the chat's size.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

import orjson

from simulacra.io import atomic_write, read_json, write_json

# 2: rows are searched minus their mean (mean-<rows>.f32, and HNSW indexes built over centred rows); a cache
# of another version is rebuilt, so an index of uncentred rows is never searched with centred queries.
VERSION = 2


def content_hash(speaker: str, text: str) -> str:
    return hashlib.sha256(f"{speaker}\x00{text}".encode()).hexdigest()[:20]


def training_messages(run) -> Iterator[dict]:
    """Each distinct turn of the training split, with where and when it was said."""
    seen: set[str] = set()
    for ex in run.iter_examples("train"):
        for t in ex.turns:
            key = content_hash(t.speaker, t.text)
            if key not in seen and t.text.strip():
                seen.add(key)
                yield {"hash": key, "speaker": t.speaker, "conversation": ex.conversation_id,
                       "time": t.time.isoformat() if t.time else None, "text": t.text}


def embed(persona, items: list[tuple[str, str]], layer: int, batch_size: int = 16):
    """(speaker, text) pairs -> unit float32 rows: the mean of decoder layer `layer`'s output over the text tokens."""
    import torch

    from simulacra.engine.scoring import pad_left
    from simulacra.engine.steering import decoder_layers, layer_index, run_until

    model = persona.backend.model
    pad = persona.renderer.stop_token_id
    block = decoder_layers(model)[layer_index(model, layer)]
    rows = []
    model.eval()
    for start in range(0, len(items), batch_size):
        chunk = items[start:start + batch_size]
        texts = [persona.tokenizer.encode(text) or [pad] for _, text in chunk]
        prompts = [persona.prompt(None, [], speaker) + ids for (speaker, _), ids in zip(chunk, texts)]
        ids, attention = pad_left(prompts, pad)
        longest = ids.shape[1]
        # Only the layer is needed: the forward pass stops there (no upper layers, no LM head).
        states = run_until(model, block, ids.to(model.device), attention.to(model.device)).float().cpu()
        for r, t in enumerate(texts):
            rows.append(states[r, longest - len(t):].mean(0))
    vectors = torch.stack(rows)
    return (vectors / vectors.norm(dim=1, keepdim=True).clamp(min=1e-9)).numpy()


class VectorCache:
    """The on-disk cache of one layer's message vectors for one set of weights."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.vectors_path, self.index_path = self.folder / "vectors.f16", self.folder / "index.jsonl"

    def meta(self) -> dict | None:
        path = self.folder / "meta.json"
        return read_json(path) if path.is_file() else None

    def reset(self, meta: dict) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.vectors_path.write_bytes(b"")
        self.index_path.write_bytes(b"")
        for stale in [*self.folder.glob("mean-*.f32"), *self.folder.glob("hnsw-*.usearch")]:
            stale.unlink()
        write_json(self.folder / "meta.json", meta)

    def hashes(self) -> list[str]:
        if not self.index_path.is_file():
            return []
        return [orjson.loads(line)["hash"] for line in self.index_path.read_bytes().splitlines() if line.strip()]

    def append(self, records: list[dict], vectors) -> None:
        """Vectors first, then their index lines, so an interrupted append leaves no index line without a vector."""
        import numpy as np

        with open(self.vectors_path, "ab") as f:
            f.write(np.asarray(vectors, dtype=np.float16).tobytes())
        with open(self.index_path, "ab") as f:
            for rec in records:
                f.write(orjson.dumps(rec) + b"\n")

    def matrix(self, dim: int):
        """The cached vectors as a read-only float16 memory map (rows beyond the index, if any, are ignored)."""
        import numpy as np

        rows = len(self.hashes())
        if rows == 0:
            return np.zeros((0, dim), dtype=np.float16)
        return np.memmap(self.vectors_path, dtype=np.float16, mode="r", shape=(rows, dim))

    def mean_path(self, rows: int | None = None) -> Path:
        """Where the mean of the first `rows` rows (default: all indexed) is kept; named by the count, so a mean
        left behind by a build stopped before it was updated is never read for more rows."""
        return self.folder / f"mean-{len(self.hashes()) if rows is None else rows}.f32"

    def mean(self, dim: int):
        """The rows' mean vector (zeros when none was computed for them: searched uncentred, as bench's caches)."""
        import numpy as np

        path = self.mean_path()
        return np.fromfile(path, dtype=np.float32) if path.is_file() else np.zeros(dim, dtype=np.float32)

    def update_mean(self, dim: int) -> None:
        """Average the rows and store the mean; numpy sums the float16 map in small buffers, never copying it."""
        import numpy as np

        matrix = self.matrix(dim)
        total = matrix.sum(0, dtype=np.float64) if matrix.shape[0] else np.zeros(dim)
        path = self.mean_path(matrix.shape[0])
        with atomic_write(path, "wb") as f:
            f.write((total / max(matrix.shape[0], 1)).astype(np.float32).tobytes())
        for old in self.folder.glob("mean-*.f32"):
            if old != path:
                old.unlink()

    def records(self) -> list[dict]:
        return [orjson.loads(line) for line in self.index_path.read_bytes().splitlines() if line.strip()]


def build_cache(persona, layer: int, batch_size: int = 16, on_batch=None) -> tuple[VectorCache, int]:
    """Embed the training messages not cached yet; returns the cache and how many were added. Messages stream
    from the split in chunks, each appended to the file before the next is read, so memory stays flat."""
    import itertools

    cache = VectorCache(persona.run.cache / f"attribute-L{layer}")
    dim = int(persona.backend.model.config.hidden_size)
    meta = {"version": VERSION, "layer": layer, "hidden": dim, "weights": persona.run.weights_hash()}
    if cache.meta() != meta:
        cache.reset(meta)  # made with other weights (or never): rebuilt, not reused
    have = set(cache.hashes())
    missing = (m for m in training_messages(persona.run) if m["hash"] not in have)
    added = 0
    while chunk := list(itertools.islice(missing, batch_size * 8)):
        cache.append(chunk, embed(persona, [(m["speaker"], m["text"]) for m in chunk], layer, batch_size))
        added += len(chunk)
        if on_batch:
            on_batch(len(chunk))
    if not cache.mean_path().is_file():
        cache.update_mean(dim)
    return cache, added


def centred(vectors, mean):
    """Vectors minus the training messages' mean, back at unit length: cosine then compares what sets a message
    apart, not the direction every hidden state shares."""
    import numpy as np

    x = np.asarray(vectors, dtype=np.float32) - mean
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def nearest(matrix, query, k: int, mean=None, chunk: int = 65536) -> list[tuple[int, float]]:
    """Exact cosine search over a (memory-mapped) float16 matrix in chunks: the k best (row, score), best first.
    With `mean`, rows and query are compared centred (see `centred`)."""
    import numpy as np

    mean = np.zeros(matrix.shape[1], dtype=np.float32) if mean is None else mean
    q = centred(np.asarray(query, dtype=np.float32).ravel(), mean)
    best_rows, best_scores = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    for start in range(0, matrix.shape[0], chunk):
        scores = centred(matrix[start:start + chunk], mean) @ q
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k] if len(scores) > k else np.arange(len(scores))
        best_rows = np.concatenate([best_rows, top + start])
        best_scores = np.concatenate([best_scores, scores[top]])
        keep = np.argsort(-best_scores)[:k]
        best_rows, best_scores = best_rows[keep], best_scores[keep]
    return [(int(r), float(s)) for r, s in zip(best_rows, best_scores)]


# Exact search reads every row; past this many rows an HNSW index answers instead (see docs/benchmarks.md:
# exact search over 20,000 float16 rows took 124 ms on a busy 2-core machine, usearch HNSW 2 ms at recall@10 1.0).
EXACT_MAX_ROWS = 5_000


def search(cache: VectorCache, query, k: int, dim: int) -> list[tuple[int, float]]:
    """The k nearest cached rows to a query vector, centred: exact for small caches, usearch's HNSW above."""
    matrix = cache.matrix(dim)
    index = ann_index(cache, matrix) if matrix.shape[0] > EXACT_MAX_ROWS else None
    return top_k(matrix, index, query, k, cache.mean(dim))


def top_k(matrix, index, query, k: int, mean) -> list[tuple[int, float]]:
    """(row, centred cosine) of the k best rows: by the HNSW `index` (built over centred rows) when there is one,
    else exactly over `matrix`."""
    if index is None:
        return nearest(matrix, query, k, mean)
    found = index.search(centred(query, mean), k)
    return [(int(key), 1.0 - float(dist)) for key, dist in zip(found.keys, found.distances)]


def ann_index(cache: VectorCache, matrix):
    """usearch's HNSW index over the cache's centred rows (cosine, float16), saved beside it and rebuilt when rows
    were added (which also moves their mean)."""
    from usearch.index import Index

    path = cache.folder / f"hnsw-{matrix.shape[0]}.usearch"
    index = Index(ndim=matrix.shape[1], metric="cos", dtype="f16", connectivity=32, expansion_add=128,
                  expansion_search=256)
    if path.is_file():
        index.load(str(path))
        return index
    import numpy as np

    mean = cache.mean(matrix.shape[1])
    for start in range(0, matrix.shape[0], 65536):  # in chunks: the float16 map is never copied whole
        block = centred(matrix[start:start + 65536], mean)
        index.add(np.arange(start, start + len(block)), block)
    for old in cache.folder.glob("hnsw-*.usearch"):
        old.unlink()
    index.save(str(path))
    return index


def nearest_training_messages(persona, items: list[tuple[str, str]], k: int, layer: int | None = None,
                              batch_size: int = 16) -> list[list[dict]]:
    """For each (speaker, text): the k nearest training messages as {score, speaker, time, text, conversation}.
    `layer` None: the fourth decoder layer from the last (or the first, in a shallower model)."""
    from simulacra.engine.steering import decoder_layers

    if layer is None:
        layer = max(-4, -len(decoder_layers(persona.backend.model)))
    records, matrix, index, mean = _searchable(persona, layer, batch_size)
    if not items:
        return []
    return [[{**records[row], "score": score} for row, score in top_k(matrix, index, vector, k, mean)]
            for vector in embed(persona, items, layer, batch_size)]


def _searchable(persona, layer: int, batch_size: int):
    """(records, matrix, HNSW index or None, mean) of the layer's cache, built or updated once per loaded persona:
    chat --tda asks after every reply, and the training split is read and the index opened only the first time."""
    from simulacra.ui import console, progress

    ready = persona.__dict__.setdefault("_attribution", {})
    if layer not in ready:
        with progress() as bar:
            task = bar.add_task("Embedding training messages (cached after the first run)", total=None, info="")
            cache, added = build_cache(persona, layer, batch_size, on_batch=lambda n: bar.advance(task, n))
        if added:
            console.print(f"[green]✓[/] {added} training messages embedded → {cache.folder}")
        dim = int(persona.backend.model.config.hidden_size)
        matrix = cache.matrix(dim)
        index = ann_index(cache, matrix) if matrix.shape[0] > EXACT_MAX_ROWS else None
        ready[layer] = (cache.records(), matrix, index, cache.mean(dim))
    return ready[layer]


def format_hit(hit: dict) -> str:
    date = (hit.get("time") or "")[:10] or "no date"
    text = hit["text"].replace("\n", " ⏎ ")
    return f"  {hit['score']:.2f}  {date}  {hit['speaker']}: {text[:100]}"
