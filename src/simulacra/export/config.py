"""Settings of the export stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig, cli


class ExportConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/.", json_schema_extra=cli(argument=True))
    merge: bool = Field(False, description="Fold the LoRA adapter into the base weights and write a full model "
                        "folder that transformers loads without PEFT.")
    out: Path | None = Field(None, description="Where to write it (default: RUN_DIR/model/merged).")
