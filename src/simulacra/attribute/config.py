"""Settings of the attribute stage: which training messages a reply echoes."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig, cli


class AttributeConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/; the vector cache goes to RUN/cache/.",
                          json_schema_extra=cli(argument=True))
    query: list[str] = Field([], description="Text to attribute (repeatable); none: only build the cache.",
                             json_schema_extra=cli(metavar="TEXT"))
    speaker: str | None = Field(None, description="Who says the query (default: the trained speaker).",
                                json_schema_extra=cli("--as", metavar="NAME"))
    k: int = Field(5, ge=1, description="How many training messages to show per query.", json_schema_extra=cli(short="-k"))
    layer: int = Field(-4, lt=0, description="Decoder layer whose output is pooled, counted from the last (-1).",
                       json_schema_extra=cli(advanced=True))
    batch_size: int = Field(16, ge=1, description="Messages embedded per forward pass while building the cache.",
                            json_schema_extra=cli(advanced=True))
