"""`chat` driven through stdin lines: each in-chat command's effect on the saved transcript, and --compare."""

from __future__ import annotations

import orjson
import pytest

from simulacra.chat import ChatConfig, run
from simulacra.errors import SimulacraError

TINY = dict(max_new_tokens=6, temperature=0, engine="torch")


def _read(path):
    return [orjson.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _who(records):
    return [(r["speaker"], r.get("side")) for r in records]


def test_commands_change_the_transcript(group_run, tmp_path):
    mid, out = tmp_path / "mid.jsonl", tmp_path / "end.jsonl"
    lines = ["hello", "/retry", "where are you", "/undo", "/me Cy", "/as Ben", "/as Zed", "/temp 1.5",
             "hi again", f"/save {mid}", "/reset", "after reset", "/temp warm", "/help", ""]
    run(ChatConfig(run_dir=group_run, persona="Ana", user="Ben", save=out, **TINY), lines=lines)
    saved = _read(mid)
    # /retry replaced the reply (one Ana reply to "hello"); /undo removed "where are you" and its reply;
    # /me and /as switched both names for the next exchange.
    assert [r["text"] for r in saved if r.get("side") is None] == ["hello", "hi again"]
    assert _who(saved) == [("Ben", None), ("Ana", "tuned"), ("Cy", None), ("Ben", "tuned")]
    # /reset started over; the final save holds only what came after it
    assert _who(_read(out)) == [("Cy", None), ("Ben", "tuned")] and _read(out)[0]["text"] == "after reset"


def test_retry_replaces_the_reply_and_empty_undo_retry_are_harmless(trained_run, tmp_path, capsys):
    out = tmp_path / "t.jsonl"
    run(ChatConfig(run_dir=trained_run, save=out, seed=None, **{**TINY, "temperature": 1.0}),
        lines=["/undo", "/retry", "hey how are you", "/retry", "/retry", ""])
    records = _read(out)
    assert _who(records) == [("Ben", None), ("Ana", "tuned")]
    printed = capsys.readouterr().out
    assert "nothing to undo" in printed and "nothing to retry" in printed
    assert printed.count("Ana: ") == 3 and "Ben: hey how are you" in printed  # piped lines are echoed


def test_compare_streams_base_then_tuned_and_keeps_both(trained_run, tmp_path, capsys):
    out = tmp_path / "c.jsonl"
    run(ChatConfig(run_dir=trained_run, compare=True, save=out, **TINY), lines=["hey how are you", "where are you", ""])
    assert _who(_read(out)) == [("Ben", None), ("Ana", "base"), ("Ana", "tuned")] * 2
    printed = capsys.readouterr().out
    assert printed.index("Ana (base): ") < printed.index("Ana (tuned): ")


def test_compare_with_base_is_refused(trained_run):
    with pytest.raises(SimulacraError, match="--compare already shows"):
        run(ChatConfig(run_dir=trained_run, compare=True, base=True, **TINY), lines=[])


def test_steering_and_attribution_under_each_reply(trained_run, tmp_path, capsys):
    """--steer loads a saved vector (torch engine, hidden states); --tda prints the nearest training messages."""
    from simulacra.engine import Persona
    from simulacra.steer import build

    build(Persona(trained_run), "casual", {"omg lol": 1.0, "The weather is lovely.": -1.0}, layer=-1)
    out = tmp_path / "t.jsonl"
    sampled = {**TINY, "temperature": 1.0, "seed": 0}
    run(ChatConfig(run_dir=trained_run, save=out, steer=["casual:0.5"], tda=2, **sampled),
        lines=["hey how are you", "where are you", "on my way", ""])
    printed = capsys.readouterr().out
    assert "steering: casual ×0.5 at layer -1" in printed
    replies = [r["text"] for r in _read(out) if r.get("side") == "tuned"]
    hits = [line for line in printed.splitlines() if line[:4] in ("  0.", "  1.", "  -0")]
    assert any(replies) and len(hits) == 2 * sum(1 for r in replies if r)
