"""What `train` tells the user: the planned steps up front, each log line once, the last logged loss at the end."""

from __future__ import annotations

import re

from simulacra import prepare, train
from simulacra.io import read_json


def test_planned_steps_log_lines_and_final_loss(small_run, tiny_model_dir, capsys):
    prepare.run(prepare.PrepareConfig(run_dir=small_run, speakers=["Ana"], model=str(tiny_model_dir)))
    train.run(train.TrainConfig(run_dir=small_run, epochs=2, batch_size=4, learning_rate=1e-2, logging_steps=1,
                                save_steps=100))
    out = capsys.readouterr().out
    manifest = read_json(small_run / "model" / "manifest.json")
    steps = manifest["counts"]["steps"]
    assert f"· {steps} steps planned" in out
    lines = re.findall(r"^step (\d+)/(\d+) · loss ([\d.]+)", out, flags=re.M)
    assert [int(s) for s, _, _ in lines] == list(range(1, steps + 1))  # once each, in order
    assert "{'loss'" not in out and "{'train_runtime'" not in out  # no raw dicts
    final = re.search(r"final loss ([\d.]+)", out).group(1)
    assert final == lines[-1][2]


def test_a_checkpoint_is_due_once_enough_minutes_passed(monkeypatch):
    from types import SimpleNamespace

    from simulacra.train import callbacks

    clock = [1000.0]
    monkeypatch.setattr(callbacks.time, "time", lambda: clock[0])
    saver = callbacks.SaveEveryMinutes(15)
    saver.on_train_begin(None, None, None)
    control = SimpleNamespace(should_save=False)
    clock[0] += 14 * 60
    saver.on_step_end(None, None, control)
    assert not control.should_save
    clock[0] += 2 * 60
    saver.on_step_end(None, None, control)
    assert control.should_save
