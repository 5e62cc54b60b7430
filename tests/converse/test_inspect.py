"""`converse --steer` and `--tda` on the tiny group run: turns change under a steering vector, and each turn
gets K attributed training messages; both make `--engine auto` pick torch (hidden states)."""

from __future__ import annotations

import re

import orjson
import pytest

from simulacra.converse import ConverseConfig, run
from simulacra.errors import SimulacraError

TALK = dict(max_new_tokens=6, temperature=1.0, retries=8, engine="torch", order="round-robin", opener="hello all",
            opener_speaker="Ana", turns=3, seed=0)


@pytest.fixture(scope="module")
def steered_group(group_run):
    """The group run with a 'casual' vector at the last layer (read by the same code chat and steer use)."""
    from simulacra.engine import Persona
    from simulacra.steer import build

    build(Persona(group_run), "casual", {"omg lol": 1.0, "The weather is lovely.": -1.0}, layer=-1)
    return group_run


def _talk(run_dir, out, **settings):
    printed: list[str] = []
    run(ConverseConfig(run_dir=run_dir, save=out, **{**TALK, **settings}), emit=printed.append)
    return [orjson.loads(line) for line in out.read_text(encoding="utf-8").splitlines()], "".join(printed)


def test_steering_changes_the_turns_with_the_same_seed(steered_group, tmp_path):
    plain, _ = _talk(steered_group, tmp_path / "a.jsonl")
    again, _ = _talk(steered_group, tmp_path / "b.jsonl")
    steered, printed = _talk(steered_group, tmp_path / "c.jsonl", steer=["casual:40"])
    assert plain == again  # the seed alone reproduces the talk
    assert [t["speaker"] for t in steered] == [t["speaker"] for t in plain] == ["Ana", "Ben", "Cy", "Ana"]
    assert steered[1:] != plain[1:]
    assert f"[steering {steered_group.name}: casual ×40 at layer -1]" in printed


def test_vectors_add_up_and_an_application_layer_can_be_given(steered_group, tmp_path):
    one, _ = _talk(steered_group, tmp_path / "one.jsonl", steer=["casual:40"])
    halves, printed = _talk(steered_group, tmp_path / "halves.jsonl", steer=["casual:20", "casual:20"])
    assert halves == one  # 20 + 20 adds the same delta as 40 at the same layer
    assert printed.count("casual ×20 at layer -1") == 2
    _, printed = _talk(steered_group, tmp_path / "low.jsonl", steer=["casual:40@-2"])
    assert "casual ×40 at layer -2" in printed


def test_unknown_vector_or_layer_is_a_clear_error(steered_group, tmp_path):
    with pytest.raises(SimulacraError, match="no vector .*casual"):
        _talk(steered_group, tmp_path / "x.jsonl", steer=["nope:2"])
    with pytest.raises(SimulacraError, match="layer -9: the model has 2 decoder layers"):
        _talk(steered_group, tmp_path / "x.jsonl", steer=["casual:2@-9"])


def test_tda_prints_k_training_messages_under_each_turn(steered_group, tmp_path, capsys):
    turns, printed = _talk(steered_group, tmp_path / "t.jsonl", tda=2, engine="auto")
    assert "engine: torch (hidden states needed)" in capsys.readouterr().out
    hit = r"  (-?[01]\.\d\d)  (\d{4}-\d\d-\d\d)  (Ana|Ben|Cy): (.*)\n"
    spoken = [t for t in turns[1:] if t["text"]]
    assert spoken and len(re.findall(hit, printed)) == 2 * len(spoken)
    known = {"hey how are you", "omg lol thats so funny", "I am quite well, thank you for asking.", "where are you",
             "on my way", "ngl i forgot"}
    at = 0
    for turn in spoken:  # each turn, then right under it its 2 hits: "  0.93  2024-01-01  Ben: omg lol thats so funny"
        at = printed.index(f"{turn['speaker']}: ", at)
        at = printed.index(turn["text"], at) + len(turn["text"])
        under = re.match(r"\s*\n" + hit * 2, printed[at:])
        assert under, printed[at:at + 200]
        for score, date, speaker, text in re.findall(hit, under.group(0)):
            assert -1.0 <= float(score) <= 1.0001 and date.startswith("2024-01-")
            assert text in known or text.startswith("hey how are you (")
