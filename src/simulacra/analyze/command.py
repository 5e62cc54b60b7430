"""`simulacra analyze RUN_DIR`: options come from AnalyzeConfig; calls analyze.run."""

from __future__ import annotations

from simulacra.analyze.config import AnalyzeConfig
from simulacra.cli_options import Settings, settings_command


@settings_command(AnalyzeConfig)
def analyze(settings: Settings) -> None:
    """Look at the chat before (and after) training: activity, reply times, lengths, sessions, words and emoji,
    the prepared dataset's token lengths; writes analysis/index.html and analysis.json."""
    from simulacra.analyze import run

    run(settings.build())
