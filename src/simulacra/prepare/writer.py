"""Write examples into the split files as they are made, then put each split's sessions in time order.

Sessions arrive in file order (chat by chat); a split lists them by start time. Each session's examples
are appended to a hidden file and their byte range noted, so only the ranges stay in memory; when the
orders differ (several chats, or times that jump back), the ranges are copied out in time order.
"""

from __future__ import annotations

import os
from array import array
from collections import Counter
from pathlib import Path

import orjson

from simulacra.prepare.splits import SPLITS
from simulacra.schema import Example


class SplitWriter:
    def __init__(self, folder: Path, counts: Counter, context: int | None):
        self.folder, self.counts, self.context = Path(folder), counts, context
        self.files = {split: open(self._unordered(split), "wb") for split in SPLITS}
        # (position, start, end) of each session's bytes, flat in an array: tuples kept for each session would
        # be scattered among the parser's short-lived objects and pin their memory pages.
        self.ranges = {split: array("q") for split in SPLITS}
        self.too_long, self.longest = 0, 0  # examples over the model's context window
        for split in SPLITS:
            for what in ("examples", "tokens", "trained_tokens"):
                counts[f"{split}_{what}"] += 0

    def _unordered(self, split: str) -> Path:
        return self.folder / f".{split}.unordered"

    def add(self, split: str, position: int, examples: list[Example]) -> None:
        """The examples of the session that comes `position`-th in time within `split`."""
        f = self.files[split]
        start = f.tell()
        for ex in examples:
            f.write(orjson.dumps(ex.to_dict()) + b"\n")
            n = len(ex.input_ids)
            self.counts[f"{split}_tokens"] += n
            self.counts[f"{split}_trained_tokens"] += sum(ex.mask)
            if self.context and n > self.context:
                self.too_long += 1
                self.longest = max(self.longest, n)
        self.counts[f"{split}_examples"] += len(examples)
        if f.tell() > start:
            self.ranges[split].extend((position, start, f.tell()))

    def finish(self) -> None:
        """Write {split}.jsonl in time order and remove the hidden files."""
        for split in SPLITS:
            self.files[split].close()
            flat, source, target = self.ranges[split], self._unordered(split), self.folder / f"{split}.jsonl"
            ranges = list(zip(flat[0::3], flat[1::3], flat[2::3]))
            if all(a[0] < b[0] for a, b in zip(ranges, ranges[1:])):
                os.replace(source, target)
                continue
            with open(source, "rb") as src, open(target, "wb") as out:
                for _, start, end in sorted(ranges):
                    src.seek(start)
                    _copy(src, out, end - start)
            source.unlink()

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def _copy(src, out, size: int, chunk: int = 1 << 20) -> None:
    while size > 0:
        block = src.read(min(chunk, size))
        if not block:
            break
        out.write(block)
        size -= len(block)
