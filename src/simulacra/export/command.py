"""`simulacra export RUN_DIR --format merged|gguf|ollama|hub`: options come from ExportConfig; calls export.run."""

from __future__ import annotations

from simulacra.cli_options import Settings, settings_command
from simulacra.export.config import ExportConfig


@settings_command(ExportConfig)
def export(settings: Settings) -> None:
    """Export the tuned model: a merged transformers folder, a GGUF, an Ollama Modelfile or a hub-ready folder."""
    from simulacra.export import run

    run(settings.build())
