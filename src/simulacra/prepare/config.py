"""Settings of the prepare stage (saved as dataset/config.yaml so later stages reuse them)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from simulacra.config import StageConfig


class PrepareConfig(StageConfig):
    run_dir: Path = Field(description="Run directory holding conversations.jsonl; dataset/ is written here.")
    speakers: list[str] = Field(description="Speakers whose turns are trained (--as), or ['all'].")
    model: str = Field("smollm2-135m", description="Model whose tokenizer renders the data: the embedded "
                       "default, a local folder or a Hugging Face id.")
    session_gap_minutes: float = Field(60.0, gt=0, description="A pause longer than this starts a new session.")
    window_turns: int = Field(8, ge=1, description="At most this many turns per example.")
    max_seq_len: int = Field(384, ge=16, description="At most this many tokens per example; windows end at turn boundaries.")
    val_fraction: float = Field(0.1, ge=0, lt=0.5, description="Share of sessions for validation (the ones before test).")
    test_fraction: float = Field(0.1, gt=0, lt=0.5, description="Share of sessions for test (the most recent ones).")
    system_prompt: str | None = Field(None, description="System text at the start of every example; "
                                      "default: 'A chat between <participants>.'")
    kinds: list[str] = Field(["text"], description="Message kinds kept as turns; the rest are counted and skipped.")

    @field_validator("speakers")
    @classmethod
    def _not_empty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("name at least one speaker, or 'all'")
        return v
