"""`simulacra export RUN_DIR --format merged|gguf|ollama|hub [--quant Q] [--out DIR]`: parse flags, call export.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def export(
    run_dir: Path = typer.Argument(..., help="Run directory with a trained model/."),
    format_: Optional[str] = typer.Option(None, "--format", "-f", help="merged | gguf | ollama | hub."),
    merge: bool = typer.Option(False, "--merge", help="Alias of --format merged."),
    quant: Optional[str] = typer.Option(None, "--quant", help="GGUF weight type: f32 | f16 | q8_0 (default) | q4_0."),
    persona: Optional[str] = typer.Option(None, "--persona", help="Trained speaker to answer as (several trained)."),
    user: Optional[str] = typer.Option(None, "--user", help="Who the user speaks as (default: main partner)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: RUN_DIR/export/<format>)."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Export the tuned model: a merged transformers folder, a GGUF, an Ollama Modelfile or a hub-ready folder."""
    from simulacra.export import ExportConfig, run

    cfg = build_config(ExportConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "format": format_, "merge": merge or None, "quant": quant, "persona": persona,
        "user": user, "out": out, **parse_set(set_)})
    run(cfg)
