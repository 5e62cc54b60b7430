"""`converse` on tiny runs: N turns in the right speaker order, saved as JSONL and Markdown; the speaker order rules."""

from __future__ import annotations

import random

import orjson
import pytest

from simulacra.converse import ConverseConfig, run
from simulacra.converse.order import next_speaker
from simulacra.errors import SimulacraError

TINY = dict(max_new_tokens=6, temperature=1.0, retries=8, engine="torch")


def _saved(path):
    return [orjson.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_two_one_person_runs_alternate(trained_run, ben_run, tmp_path):
    out = tmp_path / "talk.jsonl"
    printed = []
    run(ConverseConfig(run_dir=trained_run, with_run=ben_run, opener="hey how are you", opener_speaker="Ben",
                       turns=4, save=out, **TINY), emit=printed.append)
    turns = _saved(out)
    assert [t["speaker"] for t in turns] == ["Ben", "Ana", "Ben", "Ana", "Ben"]
    assert turns[0]["text"] == "hey how are you"
    markdown = out.with_suffix(".md").read_text(encoding="utf-8")
    assert markdown.startswith("# Conversation\n") and "**Ben:** hey how are you" in markdown
    assert "".join(printed).startswith("Ben: hey how are you\nAna: ")


def test_round_robin_on_a_group_run(group_run, tmp_path):
    out = tmp_path / "group.jsonl"
    run(ConverseConfig(run_dir=group_run, order="round-robin", opener="hello all", opener_speaker="Ana",
                       turns=5, save=out, **TINY), emit=lambda _: None)
    assert [t["speaker"] for t in _saved(out)] == ["Ana", "Ben", "Cy", "Ana", "Ben", "Cy"]


def test_likeliest_order_never_repeats_the_last_speaker(group_run, tmp_path):
    out = tmp_path / "group.jsonl"
    run(ConverseConfig(run_dir=group_run, between=["Ana", "Ben", "Cy"], opener="hello", turns=5, save=out,
                       **TINY), emit=lambda _: None)
    speakers = [t["speaker"] for t in _saved(out)]
    assert len(speakers) == 6 and set(speakers) <= {"Ana", "Ben", "Cy"}
    assert all(a != b for a, b in zip(speakers, speakers[1:]))


def test_likeliest_is_sampled_from_the_header_scores():
    rng = random.Random(0)
    picks = [next_speaker(["Ana", "Ben", "Cy"], "Ana", "likeliest", rng, lambda c: [0.0, -2.0]) for _ in range(400)]
    # softmax of (0, -2): Ben 88 %, Cy 12 %: the quiet member still speaks sometimes
    assert set(picks) == {"Ben", "Cy"} and 300 < picks.count("Ben") < 390


def test_a_one_person_run_alone_is_refused(trained_run):
    with pytest.raises(SimulacraError, match="trained on Ana alone"):
        run(ConverseConfig(run_dir=trained_run, opener="hi", **TINY), emit=lambda _: None)


def test_a_persistently_degenerate_turn_stops_the_talk(trained_run, ben_run, tmp_path, monkeypatch):
    import simulacra.converse.guard as guard

    monkeypatch.setattr(guard, "problem", lambda text, earlier: "a run of 16 ','")
    out, printed = tmp_path / "stop.jsonl", []
    run(ConverseConfig(run_dir=trained_run, with_run=ben_run, opener="hi", opener_speaker="Ben", turns=3,
                       save=out, **{**TINY, "retries": 2}), emit=printed.append)
    assert [t["speaker"] for t in _saved(out)] == ["Ben"]
    text = "".join(printed)
    assert text.count("↻ degenerate") == 2 and "[Ana's turn stayed degenerate after 2 re-samples: a run of 16 ',']" in text
