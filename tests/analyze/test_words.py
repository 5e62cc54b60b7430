"""Words and emoji: sequences count as one emoji, stop words, URLs and placeholders are not words."""

from __future__ import annotations

from datetime import datetime

from simulacra.analyze.words import found_emoji, top_words
from tests.conftest import make_chat


def test_emoji_sequences_count_once():
    assert found_emoji("hi 👩\u200d👩\u200d👧 ok 👍🏽 and 🇫🇷 plus 1\ufe0f\u20e3 café x😂😂") == [
        "👩\u200d👩\u200d👧", "👍🏽", "🇫🇷", "1\ufe0f\u20e3", "😂", "😂"]
    assert found_emoji("no emoji here, déjà vu 42") == []


def test_words_leave_out_stop_words_urls_and_placeholders():
    # "how" is a stop word; "don't" and "I" too.
    chat = make_chat(datetime(2024, 1, 1), [("Ana", "I don't KNOW, see https://x.io/a <PHONE> know-how", 0),
                                            ("Ana", "c'est la vie 2024", 1)])
    words, emoji = top_words([chat], 10, {"text"})
    assert words == {"Ana": [["know", 2], ["see", 1], ["c'est", 1], ["la", 1], ["vie", 1]]}
    assert emoji == {}
