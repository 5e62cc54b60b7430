"""Model presets: sensible defaults per base model, as data (nothing is downloaded here); train and model resolution read them.

`simulacra train RUN --preset qwen2.5-7b` fills in the model id and LoRA target modules unless given;
`template` says which chat template the model was tuned with (the `roles` style renders ChatML; a
model with another template still learns ChatML, at the cost of two new special tokens' rows).
Memory notes are rough peaks for LoRA r=16, batch 8 x 384 tokens, with gradient checkpointing on GPU.
"""

from __future__ import annotations

ATTENTION = ["q_proj", "k_proj", "v_proj", "o_proj"]
MLP = ["gate_proj", "up_proj", "down_proj"]

PRESETS: dict[str, dict] = {
    "smollm2-135m": {
        "model": "smollm2-135m", "template": "chatml", "target_modules": ATTENTION + MLP,
        "memory": "CPU: ~3 GB RAM for LoRA, ~5 GB full fine-tune (fp32); the embedded default.",
    },
    "qwen2.5-0.5b": {
        "model": "Qwen/Qwen2.5-0.5B-Instruct", "template": "chatml", "target_modules": ATTENTION + MLP,
        "memory": "CPU: ~6 GB fp32 LoRA (slow but workable); GPU: ~4 GB bf16 LoRA.",
    },
    "qwen2.5-7b": {
        "model": "Qwen/Qwen2.5-7B-Instruct", "template": "chatml", "target_modules": ATTENTION + MLP,
        "memory": "GPU: ~20 GB bf16 LoRA, ~9 GB QLoRA 4-bit; full fine-tune needs FSDP/ZeRO-3 over several GPUs.",
    },
    "llama-3.1-8b": {
        "model": "meta-llama/Llama-3.1-8B-Instruct", "template": "llama3", "target_modules": ATTENTION + MLP,
        "memory": "GPU: ~22 GB bf16 LoRA, ~10 GB QLoRA 4-bit (gated on the Hub: accept the licence first).",
    },
    "mistral-7b": {
        "model": "mistralai/Mistral-7B-Instruct-v0.3", "template": "mistral", "target_modules": ATTENTION + MLP,
        "memory": "GPU: ~19 GB bf16 LoRA, ~9 GB QLoRA 4-bit; no system role in its template.",
    },
    "gemma-3-27b-it": {
        "model": "google/gemma-3-27b-it", "template": "gemma", "target_modules": ATTENTION + MLP,
        "memory": "GPU: ~60 GB bf16 LoRA (one H100 80 GB), ~22 GB QLoRA 4-bit; multimodal checkpoint, "
                  "text tower trained.",
    },
}


def preset(name: str) -> dict:
    from simulacra.errors import SimulacraError

    if name not in PRESETS:
        raise SimulacraError(f"--preset {name!r}: unknown; choose one of {', '.join(PRESETS)}")
    return PRESETS[name]
