"""Settings of the demo: the whole pipeline on the bundled sample chat and the embedded model."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig, cli

# The bundled sample lives in the repository's examples/ folder.
SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "sample_chat" / "result.json"


class DemoConfig(StageConfig):
    input: Path = Field(SAMPLE, description="Chat export to learn from (default: the bundled synthetic sample).",
                          json_schema_extra=cli(advanced=True))
    run_dir: Path = Field(Path("runs/demo"), description="Run directory to write.")
    speaker: str = Field("Mia Chen", description="The person the model learns to speak as.")
    epochs: float = Field(1.0, gt=0, description="Passes over the training split.")
    max_steps: int = Field(0, ge=0, description="Cap on training steps (0: use epochs).")
    learning_rate: float = Field(5e-4, gt=0, description="LoRA learning rate (high: one short epoch).",
                          json_schema_extra=cli("--lr"))
    eval_moments: int = Field(32, ge=0, description="Held-out turns generated for the evaluation report (0: all); "
                              "32 keeps the demo within its time budget on a 2-core CPU.",
                          json_schema_extra=cli(advanced=True))
    exchanges: int = Field(3, ge=0, description="Held-out moments to show: real reply, base reply, tuned reply.",
                          json_schema_extra=cli(advanced=True))
