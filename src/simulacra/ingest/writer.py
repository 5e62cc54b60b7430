"""Stream conversations to conversations.jsonl a few hundred messages at a time, counting as it goes.

Each line has the same fields as `Conversation.to_dict()`; `participants` and `owner` come last
because they are only known once every message has been seen, so a chat never sits in memory.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import islice
from operator import attrgetter
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
    # Messages per (speaker, kind), in order of first appearance: the tally's kinds and speakers and the
    # participants' order are read from it at the end.
    pairs: Counter = Counter()
    words = tally.words if tally.count_words else None
    count = 0
    messages = iter(conv.messages)
    while True:
        batch = list(islice(messages, 512))  # encoded, counted and checked together, in C where possible
        if not batch:
            break
        if aliases:
            for msg in batch:
                msg.speaker = aliases.get(msg.speaker, msg.speaker)
        count += len(batch)
        _take(batch, count > len(batch), out, pairs, words, check, sink is not None)
        if sink and len(out) > 1 << 20:
            sink.write(out)
            out.clear()
    for (speaker, kind), n in pairs.items():
        tally.kinds[kind] += n
        if speaker and kind != "system":  # a system line's "speaker" may be the group's name
            tally.speakers[speaker] += n
            participants.setdefault(speaker, None)
            if kind == "text":
                check.speakers.add(speaker)
    tally.messages += count
    owner = aliases.get(conv.owner, conv.owner) if conv.owner else None
    if sink:
        out += b'],"participants":' + orjson.dumps([_clean(p) for p in participants])
        sink.write(out + b',"owner":' + orjson.dumps(owner and _clean(owner)) + b"}\n")
    tally.conversations += 1
    check.finish(count)


_SPEAKER_KIND, _TIME = attrgetter("speaker", "kind"), attrgetter("time")


def _take(batch: list[Message], comma: bool, out: bytearray, pairs: Counter, words: Counter | None,
          check: "_Checks", encode: bool) -> None:
    """Encode (when writing), count and check a batch of messages."""
    if encode:
        out += _dumps(batch, comma)
    pairs.update(map(_SPEAKER_KIND, batch))
    if words is not None:
        for msg in batch:
            if msg.kind == "text" and msg.speaker:
                words[msg.speaker] += len(msg.text.split())
    check.see(batch, [t for t in map(_TIME, batch) if t is not None])


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


def _naive(t: datetime) -> datetime:
    return t.astimezone(timezone.utc).replace(tzinfo=None) if t.tzinfo is not None else t


class _Checks:
    """Signs that a file parsed but looks wrong; each becomes one warning per conversation."""

    def __init__(self, conv_id: str):
        self.conv_id, self.latest, self.speakers, self.backwards = conv_id, None, set(), None

    def see(self, batch: list[Message], times: list[datetime]) -> None:
        """Follow the latest time; note the first message dated years before a message above it."""
        if not times:
            return
        try:
            low, high = min(times), max(times)
        except TypeError:  # naive and aware times mixed
            low = high = None
        if low is None or high.tzinfo is not None or low.tzinfo is not None:
            times = [_naive(t) for t in times]
            low, high = min(times), max(times)
        latest = self.latest if self.latest is not None else high
        if self.backwards is None and max(latest, high) - low > BACKWARDS:
            self._walk(batch)  # some message here may go back by years: find the first, in order
        self.latest = max(latest, high)

    def _walk(self, batch: list[Message]) -> None:
        for msg in batch:
            if msg.time is None:
                continue
            t, latest = _naive(msg.time), self.latest
            if latest is None or t > latest:
                self.latest = t
            elif self.backwards is None and latest - t > BACKWARDS:
                self.backwards = (msg.source_id, t, latest)

    def finish(self, count: int) -> None:
        if count == 0:
            warn(f"{self.conv_id}: no messages")
        elif len(self.speakers) == 1 and count > 1:
            warn(f"{self.conv_id}: only one speaker ({next(iter(self.speakers))}) wrote text")
        if self.backwards:
            sid, t, latest = self.backwards
            warn(f"{self.conv_id}: dates go backwards by years (message {sid}: {t:%Y-%m-%d} after {latest:%Y-%m-%d}); "
                 "check the export (for WhatsApp-style dates: --set date_order=...)")
