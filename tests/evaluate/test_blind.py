"""Blind pick-the-real-reply: the judge's bookkeeping and the terminal game, with known answers."""

import pytest

from simulacra.evaluate.blind import judge_picks, play
from simulacra.evaluate.generate import Moment
from simulacra.schema import Turn


def _moments(n=4):
    return [Moment(i, 1, "Ana", [Turn("Ben", f"where are you? ({i})")], f"on my way {i}", [i],
                   {"base": f"The weather is lovely {i}.", "tuned": f"omg lol {i}"}) for i in range(n)]


def test_a_judge_that_likes_the_real_reply_always_finds_it():
    moments = _moments()
    # Score: 1 for the real text, 0 otherwise; the judge sees the texts only, not the labels.
    real = {m.real for m in moments}
    result = judge_picks(moments, ["base", "tuned"], lambda rows: [float(t in real) for _, t in rows], lambda m: m.prompt)
    assert result == {"moments": 4, "chance": pytest.approx(1 / 3), "found_real": 1.0,
                      "picked": {"real": 1.0, "base": 0.0, "tuned": 0.0}}


def test_a_judge_fooled_by_the_tuned_model():
    moments = _moments()
    result = judge_picks(moments, ["base", "tuned"], lambda rows: [float("omg" in t) for _, t in rows],
                         lambda m: m.prompt)
    assert result["picked"] == {"real": 0.0, "base": 0.0, "tuned": 1.0}


def test_game_scores_a_player_who_always_finds_the_real_reply():
    moments, shown = _moments(), []

    def player():  # reads the screen and types the number in front of the real reply
        while True:
            screen = "".join(shown)
            round_text = screen[screen.rfind("── round"):]
            real = next(m.real for m in moments if m.history[0].text in round_text)
            line = next(line for line in round_text.splitlines() if line.strip().endswith(real))
            yield line.strip()[1]

    result = play(moments, ["base", "tuned"], player(), shown.append, rounds=4)
    assert result["found_real"] == 1.0 and result["moments"] == 4
    assert "You found the real reply 4 of 4 times (chance: 1.3 of 4)" in "".join(shown)


def test_game_stops_on_q_and_asks_again_on_nonsense():
    shown = []
    result = play(_moments(), ["base", "tuned"], iter(["x", "0", "2", "q"]), shown.append, rounds=4)
    text = "".join(shown)
    assert text.count("please type a number from 1 to 3") == 2
    assert result["moments"] == 1
