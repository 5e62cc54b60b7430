"""`simulacra attribute RUN --query TEXT`: options come from AttributeConfig; calls attribute.run."""

from __future__ import annotations

from simulacra.attribute.config import AttributeConfig
from simulacra.cli_options import Settings, settings_command


@settings_command(AttributeConfig)
def attribute(settings: Settings) -> None:
    """Which training messages does a reply echo? The nearest training messages by the model's own activations."""
    from simulacra.attribute import run

    run(settings.build())
