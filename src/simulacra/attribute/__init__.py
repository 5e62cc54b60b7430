"""Attribute stage: which training messages does a reply echo? Nearest messages by the model's activations.

    simulacra attribute runs/group --as "Ben Okafor" --query "anyone up for porto in june?"
      0.43  2024-06-29  Ben Okafor: wednesday night wall session if anyone fancies a video call ⏎ fancy watching ...
      0.41  2024-05-24  Ben Okafor: yeah fair ⏎ fancy watching the match in porto
      ...

The cache of message vectors lives in RUN/cache/ (see `simulacra.engine.attribution`); it is built on
first use and updated incrementally.
"""

from __future__ import annotations

from pathlib import Path

from simulacra.attribute.config import AttributeConfig
from simulacra.rundir import RunDir

__all__ = ["AttributeConfig", "run"]


def run(config: AttributeConfig) -> Path:
    from simulacra.engine import Persona
    from simulacra.engine.attribution import format_hit, nearest_training_messages
    from simulacra.ui import console, status

    run_dir = RunDir(config.run_dir)
    run_dir.require_weights()
    with status("Loading the tuned model"):
        persona = Persona(run_dir)
    speaker = persona.trained_speaker(config.speaker, "--as")
    results = nearest_training_messages(persona, [(speaker, q) for q in config.query], config.k, config.layer,
                                        config.batch_size)
    for q, hits in zip(config.query, results):
        console.print(f"\n[bold]{speaker}:[/] {q}", highlight=False)
        for hit in hits:
            console.print(format_hit(hit), highlight=False)
    return run_dir.cache
