"""Slow tier: the real embedded SmolLM2-135M, a few LoRA steps on the sample chat, then a real chat."""

import math
from pathlib import Path

import orjson
import pytest
import torch
from safetensors.torch import load_file

from simulacra import chat, ingest, prepare, train
from simulacra.demo.config import SAMPLE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory) -> Path:
    run_dir = tmp_path_factory.mktemp("embedded-run")
    ingest.run(ingest.IngestConfig(inputs=[SAMPLE], out=run_dir))
    prepare.run(prepare.PrepareConfig(run_dir=run_dir, speakers=["Mia Chen"], max_seq_len=128))
    train.run(train.TrainConfig(run_dir=run_dir, max_steps=3, batch_size=2, learning_rate=5e-4,
                                logging_steps=1, save_steps=100))
    return run_dir


def test_few_lora_steps_on_the_embedded_model(trained_run):
    from simulacra.models.embedded import embedded_model_dir
    from simulacra.models.load import load_tuned_model

    manifest = orjson.loads((trained_run / "model" / "manifest.json").read_bytes())
    assert manifest["counts"]["steps"] == 3 and math.isfinite(manifest["train_loss"])
    adapter = load_file(trained_run / "model" / "weights" / "adapter_model.safetensors")
    assert all(t.abs().sum() > 0 for name, t in adapter.items() if "lora_B" in name)

    base = load_file(embedded_model_dir() / "model.safetensors")
    tuned = load_tuned_model(trained_run, None).state_dict()
    name = "model.layers.0.self_attn.q_proj.weight"
    assert torch.equal(tuned["base_model.model.model.layers.0.self_attn.q_proj.base_layer.weight"], base[name])


def test_chat_reply_is_non_empty_and_stops_at_the_end_of_the_turn(trained_run, tmp_path):
    from simulacra.engine import Persona, Sampling
    from simulacra.schema import Turn

    persona = Persona(trained_run)
    history = [Turn("Theo Hartmann", "How is Biscuit today?")]
    prompt = persona.renderer.prompt("A chat between Theo Hartmann and Mia Chen.", history, "Mia Chen")
    greedy = Sampling(max_new_tokens=120, temperature=0, repetition_penalty=1.0)
    pieces = list(persona.backend.stream(prompt, greedy))
    # Ended its turn by itself, before the token limit (the stream stops at the end token, which it drops).
    assert 0 < sum(map(len, pieces)) < 120

    transcript = tmp_path / "t.jsonl"
    config = chat.ChatConfig(run_dir=trained_run, seed=0, temperature=0, save=transcript)
    chat.run(config, lines=["How is Biscuit today?", "and the running club?"])
    turns = [orjson.loads(line) for line in transcript.read_bytes().splitlines()]
    assert [t["speaker"] for t in turns] == ["Theo Hartmann", "Mia Chen", "Theo Hartmann", "Mia Chen"]
    for reply in turns[1::2]:
        assert reply["text"].strip()
        assert "<|im_start|>" not in reply["text"] and "<|im_end|>" not in reply["text"]
