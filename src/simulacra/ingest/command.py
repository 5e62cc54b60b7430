"""`simulacra ingest`: parse flags into an IngestConfig and call the stage."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from simulacra.config import build_config, parse_set
from simulacra.ingest.registry import FORMATS


def ingest(
    inputs: Optional[List[Path]] = typer.Argument(  # readable=False: the stage says which file and why
        None, readable=False,
        help="Export files or folders (WhatsApp .txt/.zip, Telegram result.json, Slack zip, ...)."),
    out: Optional[Path] = typer.Option(
        None, "-o", "--out", help="Run directory to write conversations.jsonl into (default runs/default)."),
    format: Optional[str] = typer.Option(
        None, "--format", help=f"Force a parser instead of detecting the format: {', '.join(FORMATS)}."),
    chat: Optional[List[str]] = typer.Option(
        None, "--chat", help="Keep only this chat, by name or id (Telegram account, Slack, Discord...; repeatable)."),
    alias: Optional[List[str]] = typer.Option(
        None, "--alias", help="Merge speaker names, e.g. --alias 'Ana B.=Ana' (repeatable)."),
    column: Optional[List[str]] = typer.Option(
        None, "--column", help="Generic CSV/JSONL: which field holds speaker/text/time/conversation, "
        "e.g. --column speaker=author (repeatable)."),
    list_speakers: bool = typer.Option(
        False, "--list-speakers", help="Print each speaker with message and word counts; write nothing."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings (flags override it)."),
    set: Optional[List[str]] = typer.Option(
        None, "--set", help="Override any setting: --set date_order=dmy (repeatable)."),
) -> None:
    """Read chat exports and write one normalised conversations.jsonl into the run directory."""
    from simulacra import ingest as stage
    from simulacra.ingest.config import IngestConfig, parse_aliases, parse_columns

    overrides = {"inputs": inputs or None, "out": out, "format": format, "chats": chat or None,
                 "aliases": parse_aliases(alias), "columns": parse_columns(column), **parse_set(set)}
    cfg = build_config(IngestConfig, yaml_path=config, overrides=overrides)
    if list_speakers:
        stage.list_speakers(cfg)
    else:
        stage.run(cfg)
