"""Load a base model (resized for added tokens) or a run's tuned model for training and inference."""

from __future__ import annotations

import os
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.models.embedded import resolve_model
from simulacra.rundir import RunDir


def pick_device():
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def load_base_model(name: str | None, vocab_size: int | None = None):
    """fp32 on CPU (bf16 matmuls are ~3.5x slower on CPUs without AMX); rows added for new tokens."""
    import torch
    from transformers import AutoModelForCausalLM

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    dtype = torch.bfloat16 if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else torch.float32
    path = resolve_model(name)
    try:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    except OSError as e:
        raise SimulacraError(f"model {name!r}: cannot load ({str(e).splitlines()[0]})") from None
    grow_embeddings(model, vocab_size)
    return model.to(pick_device())


def grow_embeddings(model, vocab_size: int | None) -> bool:
    """Add embedding rows for tokens the tokenizer gained; returns whether any were added."""
    if not vocab_size or vocab_size <= model.get_input_embeddings().num_embeddings:
        return False
    # New special tokens start at the mean embedding, so they begin as "an average token".
    model.resize_token_embeddings(vocab_size, mean_resizing=True)
    return True


def load_tuned_model(run: RunDir | Path, base_name: str | None, vocab_size: int | None = None):
    """The base model with the run's LoRA adapter applied, or the run's full fine-tuned weights."""
    weights = (run if isinstance(run, RunDir) else RunDir(run)).require_weights()
    if (weights / "adapter_config.json").is_file():
        from peft import PeftModel

        base = load_base_model(base_name, vocab_size)
        return PeftModel.from_pretrained(base, str(weights)).eval()
    return load_base_model(str(weights), vocab_size).eval()
