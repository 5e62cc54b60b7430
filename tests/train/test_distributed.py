"""Two CPU processes (torchrun, gloo) train the same model as one process with the same global batch."""

from __future__ import annotations

import shutil

import orjson
import torch
from safetensors.torch import load_file

from simulacra import prepare, train


def test_two_processes_match_one(small_run, tiny_model_dir, tmp_path):
    prepare.run(prepare.PrepareConfig(run_dir=small_run, speakers=["Ana"], model=str(tiny_model_dir)))
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copytree(small_run / "dataset", twin / "dataset")
    common = dict(max_steps=3, learning_rate=1e-2, lora_dropout=0.0, logging_steps=1, save_steps=100, seed=0)

    single = train.run(train.TrainConfig(run_dir=small_run, batch_size=4, **common))
    double = train.run(train.TrainConfig(run_dir=twin, batch_size=2, launcher="torchrun", nproc=2, **common))

    one, two = (orjson.loads((d / "manifest.json").read_bytes()) for d in (single, double))
    assert two["counts"]["processes"] == 2 and two["counts"]["steps"] == 3
    assert two["counts"]["trained_tokens"] == one["counts"]["trained_tokens"]
    assert abs(one["train_loss"] - two["train_loss"]) < 1e-5
    a = load_file(single / "weights" / "adapter_model.safetensors")
    b = load_file(double / "weights" / "adapter_model.safetensors")
    assert a.keys() == b.keys()
    assert any(t.abs().sum() > 0 for k, t in a.items() if "lora_B" in k)
    for k in a:
        assert torch.allclose(a[k], b[k], atol=1e-5), k


def test_launch_commands_use_the_ready_configs(small_run, monkeypatch, tmp_path):
    from simulacra.train.launch import accelerate_config_path, command

    cfg = tmp_path / "train.yaml"
    cpu = command(train.TrainConfig(run_dir=small_run, launcher="accelerate", nproc=2), cfg)
    assert cpu[1:4] == ["-m", "torch.distributed.run", "--standalone"]  # accelerate --cpu would run one process
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    for name in ("ddp", "fsdp", "deepspeed-zero3"):
        cmd = command(train.TrainConfig(run_dir=small_run, launcher="accelerate", nproc=8, accelerate_config=name), cfg)
        assert cmd[1:3] == ["-m", "accelerate.commands.launch"] and "8" in cmd
        assert accelerate_config_path(name).is_file() and cmd[-3:] == ["-m", "simulacra.train", str(cfg)]
    assert "--deepspeed_config_file" in cmd and cmd[cmd.index("--deepspeed_config_file") + 1].endswith("zero3.json")
