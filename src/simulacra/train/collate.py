"""Batch examples for a causal LM: pad to the longest row, and turn the 0/1 loss mask into -100 labels.

    ids [5, 6, 7], mask [0, 1, 1], longest 4  ->  input_ids [5, 6, 7, pad], labels [-100, 6, 7, -100],
                                                  attention_mask [1, 1, 1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

IGNORE_INDEX = -100


@dataclass
class MaskedCollator:
    """Right-pads a batch; counts real and supervised tokens so throughput can be reported."""

    pad_id: int
    real_tokens: int = field(default=0, init=False)
    trained_tokens: int = field(default=0, init=False)

    def __call__(self, rows: list[dict]) -> dict[str, torch.Tensor]:
        longest = max(len(r["input_ids"]) for r in rows)
        ids = torch.full((len(rows), longest), self.pad_id, dtype=torch.long)
        labels = torch.full((len(rows), longest), IGNORE_INDEX, dtype=torch.long)
        attention = torch.zeros((len(rows), longest), dtype=torch.long)
        for i, row in enumerate(rows):
            n = len(row["input_ids"])
            row_ids = torch.tensor(row["input_ids"], dtype=torch.long)
            row_mask = torch.tensor(row["mask"], dtype=torch.bool)
            ids[i, :n] = row_ids
            labels[i, :n] = torch.where(row_mask, row_ids, IGNORE_INDEX)
            attention[i, :n] = 1
            self.real_tokens += n
            self.trained_tokens += int(row_mask.sum())
        return {"input_ids": ids, "labels": labels, "attention_mask": attention}
