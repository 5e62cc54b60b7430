"""`simulacra attribute RUN --query TEXT`: parse flags and call attribute.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def attribute(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    query: Optional[list[str]] = typer.Option(None, "--query", help="Text to attribute (repeatable)."),
    k: Optional[int] = typer.Option(None, "-k", help="Training messages to show per query."),
    speaker: Optional[str] = typer.Option(None, "--as", help="Who says the query (default: the trained speaker)."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Which training messages does a reply echo? Nearest training messages by the model's own activations."""
    from simulacra.attribute import AttributeConfig, run

    run(build_config(AttributeConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "query": query, "k": k, "speaker": speaker, **parse_set(set_)}))
