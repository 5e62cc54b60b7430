"""An evaluated run on the tiny model, shared by the tests of this folder (prepare, 3 LoRA steps, evaluate)."""

from __future__ import annotations

import pytest

from simulacra.schema import write_conversations
from datetime import datetime

from tests.conftest import make_chat

LONG_TURN = "ngl i forgot 😂 biscuit the cat is asleep"
SETTINGS = dict(max_new_tokens=8, gen_batch_size=4, batch_size=4)


def chat(n_sessions: int):
    """Daily sessions: Ben asks, Ana answers in a burst, Ben, Ana; Ana's last turn is long enough to audit."""
    plan = []
    for s in range(n_sessions):
        plan += [("Ben", f"Shall we meet at noon on Saturday? ({s})", 0 if s == 0 else 24 * 60),
                 ("Ana", "omg lol", 1), ("Ana", "on my way", 0.5),
                 ("Ben", "The weather is lovely.", 2), ("Ana", LONG_TURN, 1)]
    return make_chat(datetime(2024, 1, 1, 9, 0), plan)


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory, tiny_model_dir):
    """A run directory with conversations, dataset/ (Ana trained) and model/ (a LoRA adapter)."""
    from simulacra.prepare import PrepareConfig
    from simulacra.prepare import run as prepare
    from simulacra.train import TrainConfig
    from simulacra.train import run as train

    run_dir = tmp_path_factory.mktemp("evaluated")
    write_conversations(run_dir / "conversations.jsonl", [chat(20)])
    prepare(PrepareConfig(run_dir=run_dir, speakers=["Ana"], model=str(tiny_model_dir)))
    train(TrainConfig(run_dir=run_dir, max_steps=3, batch_size=4, learning_rate=1e-2, save_steps=100))
    return run_dir


@pytest.fixture(scope="session")
def evaluated_run(trained_run):
    from simulacra.evaluate import EvaluateConfig, run

    run(EvaluateConfig(run_dir=trained_run, memorisation=True, memorisation_samples=4, judge="tuned", **SETTINGS))
    return trained_run
