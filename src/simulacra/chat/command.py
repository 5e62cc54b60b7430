"""`simulacra chat RUN_DIR`: parse flags and call chat.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def chat(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    persona: Optional[str] = typer.Option(None, "--as", help="Who the model speaks as (default: the trained speaker)."),
    user: Optional[str] = typer.Option(None, "--user", help="Who you type as."),
    base: bool = typer.Option(False, "--base", help="Use the base model, for comparison."),
    compare: bool = typer.Option(False, "--compare", help="Base and tuned both answer each line, one after the other."),
    temperature: Optional[float] = typer.Option(None, help="Sampling temperature (0: greedy)."),
    seed: Optional[int] = typer.Option(None, help="Seed for reproducible replies."),
    save: Optional[Path] = typer.Option(None, "--save", help="Write the transcript (JSONL) here."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Decoder: auto, torch or ctranslate2."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Chat with the tuned model: you type as one person, it answers as the trained speaker, streaming."""
    from simulacra.chat import ChatConfig, run

    cfg = build_config(ChatConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "persona": persona, "user": user, "base": base or None, "compare": compare or None,
        "temperature": temperature, "seed": seed, "save": save, "engine": engine, **parse_set(set_)})
    run(cfg)
