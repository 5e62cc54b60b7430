"""A trained tiny run per prompt style, built once per test module (prepare + 2 training steps)."""

from __future__ import annotations

import pytest

from conftest import two_friend_sessions
from simulacra.schema import write_conversations


def trained_run(folder, model_dir, style: str):
    from simulacra import prepare, train

    write_conversations(folder / "conversations.jsonl", [two_friend_sessions(20)])
    prepare.run(prepare.PrepareConfig(run_dir=folder, speakers=["Ana"], model=str(model_dir), style=style))
    train.run(train.TrainConfig(run_dir=folder, max_steps=2, batch_size=4, learning_rate=5e-2, save_steps=100))
    return folder


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory, tiny_model_dir):
    """A roles-style run of the tiny model, trained for two steps."""
    return trained_run(tmp_path_factory.mktemp("run"), tiny_model_dir, "roles")


@pytest.fixture(scope="module")
def tokens_run(tmp_path_factory, tiny_model_dir):
    """A speaker-tokens run: [Ana] and [Ben] are new special tokens with trained rows."""
    return trained_run(tmp_path_factory.mktemp("run-tokens"), tiny_model_dir, "speaker-tokens")
