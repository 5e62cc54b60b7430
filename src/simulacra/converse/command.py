"""`simulacra converse RUN_DIR`: options come from ConverseConfig; calls converse.run."""

from __future__ import annotations

from simulacra.cli_options import Settings, settings_command
from simulacra.converse.config import ConverseConfig


@settings_command(ConverseConfig)
def converse(settings: Settings) -> None:
    """Let the simulated people talk: the model plays every side, streaming each turn."""
    from simulacra.converse import run

    run(settings.build())
