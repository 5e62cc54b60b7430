"""OpenAI messages -> turns: who speaks, merging, system text; the prompt is exactly the training one."""

from __future__ import annotations

from simulacra.formats.messages import ChatNames, to_turns as formats_to_turns
from simulacra.schema import Turn


def to_turns(messages, speaker, user):
    """What serve asks of the shared function: named assistants, stripped text, empty messages skipped."""
    return formats_to_turns(messages, ChatNames(speaker, user, None), assistant_names=True, clean=True)


def test_user_is_the_other_person_and_consecutive_messages_merge():
    extra, history = to_turns([{"role": "system", "content": "Be brief."},
                     {"role": "user", "content": "hi"}, {"role": "user", "content": " you there? "},
                     {"role": "assistant", "content": "yes"}, {"role": "assistant", "content": "omg"},
                     {"role": "user", "name": "Cy", "content": "me too"}], speaker="Ana", user="Ben")
    assert history == [Turn("Ben", "hi\nyou there?"), Turn("Ana", "yes\nomg"), Turn("Cy", "me too")]
    assert extra == "Be brief."


def test_named_assistant_and_empty_messages():
    extra, history = to_turns([{"role": "user", "content": "a"}, {"role": "assistant", "name": "Ben", "content": "b"},
                     {"role": "assistant", "content": ""}, {"role": "assistant", "content": "c"}], "Ana", "Ben")
    assert history == [Turn("Ben", "a\nb"), Turn("Ana", "c")]
    assert extra is None


def test_the_template_defaults_keep_text_as_sent_and_the_assistant_as_the_persona():
    """Exported chat templates see only role and content: the defaults follow them, not the server."""
    names = ChatNames("Ana", "Ben", "A chat between Ben and Ana.")
    system, history = formats_to_turns([{"role": "system", "content": "A chat between Ben and Ana."},
                                        {"role": "user", "content": " a "}, {"role": "assistant", "name": "Ben",
                                        "content": "b"}, {"role": "assistant", "content": ""}], names)
    assert system == "A chat between Ben and Ana." and history == [Turn("Ben", " a "), Turn("Ana", "b\n")]


def test_system_messages_add_lines(served, model_id):
    from simulacra.serve.api import _prompt
    from simulacra.serve.protocol import ChatRequest

    model = served[model_id]
    req = ChatRequest.model_validate({"model": model_id, "messages": [
        {"role": "system", "content": " Be brief. "}, {"role": "developer", "content": ""},
        {"role": "user", "content": "hi"}]})
    r = model.persona.renderer
    system = r.system_text("A chat between Ben and Ana.\nBe brief.", ["Ben", "Ana"])
    assert _prompt(model, req) == (r.prompt(system, [Turn("Ben", "hi")], "Ana"), None)


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
