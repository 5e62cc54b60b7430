"""`simulacra export RUN_DIR --merge [--out DIR]`: parse flags and call export.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def export(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    merge: bool = typer.Option(False, "--merge", help="Write a merged full model (no PEFT needed to load it)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: RUN_DIR/model/merged)."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Export the tuned model: `--merge` folds the adapter into a standalone transformers model."""
    from simulacra.export import ExportConfig, run

    cfg = build_config(ExportConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "merge": merge or None, "out": out, **parse_set(set_)})
    run(cfg)
