"""Attribute stage: which training messages does a reply echo? Nearest messages by the model's activations.

    simulacra attribute runs/ana --query "omg the cat ate my sock"
      0.93  2024-03-02  Ana  she ate my sock lol 💀
      ...

The cache of message vectors lives in RUN/cache/ (see `simulacra.engine.attribution`); it is built on
first use and updated incrementally.
"""

from __future__ import annotations

from pathlib import Path

from simulacra.attribute.config import AttributeConfig
from simulacra.rundir import RunDir

__all__ = ["AttributeConfig", "run", "attribute_texts"]


def run(config: AttributeConfig) -> Path:
    from simulacra.engine import Persona
    from simulacra.ui import console, status

    run_dir = RunDir(config.run_dir)
    run_dir.require_weights()
    with status("Loading the tuned model"):
        persona = Persona(run_dir)
    speaker = config.speaker or persona.speakers[0]
    results = attribute_texts(persona, [(speaker, q) for q in config.query], config.k, config.layer,
                              config.batch_size)
    for q, hits in zip(config.query, results):
        console.print(f"\n[bold]{speaker}:[/] {q}", highlight=False)
        for hit in hits:
            console.print(format_hit(hit), highlight=False)
    return run_dir.cache


def attribute_texts(persona, items: list[tuple[str, str]], k: int, layer: int, batch_size: int = 16) -> list[list[dict]]:
    """For each (speaker, text): the k nearest training messages as {score, speaker, time, text, conversation}."""
    from simulacra.engine.attribution import build_cache, embed, search
    from simulacra.ui import console, progress

    with progress() as bar:
        task = bar.add_task("Embedding training messages (cached after the first run)", total=None, info="")
        cache, added = build_cache(persona, layer, batch_size, on_batch=lambda n: bar.advance(task, n))
    if added:
        console.print(f"[green]✓[/] {added} training messages embedded → {cache.folder}")
    if not items:
        return []
    records = cache.records()
    dim = int(persona.backend.model.config.hidden_size)
    out = []
    for vector in embed(persona, items, layer, batch_size):
        out.append([{**records[row], "score": score} for row, score in search(cache, vector, k, dim)])
    return out


def format_hit(hit: dict) -> str:
    date = (hit.get("time") or "")[:10] or "no date"
    text = hit["text"].replace("\n", " ⏎ ")
    return f"  {hit['score']:.2f}  {date}  {hit['speaker']}: {text[:100]}"
