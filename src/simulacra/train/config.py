"""Settings of the train stage (saved as model/config.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from simulacra.config import StageConfig


class TrainConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a prepared dataset/; the model is written to model/.")
    model: str | None = Field(None, description="Base model; default: the one the dataset was prepared with.")
    method: Literal["lora", "full"] = Field("lora", description="LoRA adapter or full fine-tune.")
    lora_r: int = Field(16, ge=1, description="LoRA rank.")
    lora_alpha: int = Field(32, ge=1, description="LoRA scaling numerator (scale = alpha / r).")
    lora_dropout: float = Field(0.05, ge=0, lt=1, description="Dropout on the LoRA path.")
    target_modules: list[str] | str = Field("all-linear", description="Modules that get LoRA ('all-linear' or names).")
    learning_rate: float = Field(2e-4, gt=0, description="Peak learning rate.")
    lr_scheduler: Literal["cosine", "constant", "linear"] = Field("cosine", description="Learning-rate schedule.")
    warmup_ratio: float = Field(0.05, ge=0, lt=1, description="Share of steps spent warming up.")
    epochs: float = Field(1.0, gt=0, description="Passes over the training split (ignored when max_steps > 0).")
    max_steps: int = Field(0, ge=0, description="Stop after this many optimiser steps (0: use epochs).")
    batch_size: int = Field(8, ge=1, description="Examples per device per step.")
    grad_accum: int = Field(1, ge=1, description="Gradient accumulation steps.")
    logging_steps: int = Field(5, ge=1, description="Log the loss every N steps.")
    save_steps: int = Field(50, ge=1, description="Write a checkpoint every N steps (for --resume).")
    save_total_limit: int = Field(2, ge=1, description="Keep at most this many checkpoints.")
    resume: bool = Field(False, description="Continue from the latest checkpoint in model/checkpoints/.")
    seed: int = Field(0, description="Random seed for initialisation and shuffling.")
    max_train_examples: int = Field(0, ge=0, description="Use at most this many training examples (0: all).")
