"""The vLLM command lines: LoRA runs share a process per base model; runs with speaker tokens use merged models."""

from __future__ import annotations

from pathlib import Path

from simulacra.serve.vllm import VllmRun, commands, describe, max_lora_rank


def run(name, base="HuggingFaceTB/SmolLM2-135M", rank=16, new_rows=False):
    return VllmRun(name, base, Path(f"runs/{name}/model/weights"), rank, new_rows, Path(f"runs/{name}/model/merged"))


def test_lora_runs_share_one_process_and_merged_runs_get_their_own():
    out = commands([run("ana", rank=16), run("ben", rank=24), run("grp", new_rows=True), run("cy", base="other")],
                   port=9000, api_key="k")
    assert [argv for argv, _ in out] == [
        ["vllm", "serve", "HuggingFaceTB/SmolLM2-135M", "--host", "127.0.0.1", "--port", "9000", "--enable-lora",
         "--lora-modules", "ana=runs/ana/model/weights", "ben=runs/ben/model/weights",
         "--max-lora-rank", "32", "--max-loras", "2", "--api-key", "k"],
        ["vllm", "serve", "other", "--host", "127.0.0.1", "--port", "9001", "--enable-lora",
         "--lora-modules", "cy=runs/cy/model/weights", "--max-lora-rank", "16", "--max-loras", "1", "--api-key", "k"],
        ["vllm", "serve", "runs/grp/model/merged", "--served-model-name", "grp", "--host", "127.0.0.1",
         "--port", "9002", "--api-key", "k"],
    ]
    assert "speaker-token rows" in out[2][1] and "simulacra export runs/grp --merge" in out[2][1]


def test_max_lora_rank_rounds_up_to_a_vllm_rank():
    assert [max_lora_rank(r) for r in ([4], [16], [17, 8], [])] == [8, 16, 32, 8]


def test_describe_reads_the_trained_run(trained_run):
    from simulacra.rundir import RunDir

    info = describe(RunDir(trained_run), resolve=lambda n: n)
    assert info.id == trained_run.resolve().name and info.adapter == trained_run / "model" / "weights"
    assert info.rank > 0 and info.new_rows is False
