"""Tiny trained runs for converse: a 3-person run trained --as all, and Ana's and Ben's one-person runs."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulacra.schema import write_conversations
from tests.conftest import make_chat
from tests.evaluate.conftest import trained_run  # noqa: F401  (a fixture: Ana's run)


def _train(run_dir, speakers, model, conversations):
    from simulacra.prepare import PrepareConfig, run as prepare
    from simulacra.train import TrainConfig, run as train

    write_conversations(run_dir / "conversations.jsonl", conversations)
    prepare(PrepareConfig(run_dir=run_dir, speakers=speakers, model=str(model)))
    train(TrainConfig(run_dir=run_dir, max_steps=2, batch_size=4, learning_rate=1e-2, save_steps=100))
    return run_dir


@pytest.fixture(scope="session")
def group_run(tmp_path_factory, tiny_model_dir):
    plan = []
    for s in range(12):
        plan += [("Ana", f"hey how are you ({s})", 0 if s == 0 else 24 * 60), ("Ben", "omg lol thats so funny", 1),
                 ("Cy", "I am quite well, thank you for asking.", 1), ("Ana", "where are you", 1),
                 ("Cy", "on my way", 1), ("Ben", "ngl i forgot", 1)]
    chat = make_chat(datetime(2024, 1, 1, 9, 0), plan, conv_id="group")
    return _train(tmp_path_factory.mktemp("group"), ["all"], tiny_model_dir, [chat])


@pytest.fixture(scope="session")
def ben_run(tmp_path_factory, tiny_model_dir, trained_run):
    from simulacra.schema import read_conversations

    conversations = read_conversations(trained_run / "conversations.jsonl")
    return _train(tmp_path_factory.mktemp("ben"), ["Ben"], tiny_model_dir, conversations)
