"""`simulacra converse RUN_DIR`: parse flags and call converse.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def converse(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    with_run: Optional[Path] = typer.Option(None, "--with", help="A second one-person run to talk with."),
    between: Optional[str] = typer.Option(None, "--between", help="Which members talk, e.g. \"Ana,Ben\"."),
    opener: Optional[str] = typer.Option(None, "--opener", help="First line (default: a real held-out opening)."),
    opener_speaker: Optional[str] = typer.Option(None, "--opener-speaker", help="Who says the opener."),
    order: Optional[str] = typer.Option(None, "--order", help="Groups: likeliest (default) or round-robin."),
    turns: Optional[int] = typer.Option(None, "--turns", help="Generated turns."),
    forever: bool = typer.Option(False, "--forever", help="Keep talking until Ctrl-C."),
    temperature: Optional[float] = typer.Option(None, help="Sampling temperature (0: greedy)."),
    seed: Optional[int] = typer.Option(None, help="Seed for the speaker order and sampling."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Decoder: auto, torch or ctranslate2."),
    save: Optional[Path] = typer.Option(None, "--save", help="Write JSONL here and a Markdown copy beside it."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Let the simulated people talk: the model plays every side, streaming each turn."""
    from simulacra.converse import ConverseConfig, run

    names = [n.strip() for n in between.split(",") if n.strip()] if between else None
    cfg = build_config(ConverseConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "with_run": with_run, "between": names, "opener": opener,
        "opener_speaker": opener_speaker, "order": order, "turns": turns, "forever": forever or None,
        "temperature": temperature, "seed": seed, "engine": engine, "save": save, **parse_set(set_)})
    run(cfg)
