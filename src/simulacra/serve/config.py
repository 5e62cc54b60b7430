"""Settings of the serve stage: which runs, where to listen, who may call, how much to queue."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from simulacra.config import StageConfig, cli


class ServeConfig(StageConfig):
    runs: list[Path] = Field(min_length=1, description="Run directories with a trained model/ (one or more).",
                             json_schema_extra=cli(argument=True))
    host: str = Field("127.0.0.1", description="Address to bind; any non-loopback address needs an API key.")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on (0: any free port).")
    api_key: str | None = Field(None, description="Bearer key every request must carry (default: "
                                "$SIMULACRA_API_KEY).")
    cors_origins: list[str] = Field(default_factory=list, description="An origin allowed by CORS (repeatable; none "
                                    "by default).", json_schema_extra=cli("--cors-origin"))
    log_chats: Path | None = Field(None, description="Append every chat (request and reply, JSONL) to this file.")
    engine: Literal["torch", "vllm"] = Field("torch", description="Inference engine: torch (in-process) or vllm "
                                             "(prints its command, runs it where vllm is installed).")
    max_batch: int = Field(32, ge=1, description="Most sequences decoded together in one batched forward pass.",
                           json_schema_extra=cli(advanced=True))
    max_queue: int = Field(64, ge=1, description="Most sequences waiting or running; more are refused with 429.",
                           json_schema_extra=cli(advanced=True))
    batch_wait_ms: float = Field(5.0, ge=0, description="How long the worker waits to gather requests into a batch.",
                                 json_schema_extra=cli(advanced=True))
    max_body_bytes: int = Field(1_000_000, ge=1, description="Largest request body; larger ones get 413.",
                                json_schema_extra=cli(advanced=True))
