"""`simulacra analyze RUN_DIR`: parse flags and call analyze.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def analyze(
    run_dir: Path = typer.Argument(..., help="Run directory holding conversations.jsonl."),
    session_gap_minutes: Optional[float] = typer.Option(None, "--gap", help="Minutes of silence that start a new "
                                                        "session (default: prepare's, else 60)."),
    top_words: Optional[int] = typer.Option(None, "--top-words", help="Words and emoji listed per speaker."),
    emotions: Optional[bool] = typer.Option(None, "--emotions/--no-emotions", help="Emotion-word heatmaps from "
                                            "the tuned model (default: on when model/weights exists)."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Look at the chat before (and after) training: activity, reply times, lengths, sessions, words and emoji,
    the prepared dataset's token lengths; writes analysis/index.html and analysis.json."""
    from simulacra.analyze import AnalyzeConfig, run

    cfg = build_config(AnalyzeConfig, yaml_path=config, overrides={
        "run_dir": run_dir, "session_gap_minutes": session_gap_minutes, "top_words": top_words,
        "emotions": emotions, **parse_set(set_)})
    run(cfg)
