"""The degeneration guard on hand-written degenerate and healthy turns."""

from __future__ import annotations

import pytest

from simulacra.converse.guard import problem

EARLIER = ["Shall we meet at noon on Saturday?", "omg lol"]


@pytest.mark.parametrize("text, why", [
    ("i love my new car,,,,,,,,,,,,,,,,ox!!!!", "a run of 16 ','"),
    ("haha haha haha haha haha", "the phrase 'haha' looped 5 times"),
    ("hahahahahahahahahahaha", "the phrase 'ha' looped 11 times"),
    ("I think we should go. I think we should go. I think we should go. I think we should go.",
     "the phrase 'i think we should go.' looped 4 times"),
    ("Shall we meet at  noon on saturday?", "repeats turn 1 word for word"),
    ("OMG LOL", "repeats turn 2 word for word"),
    ("   ", "an empty turn"),
])
def test_degenerate_turns_are_caught_with_the_reason(text, why):
    assert problem(text, EARLIER) == why


@pytest.mark.parametrize("text", [
    "hahaha", "hahahaha", "nooooooo way!!!!", "lol lol lol", "omg lol see you at noon then",
    "ngl i forgot 😂😂😂", "Shall we meet at noon on Sunday instead?", "ok... fine",
])
def test_healthy_turns_pass(text):
    assert problem(text, EARLIER) is None
