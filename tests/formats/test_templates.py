"""Every style's chat templates (Jinja, Go) and `prompt_messages` give exactly the training prefix."""

from __future__ import annotations

import pytest
from transformers import PreTrainedTokenizerFast

from formats.gotemplate import render as go_render
from simulacra.formats.messages import chat_names, prompt_messages, to_turns
from simulacra.formats.templates import go_template, jinja_template
from simulacra.schema import Turn

CHAT = [{"role": "user", "content": "where are you?"}, {"role": "user", "content": "hey 😂"},
        {"role": "assistant", "content": "on my way"}, {"role": "assistant", "content": "ngl i forgot"},
        {"role": "user", "content": "The weather is lovely."}]
# the same chat as prepare sees it: bursts merged with "\n" into one turn
HISTORY = [Turn("Ben", "where are you?\nhey 😂"), Turn("Ana", "on my way\nngl i forgot"),
           Turn("Ben", "The weather is lovely.")]
# Why two styles cannot be matched by any template (both would need new training ids, see docs/benchmarks.md):
SEGMENTS_SPACE = ("segments encodes the header 'Ben: ' apart from the text, so training has ':' 'Ġ' 'where'; "
                  "a whole-string tokenizer (transformers, llama.cpp, Ollama) makes ':' 'Ġwhere'")
SYSTEM_BREAK = ("segments/completion encode the system text with its '\\n\\n' alone, so a vocabulary with a 'ĊĊ' "
                "token (SmolLM2's) gives one token; in a whole string '\\n\\n' before a name is 'Ċ' 'Ċ' "
                "(the GPT-2 split's \\s+(?!\\S))")
CASES = {"plain": (CHAT, None), "first turn": (CHAT[:1], None), "empty": ([], None),
         "extra system": ([{"role": "system", "content": "Be brief."}] + CHAT, "Be brief."),
         "persona system repeated": (None, None)}


def _case(name, names):
    msgs, extra = CASES[name]
    if msgs is None:  # Ollama sends the Modelfile's SYSTEM (the persona text) as the first message
        msgs = [{"role": "system", "content": names.system or ""}] + CHAT
    return msgs, extra


def _expected(renderer, names, msgs, extra):
    history = HISTORY if len(msgs) >= len(CHAT) else ([Turn("Ben", "where are you?")] if msgs else [])
    system = "\n".join(filter(None, [names.system, extra])) or None
    return renderer.prompt(system, history, "Ana")


def _fast(renderer, template):
    fast = PreTrainedTokenizerFast(tokenizer_object=renderer.tok.tokenizer, eos_token=renderer.end)
    fast.chat_template = template
    return fast


@pytest.mark.parametrize("case", list(CASES))
def test_prompt_messages_give_the_training_prefix(renderer, case):
    names = chat_names(renderer, "Ana", "Ben", ["Ben", "Ana"])
    msgs, extra = _case(case, names)
    assert prompt_messages(renderer, msgs, "Ana", "Ben", ["Ben", "Ana"]) == _expected(renderer, names, msgs, extra)


@pytest.mark.parametrize("case", list(CASES))
def test_jinja_template_renders_the_training_prefix_in_transformers(renderer, case):
    names = chat_names(renderer, "Ana", "Ben", ["Ben", "Ana"])
    msgs, extra = _case(case, names)
    expected = _expected(renderer, names, msgs, extra)
    fast = _fast(renderer, jinja_template(renderer, names))
    if msgs:
        text = fast.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)
    else:  # apply_chat_template refuses an empty chat; render with its compiled template directly
        from transformers.utils.chat_template_utils import _compile_jinja_template

        text = _compile_jinja_template(fast.chat_template).render(messages=[], add_generation_prompt=True)
    assert text == renderer.tok.decode(expected)
    if renderer.style == "segments":
        pytest.xfail(SEGMENTS_SPACE)
    assert fast(text, add_special_tokens=False)["input_ids"] == expected


@pytest.mark.parametrize("case", list(CASES))
def test_go_template_renders_the_training_prefix(renderer, case):
    names = chat_names(renderer, "Ana", "Ben", ["Ben", "Ana"])
    msgs, extra = _case(case, names)
    messages = [{"Role": m["role"], "Content": m["content"]} for m in msgs]
    text = go_render(go_template(renderer, names), {"Messages": messages})
    assert text == renderer.tok.decode(_expected(renderer, names, msgs, extra))


def test_without_generation_prompt_the_jinja_template_closes_the_last_turn(renderer):
    names = chat_names(renderer, "Ana", "Ben", ["Ben", "Ana"])
    text = _fast(renderer, jinja_template(renderer, names)).apply_chat_template(CHAT[:3], tokenize=False)
    if renderer.style in ("roles", "speaker-tokens", "segments"):  # full turns, as render() writes them
        ids, _ = renderer.render(names.system, HISTORY[:1] + [Turn("Ana", "on my way")], set())
        assert text == renderer.tok.decode(ids)
    else:
        assert not text.endswith("Ana: ") and not text.endswith("Ana:")


def test_named_user_messages_speak_as_that_name():
    from conftest import build_tiny_tokenizer
    from simulacra.formats import ChatTokenizer, make_renderer

    renderer = make_renderer("roles", ChatTokenizer(build_tiny_tokenizer()))
    names = chat_names(renderer, "Ana", "Ben", ["Ana", "Ben", "Cy"])
    msgs = [{"role": "user", "name": "Cy", "content": "hi"}, {"role": "user", "content": "yo"}]
    system, turns = to_turns(msgs, names)
    assert system == "A chat between Ana, Ben and Cy." and turns == [Turn("Cy", "hi"), Turn("Ben", "yo")]
    text = _fast(renderer, jinja_template(renderer, names)).apply_chat_template(msgs, add_generation_prompt=True,
                                                                               tokenize=False)
    assert text == renderer.tok.decode(renderer.prompt(system, turns, "Ana"))


def _with_double_newline_token(tok):
    """The tiny tokenizer plus SmolLM2's 'ĊĊ' token (merge 'Ċ Ċ'), which the tiny corpus never learns."""
    import json

    from tokenizers import Tokenizer

    spec = json.loads(tok.to_str())
    spec["model"]["vocab"]["ĊĊ"] = tok.get_vocab_size()
    pair = ["Ċ", "Ċ"] if spec["model"]["merges"] and isinstance(spec["model"]["merges"][0], list) else "Ċ Ċ"
    spec["model"]["merges"].append(pair)
    return Tokenizer.from_str(json.dumps(spec))


@pytest.mark.parametrize("style", ["roles", "speaker-tokens", "instruct", "segments", "completion"])
def test_a_double_newline_token_only_splits_the_system_break_of_segments_and_completion(style):
    from conftest import build_tiny_tokenizer
    from simulacra.formats import ChatTokenizer, make_renderer

    tok = ChatTokenizer(_with_double_newline_token(build_tiny_tokenizer()))
    renderer = make_renderer(style, tok, speakers=["Ben", "Ana"], personas={"Ana": "29, nurse in Porto"})
    names = chat_names(renderer, "Ana", "Ben", ["Ben", "Ana"])
    msgs = CHAT[-1:]  # the system text, then one turn of Ben
    expected = renderer.prompt(names.system, [Turn("Ben", CHAT[-1]["content"])], "Ana")
    fast = _fast(renderer, jinja_template(renderer, names))
    text = fast.apply_chat_template(msgs, add_generation_prompt=True, tokenize=False)
    assert text == renderer.tok.decode(expected)
    whole = fast(text, add_special_tokens=False)["input_ids"]
    if style in ("segments", "completion"):
        assert tok.token_id("ĊĊ") in expected and tok.token_id("ĊĊ") not in whole, SYSTEM_BREAK
        pytest.xfail(SYSTEM_BREAK)
    assert whole == expected
