"""Privacy audit helpers on hand-made strings."""

from simulacra.evaluate.memorisation import exact_match, match_rates, near_match, pii_findings, split_turn


def test_split_turn():
    text = "i ate crisps for breakfast again today"
    prefix, target = split_turn(text)
    assert prefix + target == text
    assert len(prefix) >= 10 and 20 <= len(target) <= 40
    assert split_turn("too short to test") is None
    long = "x" * 200
    assert len(split_turn(long)[1]) == 40


def test_exact_and_near_matches():
    assert exact_match("breakfast again today, honestly", "breakfast again today")
    assert not exact_match("lunch again today", "breakfast again today")
    assert near_match("see you at noon!!  ", "see you at noon!")
    assert not near_match("something else entirely", "see you at noon!")
    rates = match_rates([("abc def ghi jkl mno pqr", "abc def ghi jkl mno pqr"), ("zzz", "abc def ghi jkl mno pqr")])
    assert rates == {"n": 2, "exact": 0.5, "near": 0.5}


def test_pii_leaks_are_told_apart_from_invented_values():
    training = ["mail me at mia.chen@example.com", "or call +44 7700 900123"]  # messages, read one at a time
    generated = ["sure, it's mia.chen@example.com", "ring 020 7946 0000", "my email is [EMAIL] lol",
                 "call me on <PHONE>"]
    found = pii_findings(generated, training)
    assert found["pii"]["email"] == {"found": 1, "in_training_data": 1, "examples": ["mi***om"]}
    assert found["pii"]["phone"]["found"] == 1 and found["pii"]["phone"]["in_training_data"] == 0
    assert found["leaked_values"] == 1
    assert found["placeholders"] == 2  # prepare's <PHONE> and a [EMAIL] variant


def test_the_training_messages_are_not_read_when_nothing_looks_like_pii():
    def messages():
        raise AssertionError("the chat was read")
        yield  # a generator that fails when started

    found = pii_findings(["see you at noon", "lol"], messages())
    assert found["leaked_values"] == 0 and all(f["found"] == 0 for f in found["pii"].values())
