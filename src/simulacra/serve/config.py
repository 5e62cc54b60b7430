"""Settings of the serve stage: which runs, where to listen, who may call, how much to queue."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig


class ServeConfig(StageConfig):
    runs: list[Path] = Field(description="Run directories with a trained model/ (one or more).")
    host: str = Field("127.0.0.1", description="Address to bind; any non-loopback address needs an API key.")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on (0: any free port).")
    api_key: str | None = Field(None, description="Bearer key every request must carry (or SIMULACRA_API_KEY).")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS (none by default).")
    log_chats: Path | None = Field(None, description="Append every chat (request and reply, JSONL) to this file.")
    engine: str = Field("torch", description="Inference engine: torch (in-process) or vllm (prints its command).")
    max_batch: int = Field(32, ge=1, description="Most sequences decoded together in one batched forward pass.")
    max_queue: int = Field(64, ge=1, description="Most sequences waiting or running; more are refused with 429.")
    batch_wait_ms: float = Field(5.0, ge=0, description="How long the worker waits to gather requests into a batch.")
    max_body_bytes: int = Field(1_000_000, ge=1, description="Largest request body; larger ones get 413.")
