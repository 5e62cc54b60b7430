"""Per-token perplexity of the trained speakers' real turns, given the real history.

Only positions with mask 1 count, so the number is exactly "how likely were this person's words".
Each contiguous run of mask 1 is one trained turn (its text plus the end token), so the same pass
also gives a perplexity per turn and per speaker:

    mask [0 0 1 1 0 0 0 1 0]  ->  turn runs (2, 4) and (7, 8): the example's 1st and 2nd trained turns
"""

from __future__ import annotations

import math

from simulacra.schema import Example


def mask_runs(mask: list[int]) -> list[tuple[int, int]]:
    """[start, end) of each run of 1s."""
    runs, start = [], None
    for i, m in enumerate(list(mask) + [0]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            runs.append((start, i))
            start = None
    return runs


def trained_turn_speakers(example: Example, targets: set[str] | None) -> list[str]:
    """The speaker of each mask run: the example's turns by trained speakers, in order."""
    runs = mask_runs(example.mask)
    names = [t.speaker for t in example.turns if targets is None or t.speaker in targets]
    if len(names) == len(runs):
        return names
    # Should not happen with prepare's renderer; keep the numbers, label what we can.
    fallback = example.speakers[0] if len(example.speakers) == 1 else "?"
    return [fallback] * len(runs)


def speaker_nll(side, examples: list[Example], batch_size: int = 8, targets: set[str] | None = None,
                on_row=None) -> dict:
    """Sum of negative log-likelihoods over trained tokens, the token count, and per-turn records.

    `turns` holds one record per trained turn: {"example", "turn", "speaker", "nll", "tokens"}, where
    `nll` is the turn's summed negative log-likelihood (nats) and `turn` its index among trained turns.
    """
    total, count, per_example, turns = 0.0, 0, [], []
    rows = [{"input_ids": ex.input_ids, "mask": ex.mask} for ex in examples]
    for index, row_nll, row_valid in side.nll(rows, batch_size, on_row):
        n = int(row_valid.sum())
        if not n:
            continue
        s = float(row_nll[row_valid].sum())
        total, count = total + s, count + n
        per_example.append(s / n)
        ex = examples[index]
        for k, ((a, b), who) in enumerate(zip(mask_runs(ex.mask), trained_turn_speakers(ex, targets))):
            a = max(a, 1)  # the first token has no prediction
            if b > a:
                turns.append({"example": index, "turn": k, "speaker": who,
                              "nll": float(row_nll[a - 1:b - 1].sum()), "tokens": b - a})
    return {"nll_sum": total, "tokens": count, "per_example_mean_nll": per_example, "turns": turns}


def perplexity(result: dict) -> float:
    return math.exp(result["nll_sum"] / result["tokens"]) if result["tokens"] else float("nan")


def perplexity_report(base: dict, tuned: dict) -> dict:
    """Per-speaker perplexities, the per-turn distribution (quantiles) and how many turns tuning made likelier."""
    speakers = sorted({t["speaker"] for t in tuned["turns"]})
    key = lambda t: (t["example"], t["turn"])  # noqa: E731
    base_by = {key(t): t for t in base["turns"]}
    pairs = [(base_by[key(t)], t) for t in tuned["turns"] if key(t) in base_by]
    per_speaker = {}
    for who in speakers + ["all"]:
        mine = [(b, t) for b, t in pairs if who == "all" or t["speaker"] == who]
        if not mine:
            continue
        per_speaker[who] = {
            "turns": len(mine), "tokens": sum(t["tokens"] for _, t in mine),
            "base": _ppl(b for b, _ in mine), "tuned": _ppl(t for _, t in mine),
            "base_turn_quantiles": _quantiles([_turn_ppl(b) for b, _ in mine]),
            "tuned_turn_quantiles": _quantiles([_turn_ppl(t) for _, t in mine]),
            # A turn became likelier if its per-token NLL went down.
            "turns_improved": sum(t["nll"] / t["tokens"] < b["nll"] / b["tokens"] for b, t in mine) / len(mine),
        }
    return per_speaker


def turn_perplexities(result: dict) -> list[float]:
    return [_turn_ppl(t) for t in result["turns"]]


def _turn_ppl(t: dict) -> float:
    return math.exp(t["nll"] / t["tokens"])


def _ppl(turns) -> float:
    turns = list(turns)
    return math.exp(sum(t["nll"] for t in turns) / sum(t["tokens"] for t in turns))


def _quantiles(values: list[float]) -> dict:
    values = sorted(values)

    def q(p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))]

    return {"p10": q(0.1), "median": q(0.5), "p90": q(0.9)}
