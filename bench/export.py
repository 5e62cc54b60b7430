"""Export: time and size of each format on a run, and how close the q8_0 GGUF stays to the merged model.

    python bench/export.py                  # runs/demo if it exists, else a small run built here
    python bench/export.py --run runs/ana

Without runs/demo it ingests the bundled sample chat, prepares it (roles, 128 tokens) and trains the
embedded SmolLM2-135M for two LoRA steps: the numbers are about export, not about quality.
Agreement: next-token top-1 of the q8_0 GGUF (loaded by transformers) against the merged model on
every position of the held-out prompts. Where node and the npm package node-llama-cpp are found, a
`llama.cpp` line compares its greedy replies (f32 and q8_0 files) with transformers'. Last line, exactly:
    gguf q8_0: S MB, top-1 agreement A% vs merged
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

FORMATS = [("merged", None), ("gguf", "f32"), ("gguf", "f16"), ("gguf", "q8_0"), ("gguf", "q4_0"),
           ("ollama", "q8_0"), ("hub", None)]


def small_run(folder: Path) -> Path:
    from simulacra import ingest, prepare, train
    from simulacra.demo.config import SAMPLE

    ingest.run(ingest.IngestConfig(inputs=[SAMPLE], out=folder))
    prepare.run(prepare.PrepareConfig(run_dir=folder, speakers=["Mia Chen"], max_seq_len=128))
    train.run(train.TrainConfig(run_dir=folder, max_steps=2, batch_size=2, save_steps=100))
    return folder


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def llama_cpp(run: Path, merged, outs: dict, n: int = 6, max_new: int = 24) -> None:
    """Greedy replies in real llama.cpp (npm node-llama-cpp) against transformers, when node can run it."""
    from export.helpers import llamacpp_greedy, node_llama_cpp, reply_prompts, transformers_greedy
    from simulacra.formats.render import renderer_for
    from simulacra.rundir import RunDir

    if node_llama_cpp() is None:
        print("llama.cpp: skipped (no node or npm package node-llama-cpp)")
        return
    end = renderer_for(RunDir(run).dataset_spec(), RunDir(run).tokenizer()).stop_token_id
    prompts = reply_prompts(run, limit=n)
    want = [transformers_greedy(merged, p, max_new, end) for p in prompts]
    for label in ("gguf f32", "gguf q8_0"):
        got = llamacpp_greedy(next(outs[label].glob("*.gguf")), prompts, [], max_new)["generated"]
        same = sum(g == w for g, w in zip(got, want))
        stops = sum(g[-1:] == [end] for g in got)
        print(f"llama.cpp {label}: {same}/{len(prompts)} greedy replies ({max_new} tokens) identical to "
              f"transformers, {stops} stopped at the end of turn")


def main() -> None:
    from simulacra import export

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=Path("runs/demo"))
    parser.add_argument("--prompts", type=int, default=16, help="held-out prompts for the agreement")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-export-"))
    run = args.run if (args.run / "model" / "weights").is_dir() else small_run(scratch / "run")
    print(f"run: {run}")
    outs = {}
    for fmt, quant in FORMATS:
        label = f"{fmt} {quant}" if quant and fmt == "gguf" else fmt
        cfg = export.ExportConfig(run_dir=run, format=fmt, quant=quant or "q8_0",
                                  out=scratch / label.replace(" ", "-"))
        started = time.perf_counter()
        outs[label] = export.run(cfg)
        print(f"{label:10s} {time.perf_counter() - started:6.1f} s {size_mb(outs[label]):8.1f} MB")
    from export.helpers import compare_logits, held_out_ids, load_gguf
    from transformers import AutoModelForCausalLM

    merged = AutoModelForCausalLM.from_pretrained(outs["merged"]).eval()
    prompts = held_out_ids(run, limit=args.prompts)
    worst, _ = compare_logits(merged, load_gguf(outs["gguf f32"])[0], prompts)
    print(f"gguf f32: max |logit difference| {worst:.2e} vs merged")
    for label in ("gguf f16", "gguf q4_0"):
        _, agree = compare_logits(merged, load_gguf(outs[label])[0], prompts)
        print(f"{label}: top-1 agreement {agree:.1%} vs merged ({sum(map(len, prompts))} positions)")
    llama_cpp(run, merged, outs)
    _, agree = compare_logits(merged, load_gguf(outs["gguf q8_0"])[0], prompts)
    print(f"gguf q8_0: {size_mb(outs['gguf q8_0']):.0f} MB, top-1 agreement {100 * agree:.1f}% vs merged")


if __name__ == "__main__":
    main()
