"""kill -9 a real `simulacra train` while it writes a checkpoint; --resume then continues bit-exactly."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
import torch
from safetensors.torch import load_file

from simulacra import prepare, train
from simulacra.errors import SimulacraError

SRC = str(Path(__file__).resolve().parents[2] / "src")
SETTINGS = dict(max_steps=4, batch_size=4, learning_rate=1e-2, save_steps=1, logging_steps=1)
CLI = [sys.executable, "-c", "from simulacra.cli import main; main()", "train"]
FLAGS = ["--max-steps", "4", "--batch-size", "4", "--lr", "1e-2", "--set", "save_steps=1", "--set", "logging_steps=1"]


@pytest.fixture
def prepared(small_run, tiny_model_dir):
    prepare.run(prepare.PrepareConfig(run_dir=small_run, speakers=["Ana"], model=str(tiny_model_dir)))
    return small_run


def child_env(**extra) -> dict:
    return os.environ | {"PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")} | extra


def kill_while_writing_checkpoint(run_dir: Path, tmp_path: Path, skip: int) -> None:
    """Start `simulacra train`, let it write `skip` checkpoints, kill -9 it half-way through the next."""
    env = child_env(SIMULACRA_TEST_PAUSE_AT="checkpoint-write", SIMULACRA_TEST_PAUSE_SKIP=str(skip),
                    SIMULACRA_TEST_PAUSE_DIR=str(tmp_path))
    child = subprocess.Popen(CLI + [str(run_dir)] + FLAGS, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    marker, deadline = tmp_path / "checkpoint-write.paused", time.monotonic() + 300
    while not marker.exists():
        if child.poll() is not None:
            pytest.fail(f"train exited ({child.returncode}) before the pause: {child.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("train never reached the checkpoint write")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL


def adapter(run_dir: Path) -> dict:
    return load_file(run_dir / "model" / "weights" / "adapter_model.safetensors")


def history(run_dir: Path) -> list[dict]:
    return orjson.loads((run_dir / "model" / "manifest.json").read_bytes())["log_history"]


def test_a_kill_mid_checkpoint_resumes_from_the_newest_complete_one_bit_exactly(prepared, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(prepared, reference)
    train.run(train.TrainConfig(run_dir=reference, **SETTINGS))

    kill_while_writing_checkpoint(prepared, tmp_path, skip=2)  # checkpoints 1 and 2 written, 3 half-way
    checkpoints = prepared / "model" / "checkpoints"
    assert sorted(p.name for p in checkpoints.iterdir()) == [".checkpoint-3.partial", "checkpoint-1", "checkpoint-2"]
    half = checkpoints / ".checkpoint-3.partial" / "checkpoint-3"
    assert list(half.glob("*.safetensors")) and not (half / "optimizer.pt").exists()
    assert not (prepared / "model" / "weights").exists()
    (checkpoints / "checkpoint-4").mkdir()  # as a kill left it before checkpoints were written atomically
    assert train.trainer.latest_checkpoint(prepared / "model") == checkpoints / "checkpoint-2"

    train.run(train.TrainConfig(run_dir=prepared, resume=True, **SETTINGS))
    assert sorted(p.name for p in checkpoints.iterdir()) == ["checkpoint-3", "checkpoint-4"]
    state = orjson.loads((checkpoints / "checkpoint-4" / "trainer_state.json").read_bytes())
    assert state["global_step"] == 4
    resumed, straight = adapter(prepared), adapter(reference)
    assert resumed.keys() == straight.keys() and all(torch.equal(resumed[k], straight[k]) for k in straight)
    # The manifest reports the whole run (steps 1-2 from the killed process), exactly as the straight run.
    assert [h["step"] for h in history(prepared)] == [1, 2, 3, 4]
    assert history(prepared) == history(reference)


def test_resume_without_a_checkpoint_says_so_in_one_line(prepared):
    with pytest.raises(SimulacraError, match=r"--resume: no complete checkpoint in .*checkpoints"):
        train.run(train.TrainConfig(run_dir=prepared, resume=True, **SETTINGS))
    result = subprocess.run(CLI + [str(prepared), "--resume"], env=child_env(), capture_output=True, text=True)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: --resume: no complete checkpoint")


def test_early_stopping_counts_carry_over_a_resume(prepared):
    flat = dict(batch_size=4, learning_rate=1e-12, eval_steps=1, early_stopping_patience=2, logging_steps=1,
                save_steps=1)
    train.run(train.TrainConfig(run_dir=prepared, max_steps=2, **flat))  # evaluations: best at 1, no better at 2
    out = train.run(train.TrainConfig(run_dir=prepared, max_steps=6, resume=True, **flat))
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["early_stopped_at"] == 3 and manifest["counts"]["steps"] == 3  # as a straight run stops
