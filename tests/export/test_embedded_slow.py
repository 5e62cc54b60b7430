"""Slow tier: GGUF export of the real embedded SmolLM2-135M after two LoRA steps with speaker tokens."""

from __future__ import annotations

import importlib.util

import pytest

from conftest import two_friend_sessions
from export.helpers import compare_logits, held_out_ids, load_gguf
from simulacra import export
from simulacra.schema import write_conversations

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from simulacra import prepare, train

    folder = tmp_path_factory.mktemp("embedded-export")
    write_conversations(folder / "conversations.jsonl", [two_friend_sessions(20)])
    prepare.run(prepare.PrepareConfig(run_dir=folder, speakers=["Ana"], style="speaker-tokens", max_seq_len=128))
    train.run(train.TrainConfig(run_dir=folder, max_steps=2, batch_size=2, learning_rate=5e-4, save_steps=100))
    return folder


@pytest.fixture(scope="module")
def merged(run):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(export.run(export.ExportConfig(run_dir=run, format="merged"))).eval()


@pytest.fixture(scope="module")
def f32(run):
    return export.run(export.ExportConfig(run_dir=run, format="gguf", quant="f32", out=run / "export" / "gguf-f32"))


def test_f32_and_q8_0_match_the_merged_model(run, merged, f32):
    prompts = held_out_ids(run, limit=4)
    model, _ = load_gguf(f32)
    worst, agree = compare_logits(merged, model, prompts)
    assert worst < 1e-4 and agree == 1.0
    model, _ = load_gguf(export.run(export.ExportConfig(run_dir=run, format="gguf", quant="q8_0")))
    _, agree = compare_logits(merged, model, prompts)
    assert agree >= 0.99


def test_vocabulary_and_template_on_the_real_tokenizer(run, f32):
    from simulacra.formats.render import renderer_for
    from simulacra.prepare.dataset import load_prepare_config, load_tokenizer
    from simulacra.schema import Turn

    _, tok = load_gguf(f32)
    run_tok = load_tokenizer(run)
    for name in ("[Ana]", "[Ben]", "<|im_end|>"):
        assert tok.encode(name, add_special_tokens=False) == [run_tok.token_id(name)]
    renderer = renderer_for(load_prepare_config(run), run_tok)
    chat = [{"role": "user", "content": "Shall we meet at noon on Saturday? (3)"},
            {"role": "assistant", "content": "omg lol"}, {"role": "assistant", "content": "on my way"},
            {"role": "user", "content": "The weather is lovely."}]
    ids = tok.apply_chat_template(chat, add_generation_prompt=True, tokenize=True)
    ids = ids["input_ids"] if hasattr(ids, "keys") else ids
    history = [Turn("Ben", chat[0]["content"]), Turn("Ana", "omg lol\non my way"), Turn("Ben", chat[3]["content"])]
    assert list(ids) == renderer.prompt(renderer.system_text(None, ["Ben", "Ana"]), history, "Ana")


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                    reason="llama-cpp-python is not installed (pip install simulacra[llamacpp])")
def test_llama_cpp_runs_the_file_and_decodes_like_transformers(run, merged, f32):
    import torch
    from llama_cpp import Llama

    prompt = held_out_ids(run, limit=1)[0][:40]
    with torch.no_grad():
        expected = merged.generate(torch.tensor([prompt]), max_new_tokens=12, do_sample=False)[0, len(prompt):]
    llm = Llama(model_path=str(next(f32.glob("*.gguf"))), n_ctx=512, n_threads=2, verbose=False)
    got = []
    for token in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
        got.append(token)
        if len(got) == len(expected) or token == llm.token_eos():
            break
    assert got == expected.tolist()[:len(got)] and len(got) >= 1
