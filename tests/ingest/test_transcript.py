"""Transcripts: Name: lines, markdown interviews with timestamps, debate blocks (CRLF), SRT cues."""

from __future__ import annotations

import pytest

from simulacra.errors import InputError


def _turns(conv):
    return [(m.speaker, m.text, m.kind) for m in conv.messages]


def test_markdown_interview(ingest):
    text = ("---\ntitle: Talk\ndate: 2024-01-01\n---\n# Episode 1\n\n"
            "Ana Lima (00:00:05):\nWelcome back.\n\n(00:00:09):\nToday: books.\n\n"
            "Ben (00:01:00):\nThanks [inaudible 00:01:02] for having me.\n")
    (conv,) = ingest("talk.md", text)
    assert _turns(conv) == [("", "Episode 1", "system"), ("Ana Lima", "Welcome back.\nToday: books.", "text"),
                            ("Ben", "Thanks [inaudible 00:01:02] for having me.", "text")]
    assert conv.messages[1].source_id == "00:00:05" and conv.messages[1].time is None


def test_name_lines_and_debate_blocks(ingest):
    (conv,) = ingest("chat.txt", "Ana: hi there\nBen: hello: friend\nsecond line\nAna: bye\n")
    assert _turns(conv) == [("Ana", "hi there", "text"), ("Ben", "hello: friend\nsecond line", "text"), ("Ana", "bye", "text")]
    debate = ("The Honourable Member for Springfield, Jane Roe:\r\nThank you. Note: this matters.\r\n\r\n"
              "Moderator:\r\nTime.\r\n\r\n")
    (conv,) = ingest("debate.txt", debate)
    assert _turns(conv) == [("The Honourable Member for Springfield, Jane Roe", "Thank you. Note: this matters.", "text"),
                            ("Moderator", "Time.", "text")]


def test_srt_speaker_carried_across_cues(ingest):
    srt = ("1\n00:00:01,000 --> 00:00:03,000\nANA: We went to the\n\n"
           "2\n00:00:03,000 --> 00:00:05,000\nmarket yesterday.\n\n"
           "3\n00:00:05,500 --> 00:00:07,000\nBEN: Did you\nbuy anything?\n\n"
           "4\n00:00:07,000 --> 00:00:08,000\n[Ana] Apples.\n")
    (conv,) = ingest("ep.srt", srt)
    assert _turns(conv) == [("ANA", "We went to the market yesterday.", "text"), ("BEN", "Did you buy anything?", "text"),
                            ("Ana", "Apples.", "text")]
    assert conv.messages[1].source_id == "00:00:05,500"


def test_text_before_first_speaker_is_an_error(ingest):
    with pytest.raises(InputError, match="speaker line") as e:
        ingest("t.txt", "Ana: hi\nBen: yo\n", format="transcript") and ingest(
            "t.txt", "some preface.\nAna: hi\nBen: yo\n", format="transcript")
    assert e.value.line == 1
