"""A small chat with known counts (two speakers, three kinds, two months) and its analyzed run folder."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulacra.schema import Message, write_conversations
from tests.conftest import make_chat


def known_chat():
    """Six sessions eight days apart (Jan-Feb 2024, 7 pm), each: Ben asks, Ana answers twice, Ben, Ana;
    plus one photo from Ana and one system notice."""
    plan = []
    for s in range(6):
        plan += [("Ben", f"dinner tonight? pizza {s}", 0 if s == 0 else 8 * 24 * 60 + 5),
                 ("Ana", "omg yes pizza 😂", 2), ("Ana", "biscuit says hi 🐱", 0.5),
                 ("Ben", "great, pizza at eight", 10), ("Ana", "see you there 😂", 1)]
    conv = make_chat(datetime(2024, 1, 1, 19, 0), plan)
    last = conv.messages[-1].time
    conv.messages.append(Message("Ana", "<photo>", last, source_id="p", kind="media"))
    conv.messages.append(Message("", "Ben changed the group name", last, source_id="s", kind="system"))
    return conv


@pytest.fixture
def chat_run(tmp_path):
    write_conversations(tmp_path / "conversations.jsonl", [known_chat()])
    return tmp_path


@pytest.fixture
def analyzed(chat_run):
    from simulacra.analyze import AnalyzeConfig, run

    run(AnalyzeConfig(run_dir=chat_run))
    return chat_run
