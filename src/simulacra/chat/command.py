"""`simulacra chat RUN_DIR`: options come from ChatConfig; calls chat.run."""

from __future__ import annotations

from simulacra.chat.config import ChatConfig
from simulacra.cli_options import Settings, settings_command


@settings_command(ChatConfig)
def chat(settings: Settings) -> None:
    """Chat with the tuned model: you type as one person, it answers as the trained speaker, streaming."""
    from simulacra.chat import run

    run(settings.build())
