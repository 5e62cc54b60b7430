"""prepare streams the export: memory does not grow with its size, long messages are cut with a warning,
examples longer than the model's context window are reported."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from simulacra.rundir import RunDir
from simulacra.schema import Conversation, Message, write_conversations
from tests.conftest import two_friend_sessions

WORDS = "so i was thinking we could meet at the usual place after work maybe around seven if that works".split()
# Runs prepare in a child and prints its peak resident memory in kB on the last line. VmHWM, not ru_maxrss:
# the latter starts at the parent's size when a big process (pytest with torch loaded) spawns the child.
PEAK = ("import re, sys; from simulacra.cli import main\n"
        "try: main()\n"
        "except SystemExit as e: assert not e.code, e.code\n"
        "print(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))")


def prepare(*args, **env):
    return subprocess.run([sys.executable, "-c", PEAK, "prepare", *map(str, args)], capture_output=True, text=True,
                          env=os.environ | {"COLUMNS": "200", "HF_HUB_OFFLINE": "1"} | env)


def generated_run(folder: Path, megabytes: float) -> Path:
    """A two-person chat of about `megabytes` of conversations.jsonl, in sessions of 100 messages."""
    rng, t, messages, size = random.Random(0), datetime(2020, 1, 1, 9), [], 0
    while size < megabytes * 1_000_000:
        t += timedelta(hours=5) if len(messages) % 100 == 0 else timedelta(minutes=rng.randint(1, 9))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25)))
        messages.append(Message(rng.choice(["Ana", "Ben"]), text, t, str(len(messages))))
        size += len(text) + 160  # the record's JSON around the text
    folder.mkdir()
    write_conversations(folder / "conversations.jsonl", [Conversation("chat-1", "test", "Ana", ["Ana", "Ben"],
                                                                      messages)])
    return folder


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads peak memory from /proc (Linux)")
def test_peak_memory_does_not_grow_with_the_export(tmp_path, tiny_model_dir):
    # Both well above the few MB where the reader's buffers and the tokenizer's caches reach their size.
    small, large = generated_run(tmp_path / "small", 4), generated_run(tmp_path / "large", 16)
    growth_of_file = (large / "conversations.jsonl").stat().st_size - (small / "conversations.jsonl").stat().st_size
    peaks = []
    for run in (small, large):
        out = prepare(run, "--as", "Ana", "--model", tiny_model_dir)
        assert out.returncode == 0, out.stderr
        peaks.append(int(out.stdout.strip().splitlines()[-1]) * 1024)
        assert RunDir(run).examples("train")
    # Holding the chat in memory grew the peak by about 5x the file's growth; streaming keeps it flat.
    assert peaks[1] - peaks[0] < growth_of_file / 4, (peaks, growth_of_file)


def test_a_message_longer_than_the_cap_is_cut_with_one_warning(tmp_path, tiny_model_dir):
    conv = two_friend_sessions(6)
    conv.messages[1].text = "lol " * 50_000
    conv.messages[6].text = "x" * 300
    write_conversations(tmp_path / "conversations.jsonl", [conv])
    out = prepare(tmp_path, "--as", "Ana", "--model", tiny_model_dir, "--max-message-chars", 250)
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stdout.splitlines() if line.startswith("warning:")]
    assert warnings == ["warning: 2 message(s) longer than 250 characters were cut to that length "
                        "(--max-message-chars)"]
    kept = [t.text for ex in RunDir(tmp_path).examples("train") for t in ex.turns]
    assert not any(len(text) > 250 + len("\non my way") for text in kept)


def test_default_cap_is_sixteen_windows_of_characters(tmp_path, tiny_model_dir):
    conv = two_friend_sessions(6)
    conv.messages[1].text = "a" * (16 * 100 + 1)
    write_conversations(tmp_path / "conversations.jsonl", [conv])
    out = prepare(tmp_path, "--as", "Ana", "--model", tiny_model_dir, "--max-seq-len", 100)
    assert "warning: 1 message(s) longer than 1,600 characters were cut" in out.stdout


def test_examples_longer_than_the_context_window_are_reported(tmp_path, tiny_model_dir):
    write_conversations(tmp_path / "conversations.jsonl", [two_friend_sessions(20)])
    out = prepare(tmp_path, "--as", "Ana", "--model", tiny_model_dir, "--gap", 10_000_000, "--max-turns", 1000,
                  "--max-seq-len", 5000)
    assert out.returncode == 0, out.stderr
    lengths = [len(ex.input_ids) for split in ("train", "validation", "test") for ex in RunDir(tmp_path).examples(split)]
    over = [n for n in lengths if n > 512]  # the tiny model's max_position_embeddings
    assert over
    assert (f"warning: {len(over)} example(s) exceed the model's context window of 512 tokens "
            f"(longest {max(over):,}); lower --max-seq-len") in out.stdout


def test_no_context_warning_when_examples_fit(tmp_path, tiny_model_dir):
    write_conversations(tmp_path / "conversations.jsonl", [two_friend_sessions(20)])
    out = prepare(tmp_path, "--as", "Ana", "--model", tiny_model_dir)
    assert out.returncode == 0, out.stderr
    assert "warning:" not in out.stdout
