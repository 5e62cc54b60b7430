"""Per prompt style: the prompt the server builds from OpenAI messages is exactly the training prompt,
token for token (the ids of a training example before its first trained token)."""

from __future__ import annotations

import pytest

from simulacra.schema import write_conversations
from tests.conftest import two_friend_sessions

STYLES = ["roles", "speaker-tokens", "instruct", "segments", "completion"]


def served_without_weights(run_dir):
    """The serving view of a prepared run, with the renderer but no model (prompts only)."""
    from simulacra.engine.persona import Persona
    from simulacra.formats.render import renderer_for
    from simulacra.rundir import RunDir
    from simulacra.serve.personas import Served

    persona = Persona.__new__(Persona)
    persona.run = RunDir(run_dir)
    persona.spec, persona.tokenizer = persona.run.dataset_spec(), persona.run.tokenizer()
    persona.renderer = renderer_for(persona.spec, persona.tokenizer)
    return Served("run", persona, "Ana", "Ben", ["Ben", "Ana"], 512)


def trained_start(ex, style: str) -> int:
    """Index of the turn where the example's trained text starts."""
    ana = [i for i, t in enumerate(ex.turns) if t.speaker == "Ana"]
    if style != "instruct":
        return ana[0]
    k = ana[-1]
    while k > 0 and ex.turns[k - 1].speaker == "Ana":
        k -= 1
    return k


@pytest.mark.parametrize("style", STYLES)
def test_served_prompt_equals_the_training_prompt(style, tmp_path, tiny_model_dir):
    from simulacra.prepare import PrepareConfig
    from simulacra.prepare import run as prepare
    from simulacra.serve.api import _prompt
    from simulacra.serve.protocol import ChatRequest

    write_conversations(tmp_path / "conversations.jsonl", [two_friend_sessions(6)])
    prepare(PrepareConfig(run_dir=tmp_path, speakers=["Ana"], model=str(tiny_model_dir), style=style))
    model = served_without_weights(tmp_path)
    checked = 0
    for ex in model.persona.run.examples("train"):
        k = trained_start(ex, style)
        if k == 0:
            continue  # nothing before the reply: no request to compare
        messages = [{"role": "assistant" if t.speaker == "Ana" else "user", "content": t.text} for t in ex.turns[:k]]
        prompt, problem = _prompt(model, ChatRequest.model_validate({"model": "run", "messages": messages}))
        assert problem is None
        assert prompt == ex.input_ids[:ex.mask.index(1)], model.persona.tokenizer.decode(prompt)
        checked += 1
    assert checked >= 3
