"""OpenAI messages -> turns: who speaks, merging, system text; the prompt is exactly the training one."""

from __future__ import annotations

from simulacra.schema import Turn
from simulacra.serve.messages import system_text, to_turns


def test_user_is_the_other_person_and_consecutive_messages_merge():
    conv = to_turns([{"role": "system", "content": "Be brief."},
                     {"role": "user", "content": "hi"}, {"role": "user", "content": " you there? "},
                     {"role": "assistant", "content": "yes"}, {"role": "assistant", "content": "omg"},
                     {"role": "user", "name": "Cy", "content": "me too"}], speaker="Ana", user="Ben")
    assert conv.history == [Turn("Ben", "hi\nyou there?"), Turn("Ana", "yes\nomg"), Turn("Cy", "me too")]
    assert conv.system_extra == "Be brief."


def test_named_assistant_and_empty_messages():
    conv = to_turns([{"role": "user", "content": "a"}, {"role": "assistant", "name": "Ben", "content": "b"},
                     {"role": "assistant", "content": ""}, {"role": "assistant", "content": "c"}], "Ana", "Ben")
    assert conv.history == [Turn("Ben", "a\nb"), Turn("Ana", "c")]
    assert conv.system_extra is None


def test_system_text_appends():
    assert system_text("A chat between Ben and Ana.", "Be brief.") == "A chat between Ben and Ana.\nBe brief."
    assert system_text(None, None) is None


def test_prompt_is_the_training_prompt(served, model_id):
    """The served prompt equals the renderer's training prompt for the same turns (style `roles` here)."""
    from simulacra.serve.api import _prompt
    from simulacra.serve.protocol import ChatRequest

    model = served[model_id]
    req = ChatRequest.model_validate({"model": model_id, "messages": [
        {"role": "user", "content": "hi"}, {"role": "user", "content": "there"}, {"role": "assistant", "content": "yo"},
        {"role": "user", "content": "lunch?"}]})
    prompt, problem = _prompt(model, req)
    assert problem is None
    history = [Turn("Ben", "hi\nthere"), Turn("Ana", "yo"), Turn("Ben", "lunch?")]
    r = model.persona.renderer
    assert prompt == r.prompt(r.system_text("A chat between Ben and Ana.", ["Ben", "Ana"]), history, "Ana")
    text = model.persona.tokenizer.decode(prompt)
    assert text.endswith("<|im_start|>Ben\nlunch?<|im_end|>\n<|im_start|>Ana\n")
