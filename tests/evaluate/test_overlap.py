"""Next-turn overlap on hand-made pairs whose scores are known."""

import pytest

from simulacra.evaluate.overlap import overlap_scores, rouge_l, rouge_n, tokens


def test_tokens_keep_emoji_and_punctuation():
    assert tokens("Omg LOL 😂!!") == ["omg", "lol", "😂", "!", "!"]


def test_rouge_known_values():
    assert rouge_n("a b c", "a b d", 1) == pytest.approx(2 / 3)
    assert rouge_n("a b c", "a b d", 2) == pytest.approx(1 / 2)  # "a b" of two bigrams each
    assert rouge_l("a b c d", "a c d") == pytest.approx(6 / 7)  # LCS 3: P 3/4, R 1
    assert rouge_n("x y", "a b", 1) == 0.0
    assert rouge_l("", "") == 1.0


def test_rouge_clips_repeated_words():
    # "ha" appears once in the reference: saying it four times earns one match, not four.
    assert rouge_n("ha ha ha ha", "ha", 1) == pytest.approx(2 * (1 / 4) * 1 / (1 / 4 + 1))


def test_identical_texts_score_one_and_disjoint_zero():
    texts = ["on my way 😂", "shall we meet at noon?\nsee you there", "ngl i forgot"]
    same = overlap_scores(texts, texts)
    for key in ("rouge1", "rouge2", "rougeL", "bleu", "chrf"):
        assert same[key] == pytest.approx(1.0, abs=1e-6), key
    apart = overlap_scores(["zzz qqq vvv www"] * 3, texts)
    for key in ("rouge1", "rouge2", "rougeL", "bleu"):
        assert apart[key] == 0.0, key
    assert apart["chrf"] < 0.05


def test_closer_hypothesis_scores_higher_on_every_metric():
    refs = ["i am on my way to the station now"]
    near, far = overlap_scores(["i am on my way to the shop now"], refs), overlap_scores(["the cat sat down"], refs)
    for key in ("rouge1", "rouge2", "rougeL", "bleu", "chrf"):
        assert near[key] > far[key], key


def test_empty_input_gives_none():
    assert overlap_scores([], [])["rouge1"] is None


def test_other_real_replies_pair_each_reply_with_the_same_speakers_next_one():
    from simulacra.evaluate.overlap import other_real_replies

    hyps, refs = other_real_replies(["Ana", "Ben", "Ana", "Ana", "Cy"], ["a1", "b1", "a2", "a3", "c1"])
    assert list(zip(hyps, refs)) == [("a2", "a1"), ("a3", "a2"), ("a1", "a3")]  # Ben and Cy have one reply each
