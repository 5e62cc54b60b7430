"""The one place analyze touches torch: hidden states of the run's tuned model, as `embed` callables."""

from __future__ import annotations

from pathlib import Path


def model_embedders(run_dir: Path, speakers: list[str], layer: int | None = None) -> dict:
    """speaker -> embed(words): the tuned model's state at `layer` (default: the middle one) on the last token of
    the run's own prompt for that speaker (`persona.prompt(None, [], speaker)`) followed by the word."""
    from simulacra.engine import Persona

    persona = Persona(run_dir)
    tuned = persona.side("tuned")
    if layer is None:  # hidden_states[0] is the embeddings, so the middle of num_layers + 1 states
        layer = (persona.backend.model.config.num_hidden_layers + 1) // 2

    def embed_for(speaker: str):
        prompt = persona.prompt(None, [], speaker)
        return lambda words: tuned.hidden_states([prompt + persona.tokenizer.encode(w) for w in words], layer).numpy()

    return {who: embed_for(who) for who in speakers}
