"""`simulacra evaluate RUN_DIR`: parse flags and call evaluate.run (or compare, or the blind game)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set
from simulacra.errors import SimulacraError


def evaluate(
    run_dirs: list[Path] = typer.Argument(..., help="Run directory with a trained model/ (several with --compare)."),
    compare: bool = typer.Option(False, "--compare", help="Put the reports of several evaluated runs side by side."),
    blind: bool = typer.Option(False, "--blind", help="Play the blind game: spot the real reply among generated ones."),
    rounds: int = typer.Option(10, help="Rounds of the blind game."),
    memorisation: bool = typer.Option(False, "--memorisation",
                                      help="Privacy audit: verbatim completion of training turns, PII check."),
    split: Optional[str] = typer.Option(None, help="test (default) or validation."),
    max_examples: Optional[int] = typer.Option(None, help="Score at most this many examples."),
    max_moments: Optional[int] = typer.Option(None, help="Generate for at most this many held-out turns."),
    judge: Optional[str] = typer.Option(None, help="Blind judge: tuned (default), base, a local model, or none."),
    no_generate: bool = typer.Option(False, "--no-generate", help="Perplexity only: skip generating next turns."),
    seed: Optional[int] = typer.Option(None, help="Sampling seed."),
    engine: Optional[str] = typer.Option(None, "--engine", help="Decoder: auto, torch or ctranslate2."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Does the model sound like the person? Held-out perplexity, next-turn overlap, style, who-said-it and a
    blind judge, tuned vs base vs real; writes report/ (report.json and index.html)."""
    from simulacra.evaluate import EvaluateConfig, blind_game, compare as compare_runs, run

    if compare:
        if len(run_dirs) < 2:
            raise SimulacraError("--compare: name two or more run directories")
        compare_runs(run_dirs)
        return
    if len(run_dirs) != 1:
        raise SimulacraError("name one run directory (or use --compare for several)")
    cfg = build_config(EvaluateConfig, yaml_path=config, overrides={
        "run_dir": run_dirs[0], "split": split, "max_examples": max_examples, "max_moments": max_moments,
        "judge": judge, "engine": engine, "seed": seed, "memorisation": memorisation or None, "generate": False if no_generate else None,
        **parse_set(set_)})
    if blind:
        blind_game(cfg, rounds=rounds)
        return
    run(cfg)
