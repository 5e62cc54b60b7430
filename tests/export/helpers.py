"""Shared checks: next-token logits of an exported GGUF against the merged model on held-out prompts."""

from __future__ import annotations

from pathlib import Path


def held_out_ids(run_dir: Path, limit: int = 8) -> list[list[int]]:
    from simulacra.rundir import RunDir

    examples = RunDir(run_dir).examples("test") + RunDir(run_dir).examples("validation")
    return [ex.input_ids for ex in examples[:limit]]


def reply_prompts(run_dir: Path, limit: int = 4) -> list[list[int]]:
    """Held-out examples cut before their last trained turn: prompts with history that end with the persona's header."""
    from simulacra.rundir import RunDir

    examples = RunDir(run_dir).examples("test") + RunDir(run_dir).examples("validation")
    starts = [[i for i in range(1, len(ex.mask)) if ex.mask[i] and not ex.mask[i - 1]] for ex in examples]
    return [ex.input_ids[:s[-1]] for ex, s in zip(examples, starts) if s][:limit]


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


SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "llamacpp_greedy.mjs"


def node_llama_cpp() -> Path | None:
    """node-llama-cpp's entry module (prebuilt llama.cpp): $NODE_LLAMA_CPP, ./node_modules or npm's global root."""
    import os
    import shutil
    import subprocess

    if shutil.which("node") is None:
        return None
    roots = [Path(os.environ["NODE_LLAMA_CPP"])] if os.environ.get("NODE_LLAMA_CPP") else []
    roots.append(Path("node_modules") / "node-llama-cpp")
    if shutil.which("npm"):
        found = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, check=False).stdout.strip()
        roots.append(Path(found) / "node-llama-cpp")
    return next((r / "dist" / "index.js" for r in roots if (r / "dist" / "index.js").is_file()), None)


def llamacpp_greedy(gguf: Path, prompts: list[list[int]], texts: list[str], max_new: int = 16) -> dict:
    """llama.cpp's tokenization of `texts` and greedy continuation of `prompts` (bench/llamacpp_greedy.mjs)."""
    import json
    import subprocess

    job = {"model": str(gguf), "module": str(node_llama_cpp()), "prompts": prompts, "texts": texts,
           "max_new": max_new}
    done = subprocess.run(["node", str(SCRIPT)], input=json.dumps(job), capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def transformers_greedy(model, prompt: list[int], max_new: int, stop: int) -> list[int]:
    """Greedy continuation in transformers, cut like llama_cpp_greedy: up to and including the stop token."""
    import torch

    with torch.no_grad():
        out = model.generate(torch.tensor([prompt]), max_new_tokens=max_new, do_sample=False,
                             eos_token_id=stop, pad_token_id=stop)[0, len(prompt):].tolist()
    return out[:out.index(stop) + 1] if stop in out else out
