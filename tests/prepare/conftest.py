"""Helpers for prepare tests: run prepare on a small chat and read back exactly what is trained."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from pathlib import Path

import pytest

from simulacra import prepare
from simulacra.rundir import RunDir
from simulacra.schema import write_conversations
from tests.conftest import make_chat

CHAT = [("Ben", "where are you", 0), ("Ana", "on my way", 1), ("Ben", "hey how are you", 1), ("Ana", "ngl i forgot", 1)]


def trained_spans(example, tokenizer) -> list[str]:
    """The decoded runs of trained tokens, in order."""
    pairs = list(zip(example.input_ids, example.mask))
    return [tokenizer.decode([i for i, _ in run]) for flag, run in groupby(pairs, key=lambda p: p[1]) if flag]


def full_text(example, tokenizer) -> str:
    return tokenizer.decode(example.input_ids)


@pytest.fixture
def prepared(tmp_path, tiny_model_dir):
    """prepared(plan, speakers, **settings) -> (train examples, tokenizer, run_dir)."""

    def run(plan=CHAT, speakers=("Ana",), **settings):
        run_dir = Path(tmp_path) / f"run{len(list(Path(tmp_path).iterdir()))}"
        run_dir.mkdir()
        write_conversations(run_dir / "conversations.jsonl", [make_chat(datetime(2024, 1, 1, 9), list(plan))])
        prepare.run(prepare.PrepareConfig(run_dir=run_dir, speakers=list(speakers), model=str(tiny_model_dir),
                                          **settings))
        return RunDir(run_dir).examples("train"), RunDir(run_dir).tokenizer(), run_dir

    return run
