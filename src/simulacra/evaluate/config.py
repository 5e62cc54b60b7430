"""Settings of the evaluate stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig


class EvaluateConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a prepared dataset/ and a trained model/.")
    split: str = Field("test", description="Which split to score: test (most recent sessions) or validation.")
    batch_size: int = Field(8, ge=1, description="Examples per forward pass.")
    max_examples: int = Field(0, ge=0, description="Score at most this many examples (0: all).")
