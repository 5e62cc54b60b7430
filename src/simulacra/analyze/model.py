"""The one place analyze touches torch: hidden states of the run's tuned model, as `embed` callables."""

from __future__ import annotations

from pathlib import Path


def model_embedders(run_dir: Path, speakers: list[str], layer: int | None = None) -> dict:
    """speaker -> embed(words): the tuned model's state at `layer` (default: the middle one) on the last token of
    the run's own prompt for that speaker (`persona.prompt(None, [], speaker)`) followed by the word."""
    import numpy as np
    import torch

    from simulacra.models.persona import Persona

    persona = Persona(run_dir)

    def embed_for(speaker: str):
        prompt = persona.prompt(None, [], speaker)

        def embed(words: list[str]):
            rows = []
            for word in words:
                ids = torch.tensor([prompt + persona.tokenizer.encode(word)], device=persona.model.device)
                with torch.no_grad():
                    states = persona.model(input_ids=ids, output_hidden_states=True).hidden_states
                rows.append(states[len(states) // 2 if layer is None else layer][0, -1].float().cpu().numpy())
            return np.stack(rows)

        return embed

    return {who: embed_for(who) for who in speakers}
