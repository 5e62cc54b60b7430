"""Shared checks: next-token logits of an exported GGUF against the merged model on held-out prompts."""

from __future__ import annotations

from pathlib import Path


def held_out_ids(run_dir: Path, limit: int = 8) -> list[list[int]]:
    from simulacra.rundir import RunDir

    examples = RunDir(run_dir).examples("test") + RunDir(run_dir).examples("validation")
    return [ex.input_ids for ex in examples[:limit]]


def compare_logits(reference, exported, prompts: list[list[int]]) -> tuple[float, float]:
    """(largest |logit difference|, share of positions with the same top-1 token) over all prompts."""
    import torch

    worst, same, total = 0.0, 0, 0
    with torch.no_grad():
        for ids in prompts:
            x = torch.tensor([ids])
            a, b = reference(x).logits[0], exported(x).logits[0]
            worst = max(worst, (a - b).abs().max().item())
            same += (a.argmax(-1) == b.argmax(-1)).sum().item()
            total += len(ids)
    return worst, same / total


def load_gguf(folder: Path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    name = next(p.name for p in Path(folder).glob("*.gguf"))
    return (AutoModelForCausalLM.from_pretrained(folder, gguf_file=name).eval(),
            AutoTokenizer.from_pretrained(folder, gguf_file=name))
