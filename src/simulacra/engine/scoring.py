"""Scoring with a loaded model: masked log-likelihood of rows, and continuations after a shared prompt.

`masked_nll` counts only positions whose 0/1 mask is 1 (perplexity, the judge's reference path);
`score_after_prompts` reads a prompt once and scores several continuations after it (the blind judge:
a moment's real and generated replies; the speaker check: the same words after each speaker's header).
"""

from __future__ import annotations

IGNORE_INDEX = -100


def pad_right(rows: list[dict], pad_id: int) -> dict:
    """Right-pad rows of {"input_ids", "mask"}; masked positions become -100 labels.

        ids [5, 6, 7], mask [0, 1, 1], longest 4  ->  input_ids [5, 6, 7, pad], labels [-100, 6, 7, -100],
                                                      attention_mask [1, 1, 1, 0]
    """
    import torch

    longest = max(len(r["input_ids"]) for r in rows)
    ids = torch.full((len(rows), longest), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), longest), IGNORE_INDEX, dtype=torch.long)
    attention = torch.zeros((len(rows), longest), dtype=torch.long)
    for i, row in enumerate(rows):
        n = len(row["input_ids"])
        row_ids = torch.tensor(row["input_ids"], dtype=torch.long)
        ids[i, :n] = row_ids
        labels[i, :n] = torch.where(torch.tensor(row["mask"], dtype=torch.bool), row_ids, IGNORE_INDEX)
        attention[i, :n] = 1
    return {"input_ids": ids, "labels": labels, "attention_mask": attention}


def pad_left(prompts: list[list[int]], pad_id: int):
    """(ids, attention mask) with each prompt right-aligned, so every last token sits at the same position."""
    import torch

    longest = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), longest), pad_id, dtype=torch.long)
    attention = torch.zeros((len(prompts), longest), dtype=torch.long)
    for row, p in enumerate(prompts):
        ids[row, longest - len(p):] = torch.tensor(p, dtype=torch.long)
        attention[row, longest - len(p):] = 1
    return ids, attention


def masked_nll(model, rows: list[dict], pad_id: int, batch_size: int = 8):
    """Yield (row index, per-position NLL, trained-position flags) for rows of {"input_ids", "mask"}.

    Position t of the outputs scores token t+1. Rows run longest first, so batches hold little padding.
    """
    import torch
    import torch.nn.functional as F

    from simulacra.engine.branches import split_head

    model.eval()
    parts = split_head(model)
    order = sorted(range(len(rows)), key=lambda i: -len(rows[i]["input_ids"]))
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        batch = {k: v.to(model.device) for k, v in pad_right([rows[i] for i in chunk], pad_id).items()}
        labels = batch["labels"][:, 1:]
        valid = labels != IGNORE_INDEX
        with torch.no_grad():
            if parts is None:
                logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits.float()
                nll = F.cross_entropy(logits[:, :-1].transpose(1, 2), labels, ignore_index=IGNORE_INDEX,
                                      reduction="none")
            else:
                # The head (vocabulary-wide) runs only on the scored positions: a third of them or fewer.
                body, head = parts
                hidden = body(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
                nll = torch.zeros(labels.shape, dtype=torch.float32, device=labels.device)
                nll[valid] = F.cross_entropy(head(hidden[:, :-1][valid]).float(), labels[valid], reduction="none")
        yield from zip(chunk, nll.cpu(), valid.cpu())


Group = tuple[list[int], list[list[int]], list[int]]  # (prompt ids, body ids per candidate, tokens to skip per body)


def score_after_prompts(model, pad_id: int, groups: list[Group], batch_size: int = 8) -> list[list[float]]:
    """Per group, the mean log-probability per token of each body after the prompt, counting the body's
    tokens from its skip on (earlier body tokens are context, like a speaker's header).

    Prompts are read longest first in left-padded batches of `batch_size`."""
    out: list[list[float]] = [[] for _ in groups]
    order = sorted(range(len(groups)), key=lambda g: -len(groups[g][0]))
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        for g, values in zip(chunk, _score_batch(model, pad_id, [groups[g] for g in chunk])):
            out[g] = values
    return out


def _score_batch(model, pad_id: int, groups: list[Group]) -> list[list[float]]:
    import torch

    ids, pmask = pad_left([p for p, _, _ in groups], pad_id)
    owner = [g for g, (_, bodies, _) in enumerate(groups) for _ in bodies]  # the prompt of each body
    bodies = [b for _, bs, _ in groups for b in bs]
    skips = [s for _, _, ss in groups for s in ss]
    width = max(len(b) for b in bodies)
    # Right padding of the bodies is harmless: attention is causal, no real token sees a pad after it.
    body_ids = torch.full((len(bodies), width), pad_id, dtype=torch.long)
    for r, b in enumerate(bodies):
        body_ids[r, :len(b)] = torch.tensor(b, dtype=torch.long)
    index = torch.tensor(owner, dtype=torch.long)
    dev = model.device
    model.eval()
    with torch.no_grad():
        head = model(input_ids=ids.to(dev), attention_mask=pmask.to(dev),
                     position_ids=(pmask.cumsum(1) - 1).clamp(min=0).to(dev), use_cache=True)
        cache = head.past_key_values
        cache.batch_select_indices(index.to(dev))  # each prompt's cache, once per body
        mask = torch.cat([pmask[index], torch.ones((len(bodies), width), dtype=torch.long)], dim=1)
        positions = pmask.sum(1)[index, None] + torch.arange(width)[None, :]
        logits = model(input_ids=body_ids.to(dev), attention_mask=mask.to(dev), position_ids=positions.to(dev),
                       past_key_values=cache, use_cache=True).logits.float()
        # The prompt's last position predicts each body's first token; body position j predicts token j+1.
        first = head.logits[:, -1].float()[index.to(dev)].unsqueeze(1)
        logprobs = torch.log_softmax(torch.cat([first, logits[:, :-1]], dim=1), dim=-1).cpu()
    flat = [float(logprobs[r, torch.arange(s, len(b)), torch.tensor(b[s:])].mean())
            for r, (b, s) in enumerate(zip(bodies, skips))]
    out, k = [], 0
    for _, bs, _ in groups:
        out.append(flat[k:k + len(bs)])
        k += len(bs)
    return out
