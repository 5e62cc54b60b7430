"""The normalised data model shared by every stage: Message and Conversation, plus JSONL I/O.

A conversation is one line of `conversations.jsonl`:
    {"id": "tg-123", "source": "telegram", "title": "Ana", "participants": ["Ana", "Ben"],
     "owner": "Ben", "messages": [{"speaker": "Ana", "text": "hi", "time": "2024-01-02T03:04:05", ...}]}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

import orjson

from simulacra.errors import InputError

# What a message is. Parsers label, never drop: only "text" is trained on by default.
KINDS = ("text", "media", "system", "deleted", "call", "poll", "reaction", "bot", "location", "undecryptable")


@dataclass
class Message:
    """One message as exported. `time` is local wall time as written in the export (or aware if known)."""

    speaker: str
    text: str
    time: datetime | None = None
    source_id: str | None = None
    reply_to: str | None = None
    kind: str = "text"
    edited: bool = False
    forwarded_from: str | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
        d["time"] = self.time.isoformat() if self.time else None
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Message":
        d = dict(d)
        t = d.get("time")
        d["time"] = datetime.fromisoformat(t) if t else None
        return cls(**d)


@dataclass
class Conversation:
    """One chat thread as exported; `owner` is the exporting user when the export says so."""

    id: str
    source: str
    title: str
    participants: list[str]
    messages: list[Message] = field(default_factory=list)
    owner: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "source": self.source, "title": self.title,
            "participants": self.participants, "owner": self.owner,
            "messages": [m.to_dict() for m in self.messages],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Conversation":
        return cls(
            id=d["id"], source=d["source"], title=d.get("title", ""),
            participants=list(d.get("participants", [])), owner=d.get("owner"),
            messages=[Message.from_dict(m) for m in d.get("messages", [])],
        )


def write_conversations(path: Path, conversations: Iterable[Conversation]) -> int:
    """Write conversations as JSONL atomically; returns how many were written."""
    from simulacra.io import atomic_write

    count = 0
    with atomic_write(path, "wb") as f:
        for conv in conversations:
            f.write(orjson.dumps(conv.to_dict()) + b"\n")
            count += 1
    return count


def read_conversations(path: Path) -> Iterator[Conversation]:
    """Read conversations.jsonl, naming the line of any malformed record."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found (run `simulacra ingest` first)")
    with open(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield Conversation.from_dict(orjson.loads(line))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as e:
                raise InputError(path, f"expected a conversation record ({e})", line=lineno) from None


def stream_conversations(path: Path) -> Iterator[tuple[int, Message | Conversation]]:
    """Read conversations.jsonl one message at a time, so memory does not grow with a chat's size.

    Yields (n, Message) for each message of the n-th conversation, then (n, Conversation) with the
    conversation's other fields and no messages once its record ends (a record may list its messages first).
    """
    from simulacra.jsonstream import JsonStream

    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found (run `simulacra ingest` first)")
    with open(path, encoding="utf-8") as f:
        stream = JsonStream(f, str(path))
        index = 0
        while stream.peek():
            if stream.peek() != "{":
                stream.fail("expected a conversation record")
            header = {}
            for key in stream.members():
                if key != "messages" or stream.peek() != "[":
                    header[key] = stream.value()
                    continue
                for _ in stream.items():
                    yield index, _record(Message.from_dict, stream.value(), path, stream, "message")
            yield index, _record(Conversation.from_dict, header, path, stream, "conversation")
            index += 1


def chat_messages(path: Path) -> Iterator[tuple[int, Message]]:
    """(n, message) for every message of the n-th conversation, streamed; the conversations' headers left out."""
    return ((n, item) for n, item in stream_conversations(path) if isinstance(item, Message))


def speaker_counts(path: Path, kinds: Iterable[str] = ("text",)) -> Counter:
    """Messages of these kinds per speaker, first speaker first among equals, streamed (one message in memory);
    empty when the run has no conversations.jsonl (a run copied without its chat)."""
    kinds = set(kinds)
    path = Path(path)
    if not path.is_file():
        return Counter()
    return Counter(m.speaker for _, m in chat_messages(path) if m.kind in kinds)


def _record(build, data, path: Path, stream, what: str):
    try:
        return build(data)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        # JSONL keeps a record on one line, so the stream's line is the record's.
        raise InputError(path, f"expected a {what} record ({e})", line=stream.line()) from None


@dataclass
class Turn:
    """Consecutive messages of one speaker, joined by newlines: the unit a model is trained to produce."""

    speaker: str
    text: str
    time: datetime | None = None


@dataclass
class Example:
    """One training example: token ids with a 0/1 loss mask (1 = trained), plus where it came from.

    The mask stays 0/1 until the collator turns masked positions into -100 labels.
    """

    input_ids: list[int]
    mask: list[int]
    conversation_id: str
    session: int
    speakers: list[str]
    turns: list[Turn]

    def to_dict(self) -> dict:
        return {
            "input_ids": self.input_ids, "mask": self.mask, "conversation_id": self.conversation_id,
            "session": self.session, "speakers": self.speakers,
            "turns": [{"speaker": t.speaker, "text": t.text, "time": t.time.isoformat() if t.time else None}
                      for t in self.turns],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Example":
        turns = [Turn(t["speaker"], t["text"], datetime.fromisoformat(t["time"]) if t.get("time") else None)
                 for t in d["turns"]]
        return cls(d["input_ids"], d["mask"], d["conversation_id"], d["session"], d["speakers"], turns)
