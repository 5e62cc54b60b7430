"""`simulacra evaluate RUN_DIR`: parse flags and call evaluate.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def evaluate(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    split: Optional[str] = typer.Option(None, help="test (default) or validation."),
    max_examples: Optional[int] = typer.Option(None, help="Score at most this many examples."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Measure how much more likely the person's real held-out words became, tuned vs base."""
    from simulacra.evaluate import EvaluateConfig, run

    cfg = build_config(EvaluateConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "split": split, "max_examples": max_examples, **parse_set(set_)})
    run(cfg)
