"""Settings of the chat stage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from simulacra.config import StageConfig, cli
from simulacra.engine.sampling import sampling_field


class ChatConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/.", json_schema_extra=cli(argument=True))
    persona: str | None = Field(None, description="Who the model speaks as (default: the trained speaker).",
                          json_schema_extra=cli("--as", metavar="NAME"))
    user: str | None = Field(None, description="Who you type as (default: the other participant who talks most).",
                          json_schema_extra=cli(metavar="NAME"))
    base: bool = Field(False, description="Chat with the base model instead of the tuned one (for comparison).")
    max_new_tokens: int = sampling_field("max_new_tokens", 96)  # a chat reply may run longer than a test turn
    temperature: float = sampling_field("temperature", advanced=False)
    top_p: float = sampling_field("top_p")
    seed: int | None = Field(None, description="Seed for reproducible replies.")
    compare: bool = Field(False, description="Base and tuned both answer each line, one after the other.")
    engine: Literal["auto", "torch", "ctranslate2"] = Field(
        "auto", description="Decoder: auto (ctranslate2 when installed, torch when --steer or --tda need the "
        "model's hidden states), torch or ctranslate2.")
    compute_type: Literal["int8", "float32"] = Field("int8", description="CTranslate2 precision: int8 (fastest) or "
                                                     "float32 (exact).", json_schema_extra=cli(advanced=True))
    steer: list[str] = Field([], description="A steering vector made by `simulacra steer`, as NAME:STRENGTH "
                             "or NAME:STRENGTH@LAYER (repeatable; vectors add up).", json_schema_extra=cli(metavar="NAME:STRENGTH"))
    tda: int = Field(0, ge=0, description="Under each reply, show the K training messages whose activations are "
                     "closest (training-data attribution; 0: off).", json_schema_extra=cli(metavar="K"))
    save: Path | None = Field(None, description="Write the transcript (JSONL, one turn a line) here on exit.")
