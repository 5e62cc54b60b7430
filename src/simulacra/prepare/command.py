"""`simulacra prepare RUN_DIR --as NAME`: parse flags and call prepare.run."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def prepare(
    run_dir: Path = typer.Argument(..., help="Run directory holding conversations.jsonl."),
    speakers: Optional[list[str]] = typer.Option(None, "--as", help="Speaker to train (repeat for several, or 'all')."),
    model: Optional[str] = typer.Option(None, help="Model (embedded default, folder or Hugging Face id)."),
    session_gap_minutes: Optional[float] = typer.Option(None, "--gap", help="Minutes of silence that start a new session."),
    max_seq_len: Optional[int] = typer.Option(None, help="Longest example in tokens."),
    style: Optional[str] = typer.Option(None, help="roles (default), speaker-tokens, instruct, segments or completion."),
    persona: Optional[list[str]] = typer.Option(None, "--persona", help="'Name: description' added to the system "
                                                "text (repeat per speaker)."),
    persona_file: Optional[Path] = typer.Option(None, "--persona-file", help="Text file used as the system prompt."),
    windows: Optional[str] = typer.Option(None, help="greedy (as many turns as fit) or random (seeded lengths)."),
    min_turns: Optional[int] = typer.Option(None, "--min-turns", help="Fewest turns in a random window."),
    window_turns: Optional[int] = typer.Option(None, "--max-turns", help="Most turns in a window."),
    seed: Optional[int] = typer.Option(None, help="Seed of the random windows."),
    no_scrub: bool = typer.Option(False, "--no-scrub", help="Keep phone numbers, e-mails, cards, IBANs and secret URLs."),
    block_word: Optional[list[str]] = typer.Option(None, "--block-word", help="A word always replaced by <REDACTED> "
                                                   "(repeat for several)."),
    preview: int = typer.Option(0, help="Print this many training examples with trained tokens highlighted."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Split into sessions and windows, render with a loss mask on the chosen speakers, split by time."""
    from simulacra.prepare import PrepareConfig, run
    from simulacra.rundir import RunDir
    from simulacra.prepare.preview import print_preview

    saved = _saved_settings(run_dir) if not speakers else {}
    cfg = build_config(PrepareConfig, yaml_path=config, base=saved, overrides={
        "run_dir": run_dir, "speakers": speakers, "model": model, "session_gap_minutes": session_gap_minutes,
        "max_seq_len": max_seq_len, "style": style, "personas": persona, "persona_file": persona_file,
        "windows": windows, "min_window_turns": min_turns, "window_turns": window_turns, "seed": seed,
        "scrub": [] if no_scrub else None, "block_words": block_word, **parse_set(set_)})
    out = run(cfg)
    if preview:
        prepared = RunDir(out.parent)
        print_preview(prepared.examples("train"), prepared.tokenizer(), preview)


def _saved_settings(run_dir: Path) -> dict:
    """Re-running prepare on a run directory reuses its last settings, so --as need not be retyped."""
    import yaml

    saved = run_dir / "dataset" / "config.yaml"
    return yaml.safe_load(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
