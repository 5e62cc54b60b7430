"""Stream conversations to conversations.jsonl one message at a time, counting as it goes.

Each line has the same fields as `Conversation.to_dict()`; `participants` and `owner` come last
because they are only known once every message has been seen, so a chat never sits in memory.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from typing import BinaryIO, Iterable

import orjson

from simulacra.ingest.common import warn
from simulacra.schema import Conversation, Message

BACKWARDS = timedelta(days=365)


@dataclass
class Tally:
    """Counts over everything written: the manifest's numbers and the speaker table."""

    conversations: int = 0
    messages: int = 0
    kinds: Counter = field(default_factory=Counter)
    speakers: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    count_words: bool = True  # words per speaker, for the speaker table only

    def counts(self) -> dict:
        return {"conversations": self.conversations, "messages": self.messages,
                "kinds": dict(self.kinds.most_common()), "speakers": dict(self.speakers.most_common())}


def write_stream(sink: BinaryIO | None, conversations: Iterable[Conversation], aliases: dict[str, str],
                 tally: Tally) -> None:
    """Write (or, with sink None, only count) every conversation; ids are made unique."""
    seen_ids: set[str] = set()
    for conv in conversations:
        conv.id = _unique(conv.id, seen_ids)
        _write_one(sink, conv, aliases, tally)


def _unique(conv_id: str, seen: set[str]) -> str:
    candidate, n = conv_id, 1
    while candidate in seen:
        n += 1
        candidate = f"{conv_id}-{n}"
    seen.add(candidate)
    return candidate


def _write_one(sink: BinaryIO | None, conv: Conversation, aliases: dict[str, str], tally: Tally) -> None:
    participants = {aliases.get(p, p): None for p in conv.participants}
    out = bytearray()  # written in ~1 MiB pieces: one write call per message costs as much as its encoding
    if sink:
        head = {"id": _clean(conv.id), "source": conv.source, "title": _clean(conv.title)}
        out += orjson.dumps(head)[:-1] + b',"messages":['
    check = _Checks(conv.id)
    batch: list[Message] = []  # encoded together: one orjson call per few hundred messages
    kinds, speakers, words = tally.kinds, tally.speakers, tally.words
    count_words = tally.count_words
    latest, backwards, text_speakers = check.latest, check.backwards, check.speakers
    count = 0
    for msg in conv.messages:
        count += 1
        speaker = msg.speaker
        if aliases:
            speaker = msg.speaker = aliases.get(speaker, speaker)
        if sink:
            batch.append(msg)
            if len(batch) == 512:
                out += _dumps(batch, count > len(batch))
                batch.clear()
                if len(out) > 1 << 20:
                    sink.write(out)
                    out.clear()
        kind = msg.kind
        kinds[kind] += 1
        if speaker and kind != "system":  # a system line's "speaker" may be the group's name
            speakers[speaker] += 1
            if count_words and kind == "text":
                words[speaker] += len(msg.text.split())
            if speaker not in participants:
                participants[speaker] = None
            if kind == "text":
                text_speakers.add(speaker)
        # Dates going backwards by years (what _Checks looks for), inlined: this runs once per message.
        t = msg.time
        if t is not None:
            if t.tzinfo is not None:
                t = t.astimezone(timezone.utc).replace(tzinfo=None)
            if latest is None or t > latest:
                latest = t
            elif backwards is None and latest - t > BACKWARDS:
                backwards = (msg.source_id, t, latest)
    check.latest, check.backwards = latest, backwards
    tally.messages += count
    owner = aliases.get(conv.owner, conv.owner) if conv.owner else None
    if sink:
        if batch:
            out += _dumps(batch, count > len(batch))
        out += b'],"participants":' + orjson.dumps([_clean(p) for p in participants])
        sink.write(out + b',"owner":' + orjson.dumps(owner and _clean(owner)) + b"}\n")
    tally.conversations += 1
    check.finish(count)


def _dumps(batch: list[Message], comma: bool) -> bytes:
    """The messages as JSON objects joined by commas (no brackets), after a comma if `comma`."""
    try:
        body = orjson.dumps(batch)
    except orjson.JSONEncodeError:
        # A lone surrogate (JSON "\\ud800") cannot be UTF-8: replace it rather than fail the whole run.
        for msg in batch:
            for name in ("speaker", "text", "source_id", "reply_to", "forwarded_from"):
                value = getattr(msg, name)
                if isinstance(value, str):
                    setattr(msg, name, value.encode("utf-8", "replace").decode("utf-8"))
        body = orjson.dumps(batch)
    return (b"," if comma else b"") + body[1:-1]


def _clean(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


class _Checks:
    """Signs that a file parsed but looks wrong; each becomes one warning per conversation. The
    writer's loop fills in the speakers of text messages and the latest and backwards-going times."""

    def __init__(self, conv_id: str):
        self.conv_id, self.latest, self.speakers, self.backwards = conv_id, None, set(), None

    def finish(self, count: int) -> None:
        if count == 0:
            warn(f"{self.conv_id}: no messages")
        elif len(self.speakers) == 1 and count > 1:
            warn(f"{self.conv_id}: only one speaker ({next(iter(self.speakers))}) wrote text")
        if self.backwards:
            sid, t, latest = self.backwards
            warn(f"{self.conv_id}: dates go backwards by years (message {sid}: {t:%Y-%m-%d} after {latest:%Y-%m-%d}); "
                 "check the export (for WhatsApp-style dates: --set date_order=...)")
