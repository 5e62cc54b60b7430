"""Train engine on the tiny model: speaker tokens, early stop, samples, presets, optional backends' errors."""

from __future__ import annotations

import math
from datetime import datetime

import orjson
import pytest
import torch

from simulacra import prepare, train
from simulacra.errors import SimulacraError
from simulacra.schema import write_conversations
from tests.conftest import make_chat, two_friend_sessions


def _prepare(run_dir, model_dir, **kw):
    prepare.run(prepare.PrepareConfig(run_dir=run_dir, speakers=kw.pop("speakers", ["Ana"]), model=str(model_dir), **kw))
    return run_dir


def _train(run_dir, **kw):
    settings = dict(run_dir=run_dir, max_steps=2, batch_size=4, learning_rate=1e-2, logging_steps=1, save_steps=100)
    return train.run(train.TrainConfig(**(settings | kw)))


def test_speaker_tokens_start_at_the_mean_of_the_name_and_are_trained(small_run, tiny_model_dir):
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM

    from simulacra.models.load import grow_embeddings
    from simulacra.rundir import RunDir
    from simulacra.train.model import init_speaker_tokens

    _prepare(small_run, tiny_model_dir, style="speaker-tokens")
    tok, prep = RunDir(small_run).tokenizer(), RunDir(small_run).dataset_spec()
    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    assert grow_embeddings(model, len(tok))
    ids = init_speaker_tokens(model, tok, prep.speaker_tokens)
    emb = model.get_input_embeddings().weight
    ana = tok.token_id("[Ana]")
    assert ana in ids and torch.allclose(emb[ana], emb[tok.encode("Ana")].mean(0))

    out = _train(small_run)
    adapter = load_file(out / "weights" / "adapter_model.safetensors")
    rows = {name: t for name, t in adapter.items() if "embed_tokens" in name}
    # Only the added rows travel with the adapter (not the whole matrix), and they trained.
    [(name, delta)] = rows.items()
    assert "trainable_tokens_delta" in name and delta.shape[0] == len(prep.speaker_tokens) == 2
    first_new = len(tok) - 2
    assert not torch.allclose(delta[ana - first_new], emb[ana])  # moved away from its initial mean

    from simulacra.engine import Persona, Sampling
    from simulacra.schema import Turn

    persona = Persona(small_run)
    prompt = persona.renderer.prompt(None, [Turn("Ben", "where are you")], "Ana")
    assert prompt[-1] == ana  # generation is prompted exactly like training
    reply = persona.side("tuned").reply(None, [Turn("Ben", "where are you")], "Ana", Sampling(max_new_tokens=4))
    assert isinstance(reply, str)


def test_early_stop_on_a_flat_validation_loss_and_samples_are_written(small_run, tiny_model_dir):
    _prepare(small_run, tiny_model_dir)
    out = _train(small_run, max_steps=6, learning_rate=1e-12, eval_steps=1, early_stopping_patience=1,
                 sample_steps=2, sample_prompts=2)
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["counts"]["steps"] == 2 and manifest["early_stopped_at"] == 2
    assert math.isfinite(manifest["best_validation_loss"])
    samples = [orjson.loads(line) for line in (out / "samples.jsonl").read_bytes().splitlines()]
    assert [s["step"] for s in samples] == [2, 2] and all(s["speaker"] == "Ana" for s in samples)
    assert list((out / "logs" / "samples").glob("events.out.tfevents.*"))


def test_gradient_accumulation_and_constant_schedule_run(small_run, tiny_model_dir):
    _prepare(small_run, tiny_model_dir)
    out = _train(small_run, batch_size=2, grad_accum=2, lr_scheduler="constant", warmup_ratio=0, use_rslora=True,
                 lora_r=4, target_modules=["q_proj", "v_proj"])
    history = orjson.loads((out / "manifest.json").read_bytes())["log_history"]
    assert [h["learning_rate"] for h in history if "loss" in h] == [1e-2, 1e-2]
    cfg = orjson.loads((out / "weights" / "adapter_config.json").read_bytes())
    assert cfg["use_rslora"] and cfg["r"] == 4 and set(cfg["target_modules"]) == {"q_proj", "v_proj"}


def test_presets_are_data_and_fill_model_and_targets(small_run):
    from simulacra.train import _apply_preset
    from simulacra.models.presets import PRESETS

    assert {"smollm2-135m", "qwen2.5-0.5b", "qwen2.5-7b", "llama-3.1-8b", "mistral-7b", "gemma-3-27b-it"} <= set(PRESETS)
    cfg = _apply_preset(train.TrainConfig(run_dir=small_run, preset="qwen2.5-7b"))
    assert cfg.model == "Qwen/Qwen2.5-7B-Instruct" and "gate_proj" in cfg.target_modules
    with pytest.raises(SimulacraError, match="unknown"):
        _apply_preset(train.TrainConfig(run_dir=small_run, preset="gpt-9"))


def test_gpu_only_backends_fail_clearly_on_cpu(small_run, tiny_model_dir, monkeypatch):
    import importlib.util

    _prepare(small_run, tiny_model_dir)
    if not torch.cuda.is_available():
        with pytest.raises(SimulacraError, match="unsloth needs a CUDA GPU"):
            _train(small_run, backend="unsloth")
    monkeypatch.setitem(__import__("sys").modules, "bitsandbytes", None)  # as if not installed
    with pytest.raises(SimulacraError, match=r"simulacra\[qlora\]"):
        _train(small_run, quantization="4bit")
    # With a GPU but without the extra, the message names the extra to install.
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "unsloth" else real_find_spec(name, *a))
    with pytest.raises(SimulacraError, match=r"--backend unsloth needs Unsloth: pip install 'simulacra\[unsloth\]'"):
        _train(small_run, backend="unsloth")


GROUP = [("Ana", "hey how are you", 0), ("Ben", "on my way", 1), ("Cleo", "where are you", 1),
         ("Ana", "ngl i forgot", 1), ("Ben", "The weather is lovely.", 1), ("Cleo", "omg lol", 1)]


def test_group_chat_trains_one_model_that_answers_as_each_speaker(tmp_path, tiny_model_dir):
    from simulacra.engine import Persona, Sampling
    from simulacra.schema import Turn

    chats = [make_chat(datetime(2024, 1, 1 + d, 9), GROUP, conv_id="group") for d in range(12)]
    plan = [(m.speaker, m.text, 0 if i == 0 else (24 * 60 if i % len(GROUP) == 0 else 1))
            for i, m in enumerate(m for c in chats for m in c.messages)]
    write_conversations(tmp_path / "conversations.jsonl", [make_chat(datetime(2024, 1, 1, 9), plan, "group")])
    _prepare(tmp_path, tiny_model_dir, speakers=["all"])
    out = _train(tmp_path, max_steps=3)
    assert orjson.loads((out / "manifest.json").read_bytes())["counts"]["steps"] == 3
    persona = Persona(tmp_path)
    assert persona.speakers == ["Ana", "Ben", "Cleo"]
    history = [Turn("Ana", "hey how are you")]
    for speaker in ("Ana", "Ben", "Cleo"):
        prompt = persona.renderer.prompt(None, history, speaker)
        assert persona.tokenizer.decode(prompt).endswith(f"<|im_start|>{speaker}\n")
        greedy = Sampling(max_new_tokens=4, temperature=0)
        assert isinstance(persona.side("tuned").reply(None, history, speaker, greedy), str)


@pytest.mark.parametrize("style", ["roles", "speaker-tokens", "instruct", "segments", "completion"])
def test_chat_prompts_each_style_exactly_as_it_was_trained(small_run, tiny_model_dir, style):
    from simulacra.engine import Persona, Sampling
    from simulacra.rundir import RunDir
    from simulacra.formats.render import default_system_prompt

    _prepare(small_run, tiny_model_dir, style=style, personas=["Ana: 29, nurse in Porto"])
    _train(small_run, max_steps=1)
    persona = Persona(small_run)
    example = RunDir(small_run).examples("train")[0]
    answer = max(i for i, t in enumerate(example.turns) if t.speaker == "Ana" and example.turns[i - 1].speaker != "Ana")
    # What `simulacra chat` passes: the roles default text; other styles use their own default.
    system = default_system_prompt(["Ben", "Ana"])
    prompt = persona.prompt(system, example.turns[:answer], "Ana")
    assert example.input_ids[:len(prompt)] == prompt
    assert example.mask[len(prompt)] == 1  # the very next token is the first trained one
    reply = persona.side("tuned").reply(system, example.turns[:answer], "Ana", Sampling(max_new_tokens=3))
    assert isinstance(reply, str)
