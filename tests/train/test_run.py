"""train on the tiny model: loss finite, LoRA weights changed, base weights untouched, checkpoints resume."""

import math

import orjson
import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

from simulacra.prepare import PrepareConfig
from simulacra.prepare import run as prepare
from simulacra.train import TrainConfig, run


@pytest.fixture
def prepared(small_run, tiny_model_dir):
    prepare(PrepareConfig(run_dir=small_run, speakers=["Ana"], model=str(tiny_model_dir)))
    return small_run


def train(run_dir, **kw):
    settings = dict(run_dir=run_dir, max_steps=3, batch_size=4, learning_rate=1e-2, logging_steps=1, save_steps=2)
    return run(TrainConfig(**(settings | kw)))


def test_lora_training_changes_only_the_adapter(prepared, tiny_model_dir):
    out = train(prepared)
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["counts"]["steps"] == 3
    assert math.isfinite(manifest["train_loss"])
    assert manifest["counts"]["trained_tokens"] > 0

    adapter = load_file(out / "weights" / "adapter_model.safetensors")
    lora_b = [t for name, t in adapter.items() if "lora_B" in name]
    assert lora_b and all(t.abs().sum() > 0 for t in lora_b)  # B starts at zero: non-zero means it trained
    assert not any("lora" not in name for name in adapter)  # only adapter tensors saved

    from simulacra.models.load import load_tuned_model

    tuned = load_tuned_model(prepared, str(tiny_model_dir))
    original = AutoModelForCausalLM.from_pretrained(tiny_model_dir).state_dict()
    base_now = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
                for k, v in tuned.state_dict().items() if "lora_" not in k}
    assert set(base_now) == set(original)
    assert all(torch.equal(base_now[k], original[k]) for k in original)


def test_outputs_logs_and_resume(prepared):
    out = train(prepared, max_steps=2)
    first = orjson.loads((out / "manifest.json").read_bytes())["log_history"]
    assert (out / "checkpoints" / "checkpoint-2").is_dir()
    assert list((out / "logs").glob("events.out.tfevents.*"))
    assert {p.name for p in out.iterdir()} >= {"weights", "checkpoints", "logs", "config.yaml", "manifest.json"}
    out = train(prepared, max_steps=4, resume=True)
    state = orjson.loads((out / "checkpoints" / "checkpoint-4" / "trainer_state.json").read_bytes())
    assert state["global_step"] == 4
    # the manifest reports the whole run: steps 1 and 2 as the first run logged them (it did not start over)
    history = orjson.loads((out / "manifest.json").read_bytes())["log_history"]
    assert [h["step"] for h in history if "loss" in h] == [1, 2, 3, 4]
    assert history[:2] == first


def test_full_fine_tune_saves_a_whole_model(prepared):
    out = train(prepared, method="full", max_steps=1, learning_rate=1e-3)
    assert (out / "weights" / "config.json").is_file()
    assert not (out / "weights" / "adapter_config.json").exists()
