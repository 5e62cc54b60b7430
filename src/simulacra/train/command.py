"""`simulacra train RUN_DIR`: options come from TrainConfig; calls train.run."""

from __future__ import annotations

from simulacra.cli_options import Settings, settings_command
from simulacra.train.config import TrainConfig


@settings_command(TrainConfig)
def train(settings: Settings) -> None:
    """Fine-tune the base model (LoRA by default) on the chosen speakers' turns."""
    from simulacra.train import run

    run(settings.build())
