"""Prepare's first, cheap pass over conversations.jsonl: what needs the whole export before any example is made.

It streams the file message by message and keeps, per chat, only its header, who speaks, the names that may
get a pseudonym, a small sample for the phone-region guess, and each session's first and last time (what
the time-ordered split needs). The second pass (`prepare.run`) streams the file again and writes examples.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Iterator

from simulacra.prepare.config import PrepareConfig
from simulacra.prepare.pii import Scrubber
from simulacra.prepare.pii.regions import RegionSample
from simulacra.schema import Conversation, Message, stream_conversations
from simulacra.sessions import iter_sessions


@dataclass(slots=True)
class SessionSpan:
    """Where a session is and when it ran: all the split needs to know of it."""

    chat: int
    index: int
    start: datetime | None
    end: datetime | None


@dataclass
class Chat:
    header: Conversation  # without its messages
    speaking: list[str] = field(default_factory=list)  # speakers of messages of the kept kinds, in order
    names: list[str] = field(default_factory=list)  # owner, participants, then speakers: pseudonym candidates
    scrubber: Scrubber | None = None


@dataclass
class Survey:
    chats: list[Chat] = field(default_factory=list)
    text_messages: Counter = field(default_factory=Counter)  # speaker -> messages of kind text
    sessions: list[SessionSpan] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # skipped kinds and cut messages


def chats(path: Path, cap: int, counts: Counter | None = None
          ) -> Iterator[tuple[int, Iterator[Message], list[Conversation]]]:
    """(n, messages, header) per chat; `header` holds the Conversation once the messages are consumed.

    Messages longer than `cap` characters are cut to it here, so both passes see the same text; `counts`
    (given by one pass only) counts them.
    """
    for index, items in groupby(stream_conversations(path), key=itemgetter(0)):
        header: list[Conversation] = []
        yield index, _messages(items, cap, header, counts), header


def _messages(items: Iterable[tuple[int, Message | Conversation]], cap: int, header: list,
              counts: Counter | None) -> Iterator[Message]:
    for _, item in items:
        if isinstance(item, Conversation):
            header.append(item)
            continue
        if len(item.text) > cap:
            item.text = item.text[:cap]
            if counts is not None:
                counts["messages_cut"] += 1
        yield item


def survey(path: Path, config: PrepareConfig) -> Survey:
    """One pass over the export, holding at most one session's messages."""
    kinds = set(config.kinds)
    gap = timedelta(minutes=config.session_gap_minutes)
    out = Survey()
    for index, messages, header in chats(path, config.message_cap, out.counts):
        speakers: dict[str, None] = {}
        speaking: dict[str, None] = {}
        sample = RegionSample()

        def watch(messages: Iterator[Message]) -> Iterator[Message]:
            for m in messages:
                speakers.setdefault(m.speaker)
                if m.kind == "text":
                    out.text_messages[m.speaker] += 1
                if m.kind in kinds:
                    speaking.setdefault(m.speaker)
                    sample.add(m.text)
                else:
                    out.counts[f"skipped_kind_{m.kind}"] += 1
                yield m

        for session in iter_sessions("", watch(messages), gap, kinds):
            out.sessions.append(SessionSpan(index, session.index, session.start, session.end))
        conv = header[0]
        chat = Chat(conv, list(speaking), [n for n in (conv.owner, *conv.participants, *speakers) if n])
        if config.scrub or config.block_words:
            chat.scrubber = Scrubber.for_chat(sample.texts, set(speakers) | set(conv.participants), config.scrub,
                                              config.block_words, config.phone_regions)
        out.chats.append(chat)
    return out
