"""prepare's user errors through the real CLI: one line, exit code 2, naming the file and the way out."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import orjson

from simulacra.schema import write_conversations
from tests.conftest import make_chat

CLI = [sys.executable, "-c", "from simulacra.cli import main; main()"]


def simulacra(*args):
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True,
                          env=os.environ | {"COLUMNS": "300", "HF_HUB_OFFLINE": "1"})


def one_line_error(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_all_on_a_chat_without_messages_names_the_file(tmp_path):
    (tmp_path / "conversations.jsonl").write_bytes(orjson.dumps(
        {"id": "c", "source": "test", "title": "t", "participants": ["Ana"], "messages": []}) + b"\n")
    line = one_line_error(simulacra("prepare", tmp_path, "--as", "all"))
    assert line == (f"error: {tmp_path / 'conversations.jsonl'}: no text messages to train on (the chat is empty, "
                    "or holds only media and notices)")
    assert not (tmp_path / "dataset").exists()


def test_a_chat_of_media_only_has_nothing_to_train_on(tmp_path):
    conv = make_chat(datetime(2024, 1, 1), [("Ana", "<photo>", 0), ("Ben", "<video>", 1)])
    for m in conv.messages:
        m.kind = "media"
    write_conversations(tmp_path / "conversations.jsonl", [conv])
    assert "no text messages to train on" in one_line_error(simulacra("prepare", tmp_path, "--as", "Ana"))


def test_a_near_miss_speaker_name_suggests_the_right_one(tmp_path):
    conv = make_chat(datetime(2024, 1, 1), [("Mia Chen", "hi", 0), ("Theo Hartmann", "hey", 1),
                                             ("Mia Chen", "ok", 1)])
    write_conversations(tmp_path / "conversations.jsonl", [conv])
    path = tmp_path / "conversations.jsonl"
    known = "speakers with messages: 'Mia Chen' (2), 'Theo Hartmann' (1)"
    for typed in ("mia", "Mia Chn", "MIA CHEN"):
        line = one_line_error(simulacra("prepare", tmp_path, "--as", typed))
        assert line == f"error: {path}: no speaker named {typed!r} (did you mean 'Mia Chen'?); {known}"
    line = one_line_error(simulacra("prepare", tmp_path, "--as", "Zed"))
    assert line == f"error: {path}: no speaker named 'Zed'; {known}"


def test_small_run_still_prepares(small_run, tiny_model_dir):
    out = simulacra("prepare", small_run, "--as", "Ana", "--model", tiny_model_dir)
    assert out.returncode == 0, out.stderr
    assert (small_run / "dataset" / "train.jsonl").stat().st_size > 0
