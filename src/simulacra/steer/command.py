"""`simulacra steer RUN NAME`: parse flags and call steer.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def steer(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    name: str = typer.Argument(..., help="Name of the vector (chat --steer NAME:STRENGTH)."),
    toward: Optional[list[str]] = typer.Option(None, "--toward", help="Text the vector points towards (repeatable)."),
    away: Optional[list[str]] = typer.Option(None, "--away", help="Text it points away from (repeatable)."),
    prompts_file: Optional[Path] = typer.Option(None, "--prompts-file", help="YAML mapping text: weight."),
    layer: Optional[int] = typer.Option(None, "--layer", help="Decoder layer counted from the last (-1)."),
    measure: bool = typer.Option(False, "--measure", help="Score replies' sentiment at several strengths."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Build a steering vector from contrast prompts (and measure it); use it with chat --steer NAME:STRENGTH."""
    from simulacra.steer import SteerConfig, run

    run(build_config(SteerConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "name": name, "toward": toward, "away": away, "prompts_file": prompts_file,
        "layer": layer, "measure": measure or None, **parse_set(set_)}))
