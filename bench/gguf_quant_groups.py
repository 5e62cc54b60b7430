"""Which matrices' Q8_0 rounding flips the top-1 token: quantize -> dequantize groups in a merged model.

    python bench/gguf_quant_groups.py RUN/export/merged RUN --only embed_tokens --except down_proj

Each group of matrices goes through `gguf.quants.quantize` and `dequantize` (what transformers does when it
loads a Q8_0 GGUF); `--only G` quantizes the matrices whose name holds G, `--except G` all the others.
Prints the next-token top-1 agreement with the untouched model on the run's held-out prompts.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def agreement(model, original: dict, prompts, pick, qtype) -> float:
    import gguf
    import torch

    state = model.state_dict()
    with torch.no_grad():
        for name, value in original.items():
            if value.dim() == 2 and pick(name):
                x = value.numpy()
                value = torch.from_numpy(gguf.quants.dequantize(gguf.quants.quantize(x, qtype), qtype).reshape(x.shape))
            state[name].copy_(value)
        same = total = 0
        for ids, reference in prompts:
            same += (model(torch.tensor([ids])).logits[0].argmax(-1) == reference).sum().item()
            total += len(ids)
    return same / total


def main() -> None:
    import gguf
    import torch
    from export.helpers import held_out_ids
    from transformers import AutoModelForCausalLM

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("merged", type=Path)
    parser.add_argument("run", type=Path)
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--except", dest="but", action="append", default=[])
    parser.add_argument("--type", default="Q8_0")
    parser.add_argument("--prompts", type=int, default=16)
    args = parser.parse_args()
    model = AutoModelForCausalLM.from_pretrained(args.merged, dtype=torch.float32).eval()
    original = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        prompts = [(p, model(torch.tensor([p])).logits[0].argmax(-1)) for p in held_out_ids(args.run, args.prompts)]
    qtype = getattr(gguf.GGMLQuantizationType, args.type)
    print(f"{sum(len(p) for p, _ in prompts)} positions")
    for group in args.only:
        print(f"{args.type} only on {group}: {agreement(model, original, prompts, lambda n: group in n, qtype):.2%}")
    for group in args.but:
        print(f"{args.type} on all but {group}: "
              f"{agreement(model, original, prompts, lambda n: group not in n, qtype):.2%}")


if __name__ == "__main__":
    main()
