"""The classifier two-sample test on cases with a known answer."""

from __future__ import annotations

import random

import pytest

from simulacra.evaluate.twosample import two_sample_accuracy, wilson

WORDS = ("omg lol ngl i forgot the cat is asleep on my way see you soon haha yes no maybe later pizza "
         "tonight work was long tired coffee walk park rain sunny tomorrow weekend movie").split()


def casual_lines(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9))) for _ in range(n)]


def test_two_halves_of_the_same_person_are_indistinguishable():
    lines = casual_lines(240, seed=1)
    result = two_sample_accuracy(lines[::2], lines[1::2])
    assert 0.35 <= result["accuracy"] <= 0.65
    assert result["low"] <= 0.5 <= result["high"]


def test_obviously_different_text_is_told_apart():
    real = casual_lines(60, seed=2)
    assistant = [f"Certainly! Here is a detailed answer to your question number {i}. I hope this helps."
                 for i in range(60)]
    result = two_sample_accuracy(real, assistant)
    assert result["accuracy"] >= 0.95 and result["low"] > 0.85


def test_too_few_pairs_are_skipped_not_guessed():
    assert "skipped" in two_sample_accuracy(["a", "b"], ["c", "d"])


def test_wilson_interval_contains_the_proportion():
    low, high = wilson(30, 60)
    assert low < 0.5 < high and high - low == pytest.approx(0.25, abs=0.02)
