"""`simulacra serve RUN [RUN ...]`: parse flags and call serve.run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from simulacra.config import build_config, parse_set


def serve(
    runs: list[Path] = typer.Argument(..., help="Run directories with a trained model/."),
    host: Optional[str] = typer.Option(None, help="Address to bind (default 127.0.0.1; others need --api-key)."),
    port: Optional[int] = typer.Option(None, help="Port to listen on (default 8000)."),
    api_key: Optional[str] = typer.Option(None, "--api-key", help="Bearer key required on every request "
                                          "(default: $SIMULACRA_API_KEY)."),
    cors_origin: Optional[list[str]] = typer.Option(None, "--cors-origin", help="Allow this browser origin (CORS)."),
    log_chats: Optional[Path] = typer.Option(None, "--log-chats", help="Append every chat to this JSONL file."),
    engine: Optional[str] = typer.Option(None, "--engine", help="torch (default) or vllm."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML file of settings."),
    set_: Optional[list[str]] = typer.Option(None, "--set", help="Any other setting as KEY=VALUE."),
) -> None:
    """Serve personas over an OpenAI-compatible API (/v1/chat/completions) with a web chat page at /."""
    from simulacra.serve import ServeConfig, run

    cfg = build_config(ServeConfig, yaml_path=config, overrides={
        "runs": runs, "host": host, "port": port, "api_key": api_key or os.environ.get("SIMULACRA_API_KEY") or None,
        "cors_origins": cors_origin or None, "log_chats": log_chats, "engine": engine, **parse_set(set_)})
    run(cfg)
