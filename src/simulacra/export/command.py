"""`simulacra export RUN_DIR --merge [--out DIR]`: options come from ExportConfig; calls export.run."""

from __future__ import annotations

from simulacra.cli_options import Settings, settings_command
from simulacra.export.config import ExportConfig


@settings_command(ExportConfig)
def export(settings: Settings) -> None:
    """Export the tuned model: `--merge` folds the adapter into a standalone transformers model."""
    from simulacra.export import run

    run(settings.build())
