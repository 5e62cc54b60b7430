"""Sessions split on the time gap (across days too), turns merge a speaker's consecutive messages."""

from datetime import datetime, timedelta

from simulacra.prepare.sessions import split_sessions
from tests.conftest import make_chat

GAP = timedelta(minutes=60)


def texts(sessions):
    return [[(t.speaker, t.text) for t in s.turns] for s in sessions]


def test_gap_longer_than_threshold_starts_a_session_and_exact_gap_does_not():
    conv = make_chat(datetime(2024, 3, 1, 23, 30), [
        ("Ana", "a", 0), ("Ben", "b", 60),          # exactly 60 min: same session
        ("Ana", "c", 60.5),                          # 60.5 min: new session
        ("Ben", "d", 2 * 24 * 60 + 1),               # two days and one minute: new session
        ("Ana", "e", 5),
    ])
    assert texts(split_sessions(conv, GAP, {"text"})) == [
        [("Ana", "a"), ("Ben", "b")], [("Ana", "c")], [("Ben", "d"), ("Ana", "e")]]


def test_session_across_midnight_stays_whole():
    conv = make_chat(datetime(2024, 3, 1, 23, 50), [("Ana", "late", 0), ("Ben", "very late", 20)])
    sessions = split_sessions(conv, GAP, {"text"})
    assert len(sessions) == 1 and sessions[0].end.day == 2


def test_consecutive_messages_of_one_speaker_become_one_turn():
    conv = make_chat(datetime(2024, 1, 1), [("Ana", "omg", 0), ("Ana", "lol", 0.2), ("Ben", "Hello.", 1), ("Ana", "hi", 1)])
    assert texts(split_sessions(conv, GAP, {"text"})) == [[("Ana", "omg\nlol"), ("Ben", "Hello."), ("Ana", "hi")]]


def test_time_going_backwards_does_not_split_and_other_kinds_are_skipped():
    conv = make_chat(datetime(2024, 1, 1, 12), [("Ana", "one", 0), ("Ben", "two", -300), ("Ana", "three", 2)])
    conv.messages[1].kind = "system"
    assert texts(split_sessions(conv, GAP, {"text"})) == [[("Ana", "one\nthree")]]
