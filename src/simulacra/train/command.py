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
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE (see TrainConfig)."),
) -> None:
    """Fine-tune the base model (LoRA by default) on the chosen speakers' turns."""
    from simulacra.train import TrainConfig, run

    cfg = build_config(TrainConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "model": model, "method": method, "epochs": epochs, "max_steps": max_steps,
        "learning_rate": learning_rate, "batch_size": batch_size, "resume": resume or None, **parse_set(set_)})
    run(cfg)
