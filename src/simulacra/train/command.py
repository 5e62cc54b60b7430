"""`simulacra train RUN_DIR`: parse flags and call train.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def train(
    run_dir: Path = typer.Argument(..., help="Run directory with a prepared dataset/."),
    model: Optional[str] = typer.Option(None, help="Base model (default: the one used by prepare)."),
    method: Optional[str] = typer.Option(None, help="lora or full."),
    epochs: Optional[float] = typer.Option(None, help="Passes over the training split."),
    max_steps: Optional[int] = typer.Option(None, help="Stop after this many steps (overrides --epochs)."),
    learning_rate: Optional[float] = typer.Option(None, "--lr", help="Peak learning rate."),
    batch_size: Optional[int] = typer.Option(None, help="Examples per step."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the latest checkpoint."),
    preset: Optional[str] = typer.Option(None, help="Model preset: smollm2-135m, qwen2.5-0.5b, qwen2.5-7b, "
                                         "llama-3.1-8b, mistral-7b, gemma-3-27b-it."),
    lora_r: Optional[int] = typer.Option(None, "--lora-r", help="LoRA rank."),
    quantization: Optional[str] = typer.Option(None, help="QLoRA: 4bit or 8bit (bitsandbytes, extra `qlora`)."),
    backend: Optional[str] = typer.Option(None, help="transformers (default) or unsloth (GPU only)."),
    packing: Optional[bool] = typer.Option(None, "--packing/--no-packing", help="Pack examples into rows (default on)."),
    launcher: Optional[str] = typer.Option(None, help="torchrun or accelerate: run --nproc data-parallel processes."),
    nproc: Optional[int] = typer.Option(None, help="Processes for --launcher."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE (see TrainConfig)."),
) -> None:
    """Fine-tune the base model (LoRA by default) on the chosen speakers' turns."""
    from simulacra.train import TrainConfig, run

    cfg = build_config(TrainConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "model": model, "method": method, "epochs": epochs, "max_steps": max_steps,
        "learning_rate": learning_rate, "batch_size": batch_size, "resume": resume or None, "preset": preset,
        "lora_r": lora_r, "quantization": quantization, "backend": backend, "packing": packing,
        "launcher": launcher, "nproc": nproc, **parse_set(set_)})
    run(cfg)
