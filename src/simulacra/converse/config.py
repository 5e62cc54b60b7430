"""Settings of the converse stage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from simulacra.config import StageConfig, cli
from simulacra.engine.sampling import sampling_field


class ConverseConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/ (trained --as all, or one person).",
                          json_schema_extra=cli(argument=True))
    with_run: Path | None = Field(None, description="A second one-person run: each run's persona speaks its own "
                                  "turns.", json_schema_extra=cli("--with", metavar="RUN"))
    between: list[str] | None = Field(None, description="Which trained members talk, e.g. \"Ana,Ben\" (default: "
                                      "all of them).", json_schema_extra=cli(metavar="NAMES"))
    opener: str | None = Field(None, description="First line of the conversation (default: a real held-out opening).")
    opener_speaker: str | None = Field(None, description="Who says the opener (default: the first member).")
    order: Literal["likeliest", "round-robin"] = Field(
        "likeliest", description="Who speaks next in groups: sampled from the model's header scores, or in turn.")
    turns: int = Field(8, ge=1, description="Generated turns (the opener not counted).")
    forever: bool = Field(False, description="Keep talking until Ctrl-C.")
    retries: int = Field(3, ge=0, description="Re-samples of a degenerate turn before the conversation stops.",
        json_schema_extra=cli(advanced=True))

    retry_heat: float = Field(0.3, ge=0, description="Temperature added at each re-sample of a degenerate turn.",
        json_schema_extra=cli(advanced=True))

    max_new_tokens: int = sampling_field("max_new_tokens", 64, description="Longest turn in tokens.")
    temperature: float = sampling_field("temperature", advanced=False)
    top_p: float = sampling_field("top_p")
    seed: int | None = Field(0, description="Seed for the speaker order and sampling.")
    engine: Literal["auto", "torch", "ctranslate2"] = Field(
        "auto", description="Decoder: auto (ctranslate2 when installed, torch when --steer or --tda need the "
        "model's hidden states), torch or ctranslate2.")
    compute_type: Literal["int8", "float32"] = Field("int8", description="CTranslate2 precision: int8 (fastest) or "
                                                     "float32 (exact).", json_schema_extra=cli(advanced=True))
    steer: list[str] = Field([], description="A steering vector made by `simulacra steer` (in each run's "
                             "steering/), as NAME:STRENGTH or NAME:STRENGTH@LAYER (repeatable; vectors add up).",
                             json_schema_extra=cli(metavar="NAME:STRENGTH"))
    tda: int = Field(0, ge=0, description="Under each turn, show the K training messages whose activations are "
                     "closest (training-data attribution; 0: off).", json_schema_extra=cli(metavar="K"))
    save: Path | None = Field(None, description="Write the conversation here (JSONL) and a Markdown copy beside it.")

    @field_validator("between", mode="before")
    @classmethod
    def _comma_separated(cls, v):
        """--between "Ana,Ben" (one value) or repeated --between: both give ["Ana", "Ben"]."""
        if isinstance(v, str):
            v = [v]
        if isinstance(v, (list, tuple)):
            v = [name.strip() for item in v for name in str(item).split(",") if name.strip()] or None
        return v
