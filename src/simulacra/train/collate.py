"""Batch examples for a causal LM: pad to the longest row, and turn the 0/1 loss mask into -100 labels.

    ids [5, 6, 7], mask [0, 1, 1], longest 4  ->  input_ids [5, 6, 7, pad], labels [-100, 6, 7, -100],
                                                  attention_mask [1, 1, 1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from simulacra.engine.scoring import IGNORE_INDEX, pad_right


@dataclass
class MaskedCollator:
    """Right-pads a batch; counts real and supervised tokens so throughput can be reported."""

    pad_id: int
    real_tokens: int = field(default=0, init=False)
    trained_tokens: int = field(default=0, init=False)

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        batch = pad_right(rows, self.pad_id)
        self.real_tokens += int(batch["attention_mask"].sum())
        self.trained_tokens += sum(sum(r["mask"]) for r in rows)
        return batch


@dataclass
class PackingCollator:
    """Pack a batch's examples into few rows, with no attention between examples and no padded rows.

        examples [5, 6] (mask [0, 1]) and [7, 8, 9] (mask [0, 1, 1]), pack_len 8  ->  one row:
        input_ids    [5, 6, 7, 8, 9]
        position_ids [0, 1, 0, 1, 2]     (restart per example: transformers then builds a block-diagonal
                                          mask, given attention_mask=None and use_cache=False)
        shift_labels [6, -100, 8, 9, -100]  (position t predicts t+1, never across an example's end)

    Rows are balanced (longest example first, into the shortest row) and hold at most `pack_len` tokens; the tail of a shorter row is padding
    that forms its own sequence and carries no loss. With `pack=False` every example gets its own
    row, right-padded, with an attention mask (the plain padded layout, for comparison).
    """

    pad_id: int
    pack_len: int = 1024
    pack: bool = True
    real_tokens: int = field(default=0, init=False)
    trained_tokens: int = field(default=0, init=False)
    padded_tokens: int = field(default=0, init=False)

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        groups = pack_groups([len(r["input_ids"]) for r in rows], self.pack_len) if self.pack else \
            [[i] for i in range(len(rows))]
        width = max(sum(len(rows[i]["input_ids"]) for i in g) for g in groups)
        ids = torch.full((len(groups), width), self.pad_id, dtype=torch.long)
        shift = torch.full((len(groups), width), IGNORE_INDEX, dtype=torch.long)
        positions = torch.zeros((len(groups), width), dtype=torch.long)
        attention = torch.zeros((len(groups), width), dtype=torch.long)
        for r, group in enumerate(groups):
            at = 0
            for i in group:
                row_ids = torch.tensor(rows[i]["input_ids"], dtype=torch.long)
                row_mask = torch.tensor(rows[i]["mask"], dtype=torch.bool)
                n = len(row_ids)
                ids[r, at:at + n] = row_ids
                shift[r, at:at + n - 1] = torch.where(row_mask[1:], row_ids[1:], IGNORE_INDEX)
                positions[r, at:at + n] = torch.arange(n)
                attention[r, at:at + n] = 1
                at += n
                self.real_tokens += n
                self.trained_tokens += int(row_mask[1:].sum())
            positions[r, at:] = torch.arange(width - at)  # padding: a sequence of its own
            self.padded_tokens += width - at
        batch = {"input_ids": ids, "shift_labels": shift, "position_ids": positions}
        if not self.pack:
            batch["attention_mask"] = attention
        return batch


def pack_groups(lengths: list[int], capacity: int) -> list[list[int]]:
    """Fewest rows of at most `capacity` tokens, balanced so rows end up about equally long (little
    padding when they are stacked): longest item first, each into the currently shortest row.
    An item longer than `capacity` gets a row of its own."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    rows = max(1, -(-sum(lengths) // capacity))
    while True:
        groups: list[list[int]] = [[] for _ in range(rows)]
        totals = [0] * rows
        for i in order:
            r = min(range(rows), key=lambda r: totals[r])
            groups[r].append(i)
            totals[r] += lengths[i]
        if all(t <= capacity or len(g) == 1 for t, g in zip(totals, groups)) or rows >= len(lengths):
            return [g for g in groups if g]
        rows += 1
