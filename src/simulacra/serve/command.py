"""`simulacra serve RUN [RUN ...]`: options come from ServeConfig; calls serve.run."""

from __future__ import annotations

import os

from simulacra.cli_options import Settings, settings_command
from simulacra.serve.config import ServeConfig


@settings_command(ServeConfig)
def serve(settings: Settings) -> None:
    """Serve personas over an OpenAI-compatible API (/v1/chat/completions) with a web chat page at /."""
    from simulacra.serve import run

    key = os.environ.get("SIMULACRA_API_KEY")
    run(settings.build(**({"api_key": key} if key and not settings.values.get("api_key") else {})))
