"""Who said it: the classifier separates two very different synthetic speakers."""

import random

from simulacra.evaluate.whosaid import attribution_share, train_attributor, who_said_it


def _mia(rng):
    return " ".join(rng.sample(["omg", "lol", "ngl", "u", "r", "omw", "😂", "🥲", "heyyy", "idk", "tbh"], 4))


def _theo(rng):
    return rng.choice(["Shall we", "I think we", "Perhaps we"]) + " " + rng.choice(
        ["meet at noon", "go for a walk", "visit the museum"]) + rng.choice([".", "?", "; it would be lovely."])


def _turns(n, seed):
    rng = random.Random(seed)
    return [("Mia", _mia(rng)) for _ in range(n)] + [("Theo", _theo(rng)) for _ in range(n)]


def test_classifier_separates_two_different_speakers():
    train, held_out = _turns(30, 0), _turns(10, 1)
    clf = train_attributor([t for _, t in train], [s for s, _ in train])
    assert attribution_share(clf, [t for _, t in held_out], [s for s, _ in held_out]) == 1.0


def test_who_said_it_shares_for_good_and_bad_imitations():
    train, real = _turns(30, 0), _turns(5, 2)
    rng = random.Random(3)
    result = who_said_it(train, real, {"tuned": [("Mia", _mia(rng)) for _ in range(8)],
                                       "base": [("Mia", _theo(rng)) for _ in range(8)]})
    assert result["real"] == 1.0 and result["tuned"] == 1.0 and result["base"] == 0.0
    assert result["classes"] == {"Mia": 30, "Theo": 30}


def test_one_speaker_is_skipped_with_a_reason():
    assert "skipped" in who_said_it([("Mia", "hi"), ("Mia", "lol")], [], {})
