"""`simulacra demo`: the whole pipeline on the bundled sample and the embedded model."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def demo(
    run_dir: Optional[Path] = typer.Option(None, help="Run directory to write (default runs/demo)."),
    max_steps: Optional[int] = typer.Option(None, help="Cap on training steps, for a quicker look."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Ingest the sample chat, train the embedded model to talk like Mia, and compare it with the base model."""
    from simulacra.demo import DemoConfig, run

    run(build_config(DemoConfig, overrides={"run_dir": run_dir, "max_steps": max_steps, **parse_set(set_)}))
