"""Scoring with the LM head applied only where a score is read, and branches grafted onto one read of a text.

`split_head(model)` gives the decoder body and the output head, so a scorer can run the body over a
whole row and the (vocabulary-wide, memory-hungry) head over only the positions it scores.

`score_tree` reads a trunk once (a whole example as written) and scores, in one more batched pass,
branches that leave it: a piece (attach, body, skip) is `body` written right after `trunk[:attach]`,
scored from its token `skip` on. Each row of branches packs several pieces one after the other; a
4-D attention mask lets every piece see the trunk up to its attach point and itself, nothing else, with
the positions it would have in its own row, so a piece scores as if it were read alone:

    trunk  [sys A: hi B: yo A: ok]         spans: the trunk's own scored turns
    row 0  [B: hi][A: yo][B: ok]           each piece sees trunk[:attach] + itself (causal)
"""

from __future__ import annotations

Piece = tuple[int, list[int], int]  # (attach point in the trunk, body ids, first scored body token)


def split_head(model):
    """(decoder body, output head) of a causal LM (LoRA-wrapped or not); None where the head does more than a
    linear map (logit soft-capping or scaling), so callers fall back to the full forward pass."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    body, head, config = getattr(base, "model", None), base.get_output_embeddings(), base.config
    if body is None or head is None or getattr(config, "final_logit_softcapping", None) \
            or getattr(config, "logit_scale", None) not in (None, 1, 1.0):
        return None
    return body, head


def token_logprobs(head, hidden, targets):
    """log p(target) for each row of `hidden` (n × d) and its target id (n): the head runs on those rows only."""
    import torch

    logits = head(hidden).float()
    return torch.log_softmax(logits, dim=-1).gather(1, targets[:, None]).squeeze(1)


def score_tree(model, trunk: list[int], spans: list[tuple[int, int]], rows: list[list[Piece]]):
    """(mean log-probability per token of each trunk span [a, b), a ≥ 1; per row, that of each piece)."""
    import torch

    parts = split_head(model)
    if parts is None:
        raise ValueError("score_tree needs a model whose head is a plain linear map")
    body, head = parts
    dev = model.device
    model.eval()
    with torch.no_grad():
        ids = torch.tensor([trunk], dtype=torch.long, device=dev)
        out = body(input_ids=ids, use_cache=bool(rows))
        hidden = out.last_hidden_state[0]
        span_scores = [float(token_logprobs(head, hidden[a - 1:b - 1], ids[0, a:b]).mean()) for a, b in spans]
        if not rows:
            return span_scores, []
        return span_scores, _score_rows(body, head, out.past_key_values, hidden, len(trunk), rows, dev)


def _score_rows(body, head, cache, trunk_hidden, n_trunk: int, rows: list[list[Piece]], dev) -> list[list[float]]:
    import torch

    width = max(sum(len(b) for _, b, _ in row) for row in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    positions = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), 1, width, n_trunk + width), dtype=torch.bool)
    mask[:, 0, :, 0] = True  # padding queries see one key, so no row of the softmax is empty
    for r, row in enumerate(rows):
        col = 0
        for attach, piece, _ in row:
            n = len(piece)
            ids[r, col:col + n] = torch.tensor(piece, dtype=torch.long)
            positions[r, col:col + n] = attach + torch.arange(n)
            mask[r, 0, col:col + n, :attach] = True
            mask[r, 0, col:col + n, n_trunk + col:n_trunk + col + n] = torch.ones((n, n), dtype=torch.bool).tril()
            col += n
    cache.batch_select_indices(torch.zeros(len(rows), dtype=torch.long, device=dev))  # the trunk, once per row
    hidden = body(input_ids=ids.to(dev), position_ids=positions.to(dev), attention_mask=mask.to(dev),
                  past_key_values=cache, use_cache=True).last_hidden_state
    out = []
    for r, row in enumerate(rows):
        scores, col = [], 0
        for attach, piece, skip in row:
            # Body token j is predicted at body position j - 1, its first token at the trunk's attach - 1.
            before = [trunk_hidden[attach - 1:attach]] if skip == 0 else []
            states = torch.cat(before + [hidden[r, col + max(skip, 1) - 1:col + len(piece) - 1]])
            targets = torch.tensor(piece[skip:], dtype=torch.long, device=dev)
            scores.append(float(token_logprobs(head, states, targets).mean()))
            col += len(piece)
        out.append(scores)
    return out
