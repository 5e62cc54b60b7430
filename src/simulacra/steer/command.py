"""`simulacra steer RUN NAME`: options come from SteerConfig; calls steer.run."""

from __future__ import annotations

from simulacra.cli_options import Settings, settings_command
from simulacra.steer.config import SteerConfig


@settings_command(SteerConfig)
def steer(settings: Settings) -> None:
    """Build a steering vector from contrast prompts (and --measure it); chat with --steer NAME:STRENGTH."""
    from simulacra.steer import run

    run(settings.build())
