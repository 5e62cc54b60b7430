"""Settings of the train stage (saved as model/config.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from simulacra.config import StageConfig, cli


class TrainConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a prepared dataset/; the model is written to model/.",
                          json_schema_extra=cli(argument=True))
    model: str | None = Field(None, description="Base model; default: the one the dataset was prepared with.")
    method: Literal["lora", "full"] = Field("lora", description="LoRA adapter or full fine-tune.")
    lora_r: int = Field(16, ge=1, description="LoRA rank.")
    lora_alpha: int = Field(32, ge=1, description="LoRA scaling numerator (scale = alpha / r).",
                          json_schema_extra=cli(advanced=True))
    lora_dropout: float = Field(0.0, ge=0, lt=1, description="Dropout on the LoRA path (0 skips a copy of every "
                                "LoRA input; chat data sets are small, so raise it if validation loss climbs).",
                          json_schema_extra=cli(advanced=True))
    target_modules: list[str] | str = Field("all-linear", description="Modules that get LoRA ('all-linear' or names).",
                          json_schema_extra=cli("--target-module", advanced=True))
    learning_rate: float = Field(2e-4, gt=0, description="Peak learning rate.", json_schema_extra=cli("--lr"))
    lr_scheduler: Literal["cosine", "constant", "linear"] = Field("cosine", description="Learning-rate schedule.",
                          json_schema_extra=cli(advanced=True))
    warmup_ratio: float = Field(0.05, ge=0, lt=1, description="Share of steps spent warming up.",
                          json_schema_extra=cli(advanced=True))
    epochs: float = Field(1.0, gt=0, description="Passes over the training split (ignored when `max_steps` > 0).")
    max_steps: int = Field(0, ge=0, description="Stop after this many optimiser steps (0: use epochs).")
    batch_size: int = Field(8, ge=1, description="Examples per device per step.")
    grad_accum: int = Field(1, ge=1, description="Gradient accumulation steps.", json_schema_extra=cli(advanced=True))
    logging_steps: int = Field(5, ge=1, description="Log the loss every N steps.",
                          json_schema_extra=cli(advanced=True))
    save_steps: int = Field(50, ge=1, description="Write a checkpoint every N steps (for --resume).",
                          json_schema_extra=cli(advanced=True))
    save_total_limit: int = Field(2, ge=1, description="Keep at most this many checkpoints.",
                          json_schema_extra=cli(advanced=True))
    save_minutes: float = Field(15.0, ge=0, description="Also checkpoint whenever this many minutes passed since the "
                                "last checkpoint (0: only every --save-steps), so an interruption never loses more.",
                                json_schema_extra=cli(advanced=True))
    resume: bool = Field(False, description="Continue from the latest checkpoint in model/checkpoints/.")
    seed: int = Field(0, description="Random seed for initialisation and shuffling.")
    max_train_examples: int = Field(0, ge=0, description="Use at most this many training examples (0: all).",
                          json_schema_extra=cli(advanced=True))
    preset: str | None = Field(None, description="Model preset (see `simulacra.models.presets`): sets the model "
                               "and its LoRA target modules unless given.")
    use_rslora: bool = Field(False, description="Rank-stabilised LoRA: scale alpha / sqrt(r) instead of alpha / r.",
                          json_schema_extra=cli(advanced=True))
    weight_decay: float = Field(0.0, ge=0, description="AdamW weight decay.", json_schema_extra=cli(advanced=True))
    packing: bool = Field(True, description="Pack each batch's examples into few rows (position ids restart per "
                          "example, so nothing leaks between them); off: one right-padded row per example.")
    pack_len: int = Field(512, ge=16, description="Longest packed row in tokens (raised to the longest example) "
                          "where attention spans the whole row; with per-example attention (`fast_paths`) each "
                          "step's examples share one row.", json_schema_extra=cli(advanced=True))
    shuffle: bool = Field(True, description="Shuffle examples each epoch (off: file order, for exact comparisons).",
                          json_schema_extra=cli(advanced=True))
    fast_paths: bool = Field(True, description="Exact speed-ups: attention per packed example, LoRA's update "
                             "added inside the base matmul, LM head and loss fused in chunks (off: stock "
                             "transformers and PEFT, for comparison).", json_schema_extra=cli(advanced=True))
    gradient_checkpointing: bool = Field(False, description="Recompute activations in backward to save memory.",
                          json_schema_extra=cli(advanced=True))
    eval_steps: int = Field(0, ge=0, description="Validation loss every N steps (0: never).",
                          json_schema_extra=cli(advanced=True))
    early_stopping_patience: int = Field(0, ge=0, description="Stop after this many evaluations without a "
                                         "better validation loss (0: never; needs `eval_steps`).",
                          json_schema_extra=cli(advanced=True))
    sample_steps: int = Field(0, ge=0, description="Every N steps, generate replies to fixed validation prompts "
                              "into model/samples.jsonl and TensorBoard (0: never).",
                          json_schema_extra=cli(advanced=True))
    sample_prompts: int = Field(3, ge=0, description="How many validation moments to answer at each sample step.",
                          json_schema_extra=cli(advanced=True))
    quantization: Literal["none", "4bit", "8bit"] = Field("none", description="QLoRA: load the base model in "
                                                          "4 or 8 bits with bitsandbytes (extra `qlora`).")
    backend: Literal["transformers", "unsloth"] = Field("transformers", description="unsloth: Unsloth's fast "
                                                        "kernels (GPU only, extra `unsloth`).")
    launcher: Literal["none", "torchrun", "accelerate"] = Field("none", description="Re-launch as several "
                                                                "processes (data parallel) with torchrun or accelerate.")
    nproc: int = Field(2, ge=1, description="Processes for --launcher (one per GPU; on CPU, threads are split).")
    accelerate_config: str = Field("ddp", description="With --launcher accelerate: ddp, fsdp, deepspeed-zero3, "
                                   "or a path to an accelerate config file.", json_schema_extra=cli(advanced=True))
