"""Reading conversations.jsonl for names and counts keeps memory flat: a 4× bigger chat costs no more peak memory.

One exported group chat is one record, so reading it conversation by conversation holds every message at
once: 35 MB at peak for the 12,000 messages here, 139 MB for 48,000. The stream holds one message and its
1 MiB chunks of text: 4.2 MB and 5.3 MB (the step is the second chunk, flat from 24,000 messages on).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import orjson

from simulacra.export.names import _chats
from simulacra.schema import Conversation, Message, speaker_counts

SPEAKERS = ["Ana", "Ben", "Cleo"]


def _write_chat(path: Path, n: int) -> Path:
    """One conversation of n messages (one media in ten), written as ingest writes it."""
    messages = [Message(SPEAKERS[i % 3], f"message {i} about the trip, see you at the station at noon",
                        kind="media" if i % 10 == 9 else "text") for i in range(n)]
    conv = Conversation("c1", "whatsapp", "Trip", SPEAKERS, messages)
    path.write_bytes(orjson.dumps(conv.to_dict()) + b"\n")
    return path


def _peak(fn, *args) -> tuple[int, object]:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = fn(*args)
        return tracemalloc.get_traced_memory()[1] - base, result
    finally:
        tracemalloc.stop()


def test_counting_speakers_streams_one_message_at_a_time(tmp_path):
    small_path, large_path = _write_chat(tmp_path / "small.jsonl", 12_000), _write_chat(tmp_path / "big.jsonl", 48_000)
    assert large_path.stat().st_size > 8 << 20  # many of the stream's 1 MiB chunks
    small, counts = _peak(speaker_counts, small_path)
    large, large_counts = _peak(speaker_counts, large_path)
    assert counts == {"Ana": 3600, "Ben": 3600, "Cleo": 3600}  # media left out
    assert large_counts == {"Ana": 14_400, "Ben": 14_400, "Cleo": 14_400}
    # 36,000 more messages held at once would be about 100 MB more; a chunk of text is 1 MiB
    assert large - small < 2 << 20, (small, large)


def test_export_names_keep_counts_per_chat_not_messages(tmp_path):
    small, chats = _peak(_chats, _write_chat(tmp_path / "small.jsonl", 12_000), {"text"})
    large, _ = _peak(_chats, _write_chat(tmp_path / "large.jsonl", 48_000), {"text"})
    assert len(chats) == 1 and list(chats[0].kept) == SPEAKERS and chats[0].every["Ana"] == 4000
    assert large - small < 2 << 20, (small, large)
