"""Loops and blandness on hand-made turns."""

import pytest

from simulacra.evaluate.loops import is_generic, loop_report, looping, repetition


@pytest.mark.parametrize("text", ["ok", "Okay!", "haha", "HAHAHA", "lol", "lol 😂", "😂😂",
                                  "thank you", "k."])
def test_generic(text):
    assert is_generic(text)


@pytest.mark.parametrize("text", ["see you at noon", "biscuit is asleep", "ok but where are you"])
def test_not_generic(text):
    assert not is_generic(text)


def test_repetition_known_values():
    assert repetition("a b c d e") == 0.0
    assert repetition("ha ha ha ha") == pytest.approx(0.5)
    assert repetition("hi") == 0.0


def test_looping_turns():
    assert looping("i love you so much,,,,,,,,,,,,ox")
    assert looping("see you\nsee you")
    assert looping("blah blah blah blah blah")
    assert not looping("see you at noon\nbring the map")


def test_loop_report_rates():
    report = loop_report(["ok", "ok", "see you at noon\nhaha"])
    assert report["generic"] == pytest.approx(3 / 4)
    assert report["duplicate_turns"] == pytest.approx(1 / 3)
    assert report["looping"] == 0.0
    assert loop_report([])["generic"] is None
