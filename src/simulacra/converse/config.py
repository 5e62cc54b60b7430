"""Settings of the converse stage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from simulacra.config import StageConfig


class ConverseConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/ (trained --as all, or one person).")
    with_run: Path | None = Field(None, description="A second one-person run: each run's persona speaks its own turns.")
    between: list[str] | None = Field(None, description="Which trained members talk (default: all of them).")
    opener: str | None = Field(None, description="First line of the conversation (default: a real held-out opening).")
    opener_speaker: str | None = Field(None, description="Who says the opener (default: the first member).")
    order: Literal["likeliest", "round-robin"] = Field(
        "likeliest", description="Who speaks next in groups: sampled from the model's header scores, or in turn.")
    turns: int = Field(8, ge=1, description="Generated turns (the opener not counted).")
    forever: bool = Field(False, description="Keep talking until Ctrl-C.")
    retries: int = Field(3, ge=0, description="Re-samples of a degenerate turn before the conversation stops.")
    retry_heat: float = Field(0.3, ge=0, description="Temperature added at each re-sample of a degenerate turn.")
    max_new_tokens: int = Field(64, ge=1, description="Longest turn in tokens.")
    temperature: float = Field(0.8, ge=0, description="Sampling temperature (0: greedy).")
    top_p: float = Field(0.9, gt=0, le=1, description="Nucleus sampling threshold.")
    seed: int | None = Field(0, description="Seed for the speaker order and sampling.")
    engine: str = Field("auto", description="Decoder: auto (ctranslate2 when installed), torch or ctranslate2.")
    compute_type: str = Field("int8", description="CTranslate2 precision: int8 (fastest) or float32 (exact).")
    save: Path | None = Field(None, description="Write the conversation here (JSONL) and a Markdown copy beside it.")
