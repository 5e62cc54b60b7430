"""`simulacra ingest INPUTS`: options come from IngestConfig; calls the stage (or lists speakers)."""

from __future__ import annotations

import typer

from simulacra.cli_options import Settings, settings_command
from simulacra.ingest.config import IngestConfig


@settings_command(IngestConfig)
def ingest(
    settings: Settings,
    list_speakers: bool = typer.Option(
        False, "--list-speakers", help="Print each speaker with message and word counts; write nothing."),
) -> None:
    """Read chat exports and write one normalised conversations.jsonl into the run directory."""
    from simulacra import ingest as stage

    cfg = settings.build()
    if list_speakers:
        stage.list_speakers(cfg)
    else:
        stage.run(cfg)
