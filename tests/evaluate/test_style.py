"""Style features and distances on hand-made turns."""

import pytest

from simulacra.evaluate.style import (distance, distinct_n, emoji_count, features, message_features, messages,
                                      style_report, vocabulary_divergence)

MIA = ["omg lol 😂\nomw", "ngl i forgot", "heyyy 🥲\nr u free\nlunch?"]
THEO = ["I am quite well, thank you for asking.", "Shall we meet at noon on Saturday?", "The weather is lovely."]


def test_messages_split_a_turn_into_its_burst():
    assert messages("omg lol\n\n on my way ") == ["omg lol", "on my way"]


def test_message_features_known_values():
    f = message_features("Hi Ben, are you free? 😂")
    assert f["chars_per_message"] == 23
    assert f["words_per_message"] == 5
    assert f["emoji_per_message"] == 1
    assert f["capitalised_start"] == 1.0
    assert f["uppercase_share"] == pytest.approx(2 / 15)
    assert f["punctuation_per_char"] == pytest.approx(2 / 23)
    assert f["question"] == 1.0 and f["ends_with_period"] == 0.0
    assert emoji_count("🥲🥲 ok ❤️") == 3


def test_features_count_messages_per_turn():
    f = features(MIA)
    assert f["messages_per_turn"] == [2.0, 1.0, 3.0]
    assert len(f["chars_per_message"]) == 6


def test_distance_identical_is_zero_and_shift_is_known():
    assert distance([1, 2, 3], [1, 2, 3]) == 0.0
    assert distance([0, 2], [1, 3]) == pytest.approx(1.0)  # shift 1, real std 1
    assert distance([5, 5], [5, 5]) == 0.0
    assert distance([], [1]) is None


def test_identical_texts_give_zero_style_distance():
    report = style_report(MIA, {"copy": list(MIA)})
    assert report["summary"]["copy"] == 0.0
    assert all(row["distance"]["copy"] == 0.0 for row in report["features"].values())
    assert report["corpus"]["copy"]["vocabulary_divergence"] == 0.0


def test_a_different_person_is_further_than_the_same_person():
    report = style_report(MIA, {"same": ["lol omw 😂\nngl", "i forgot lol"], "theo": THEO})
    assert report["summary"]["theo"] > report["summary"]["same"]
    assert report["features"]["capitalised_start"]["mean"]["theo"] == 1.0
    assert report["features"]["capitalised_start"]["mean"]["real"] == 0.0


def test_distinct_n_and_vocabulary_divergence():
    assert distinct_n(["a b c d"], 1) == 1.0
    assert distinct_n(["ok ok ok ok"], 1) == 0.25
    assert vocabulary_divergence(["a b"], ["c d"]) == pytest.approx(1.0)
    assert vocabulary_divergence(["a b"], ["b a"]) == pytest.approx(0.0)


def test_corpus_statistics_compare_equal_numbers_of_turns():
    real = ["a b", "c d"]
    many = ["a b"] * 50 + ["c d"] * 50  # the same two turns, many times: as varied as real once sizes match
    report = style_report(real, {"training": many})
    assert report["corpus"]["training"]["distinct_1"] == report["corpus"]["real"]["distinct_1"] == 1.0
