"""Split conversations into sessions by time gap and merge each speaker's consecutive messages into turns.

Below the stages: prepare cuts sessions into training windows, analyze measures them.

    messages at 10:00 Ana, 10:01 Ana, 10:02 Ben, 13:00 Ana   (gap 60 min)
    -> session 0: [Ana: "a\\nb", Ben: "c"],  session 1: [Ana: "d"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable, Iterator

from simulacra.schema import Conversation, Message, Turn


@dataclass
class Session:
    conversation_id: str
    index: int
    turns: list[Turn] = field(default_factory=list)

    @property
    def start(self) -> datetime | None:
        return next((t.time for t in self.turns if t.time), None)

    @property
    def end(self) -> datetime | None:
        return next((t.time for t in reversed(self.turns) if t.time), None)


def _comparable(t: datetime) -> datetime:
    # Mixed aware/naive times cannot be subtracted; compare wall-clock times instead.
    return t.replace(tzinfo=None)


def split_sessions(conv: Conversation, gap: timedelta, kinds: set[str]) -> list[Session]:
    """Sessions of one conversation, keeping file order; only messages of `kinds` become turns."""
    return list(iter_sessions(conv.id, conv.messages, gap, kinds))


def iter_sessions(conv_id: str, messages: Iterable[Message], gap: timedelta, kinds: set[str]) -> Iterator[Session]:
    """Like split_sessions, for messages read as a stream: only one session is held at a time."""
    index = 0
    last_time: datetime | None = None
    current: list[Message] = []
    for msg in messages:
        if msg.kind not in kinds or not msg.text.strip():
            continue
        # A backwards jump in time (common in real exports) never opens a session; only a forward gap does.
        if current and msg.time and last_time and _comparable(msg.time) - _comparable(last_time) > gap:
            yield Session(conv_id, index, merge_turns(current))
            index += 1
            current = []
        current.append(msg)
        if msg.time:
            last_time = msg.time
    if current:
        yield Session(conv_id, index, merge_turns(current))


def merge_turns(messages: list[Message]) -> list[Turn]:
    """Consecutive messages of one speaker become one turn, joined by newlines; the turn keeps the first time."""
    turns: list[Turn] = []
    for msg in messages:
        if turns and turns[-1].speaker == msg.speaker:
            turns[-1].text += "\n" + msg.text
        else:
            turns.append(Turn(msg.speaker, msg.text, msg.time))
    return turns
