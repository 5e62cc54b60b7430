"""`simulacra serve --engine vllm`: the vLLM OpenAI server command lines for a set of runs.

Runs that share a base model are served by one vLLM process with one LoRA adapter each:

    vllm serve BASE --host 127.0.0.1 --port 8000 --enable-lora --lora-modules ana=runs/ana/model/weights
        --max-lora-rank 16 --max-loras 1

vLLM rejects adapters that carry new embedding rows (speaker tokens), so such a run is served from its
merged model (`simulacra export RUN --merge`) by a process of its own, on the next port.
Building the commands is a pure function, tested without vLLM; they run only when vLLM is installed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from simulacra.rundir import RunDir

LORA_RANKS = (8, 16, 32, 64, 128, 256, 320, 512)  # the ranks vLLM's --max-lora-rank accepts


@dataclass(frozen=True)
class VllmRun:
    id: str          # the model id clients ask for (the run's folder name)
    base: str        # what `vllm serve` loads: a hub id or a folder
    adapter: Path    # the LoRA adapter folder
    rank: int
    new_rows: bool   # the adapter carries new embedding rows (speaker tokens)
    merged: Path


def describe(run: RunDir, resolve=None) -> VllmRun:
    """What vLLM needs to know about one trained run (reads its adapter_config.json)."""
    if resolve is None:
        from simulacra.models.embedded import resolve_model as resolve
    run.require_weights()
    config = json.loads((run.weights / "adapter_config.json").read_text(encoding="utf-8")) \
        if (run.weights / "adapter_config.json").is_file() else {}
    new_rows = bool(run.dataset_spec().speaker_tokens or config.get("trainable_token_indices")
                    or config.get("modules_to_save"))
    return VllmRun(run.root.resolve().name, resolve(run.base_model_name()), run.weights, int(config.get("r", 0)),
                   new_rows or not config, run.merged)


def max_lora_rank(ranks: list[int]) -> int:
    """The smallest rank vLLM accepts that fits every adapter."""
    need = max(ranks, default=8)
    return next((r for r in LORA_RANKS if r >= need), need)


def commands(runs: list[VllmRun], host: str = "127.0.0.1", port: int = 8000,
             api_key: str | None = None) -> list[tuple[list[str], str]]:
    """(argv, what it serves) per vLLM process: one per base model for LoRA runs, one per merged run."""
    out: list[tuple[list[str], str]] = []
    auth = ["--api-key", api_key] if api_key else []
    by_base: dict[str, list[VllmRun]] = {}
    for r in runs:
        if not r.new_rows:
            by_base.setdefault(r.base, []).append(r)
    for base, group in by_base.items():
        argv = ["vllm", "serve", base, "--host", host, "--port", str(port + len(out)), "--enable-lora",
                "--lora-modules", *[f"{r.id}={r.adapter}" for r in group],
                "--max-lora-rank", str(max_lora_rank([r.rank for r in group])), "--max-loras", str(len(group)), *auth]
        out.append((argv, f"{', '.join(r.id for r in group)}: LoRA adapters on {base}"))
    for r in runs:
        if r.new_rows:
            argv = ["vllm", "serve", str(r.merged), "--served-model-name", r.id, "--host", host,
                    "--port", str(port + len(out)), *auth]
            note = (f"{r.id}: its adapter adds speaker-token rows, which vLLM's LoRA rejects; served from its "
                    f"merged model {r.merged}")
            if not r.merged.is_dir():
                note += f" (write it first: simulacra export {r.merged.parent.parent} --merge)"
            out.append((argv, note))
    return out
