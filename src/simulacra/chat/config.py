"""Settings of the chat stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig


class ChatConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/.")
    persona: str | None = Field(None, description="Who the model speaks as (default: the trained speaker).")
    user: str | None = Field(None, description="Who you type as (default: the other participant who talks most).")
    base: bool = Field(False, description="Chat with the base model instead of the tuned one (for comparison).")
    max_new_tokens: int = Field(96, ge=1, description="Longest reply in tokens.")
    temperature: float = Field(0.8, ge=0, description="Sampling temperature (0: greedy).")
    top_p: float = Field(0.9, gt=0, le=1, description="Nucleus sampling threshold.")
    seed: int | None = Field(None, description="Seed for reproducible replies.")
    compare: bool = Field(False, description="Base and tuned both answer each line, one after the other.")
    engine: str = Field("auto", description="Decoder: auto (ctranslate2 when installed), torch or ctranslate2.")
    compute_type: str = Field("int8", description="CTranslate2 precision: int8 (fastest) or float32 (exact).")
    save: Path | None = Field(None, description="Write the transcript (JSONL, one turn a line) here on exit.")
