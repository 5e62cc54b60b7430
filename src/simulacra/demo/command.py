"""`simulacra demo`: the whole pipeline on the bundled sample and the embedded model."""

from __future__ import annotations

from simulacra.cli_options import Settings, settings_command
from simulacra.demo.config import DemoConfig


@settings_command(DemoConfig)
def demo(settings: Settings) -> None:
    """Ingest the sample chat, train the embedded model to talk like Mia, and compare it with the base model."""
    from simulacra.demo import run

    run(settings.build())
