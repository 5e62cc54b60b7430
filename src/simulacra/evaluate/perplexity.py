"""Per-token perplexity of the trained speakers' real turns, given the real history.

Only positions with mask 1 count, so the number is exactly "how likely were this person's words".
"""

from __future__ import annotations

import math

from simulacra.schema import Example


def speaker_nll(model, examples: list[Example], pad_id: int, batch_size: int = 8) -> dict:
    """Sum of negative log-likelihoods over trained tokens, with the token count and per-example means."""
    import torch
    import torch.nn.functional as F

    from simulacra.train.collate import IGNORE_INDEX, MaskedCollator

    collate = MaskedCollator(pad_id=pad_id)
    total, count, per_example = 0.0, 0, []
    model.eval()
    # Longest first, so batches hold similar lengths and little padding.
    order = sorted(range(len(examples)), key=lambda i: -len(examples[i].input_ids))
    for start in range(0, len(order), batch_size):
        rows = [{"input_ids": examples[i].input_ids, "mask": examples[i].mask} for i in order[start:start + batch_size]]
        batch = {k: v.to(model.device) for k, v in collate(rows).items()}
        with torch.no_grad():
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits.float()
        # Position t predicts token t+1.
        labels = batch["labels"][:, 1:]
        nll = F.cross_entropy(logits[:, :-1].transpose(1, 2), labels, ignore_index=IGNORE_INDEX, reduction="none")
        valid = labels != IGNORE_INDEX
        for row_nll, row_valid in zip(nll, valid):
            n = int(row_valid.sum())
            if n:
                s = float(row_nll[row_valid].sum())
                total, count = total + s, count + n
                per_example.append(s / n)
    return {"nll_sum": total, "tokens": count, "per_example_mean_nll": per_example}


def perplexity(result: dict) -> float:
    return math.exp(result["nll_sum"] / result["tokens"]) if result["tokens"] else float("nan")
