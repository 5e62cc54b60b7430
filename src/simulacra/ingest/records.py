"""Data-set records in JSONL or a JSON array: chat `messages`, ShareGPT, prompt/response, segments, flat rows.

    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hey"}]}
    {"prompt": "[Ana] hi\\n[Ben] hey", "response": "[Ana] how are you?"}   → Ana, Ben, Ana
    {"segments": [{"label": false, "text": "Q: "}, {"label": true, "text": "A"}]} → user, assistant
    {"speaker": "Ana", "text": "hi", "time": "2024-01-02T03:04:05", "conversation": "c1"}  (flat rows)
Flat rows come from any field names via `columns` (e.g. {"speaker": "author", "text": "body"}).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from itertools import groupby
from pathlib import Path
from typing import Any, Iterable, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, from_epoch, iso_time
from simulacra.jsonstream import JsonStream
from simulacra.schema import Conversation, Message

GUESS = {"speaker": ("speaker", "author", "sender", "from", "name", "user", "role", "sender_name"),
         "text": ("text", "message", "content", "body", "value", "utterance"),
         "time": ("time", "timestamp", "date", "datetime", "created_at", "created"),
         "conversation": ("conversation", "conversation_id", "thread", "thread_id", "chat", "chat_id", "dialog_id")}
_SHAPES = ("messages", "conversations", "segments", "prompt")
_NAMED = re.compile(r"^\[([^\]\n]{1,60})\] ?(.*)$")
_SHAREGPT = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "chatgpt": "assistant"}


def sniff(path: Path, head: str) -> bool:
    """JSONL whose first line, or a JSON array whose first element, is a record we can read."""
    text = head.lstrip()
    if text.startswith("["):
        start = text.find("{")
        try:
            record = json.JSONDecoder().raw_decode(text, start)[0] if start > 0 else None
        except ValueError:  # the first element runs past the head: judge by its first key
            return bool(re.match(r'\[\s*\{\s*"(messages|conversations|segments|prompt)"\s*:', text))
        return _readable(record)
    first = next((ln for ln in text.splitlines() if ln.strip()), "").strip()
    if first.startswith("{"):
        try:
            return _readable(json.loads(first))
        except ValueError:
            return bool(re.match(r'\{\s*"(messages|conversations|segments|prompt)"\s*:', first))
    return False


def _readable(record: Any) -> bool:
    return isinstance(record, dict) and (shape(record) != "flat" or mapping(record.keys(), {}) is not None)


def shape(record: dict) -> str:
    for key in _SHAPES:
        if key in record:
            return key
    return "flat"


def mapping(fields: Iterable[str], given: dict[str, str]) -> dict[str, str] | None:
    """Which field holds speaker, text, time and conversation; None without both speaker and text."""
    fields = list(fields)
    lower = {f.lower(): f for f in fields}
    out = {k: v for k, v in given.items() if v in fields}
    for role, names in GUESS.items():
        if role not in out:
            found = next((lower[n] for n in names if n in lower), None)
            if found:
                out[role] = found
    return out if "speaker" in out and "text" in out else None


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    yield from conversations(path, _numbered(path), dict(getattr(config, "columns", {}) or {}))


def _numbered(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, record) from JSONL, or (index, record) from a JSON array file."""
    with open(path, encoding="utf-8-sig") as f:
        first = f.read(1)
        while first.isspace():
            first = f.read(1)
    if first == "[":  # a JSON array of records: streamed, each record numbered by the line it starts on
        with open(path, encoding="utf-8-sig") as f:
            stream = JsonStream(f, str(path))
            for _ in stream.items():
                stream.peek()  # move to the record, so its line is where it starts
                yield stream.line(), stream.value()
            stream.end()
        return
    with open(path, encoding="utf-8-sig", errors="strict") as f:
        try:
            for lineno, line in enumerate(f, 1):
                if line.strip():
                    yield lineno, _json_line(path, lineno, line)
        except UnicodeDecodeError as e:
            raise InputError(path, f"expected UTF-8 text ({e.reason})") from None


def _json_line(path: Path, lineno: int, line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError as e:
        raise InputError(path, f"malformed JSON line ({e})", line=lineno) from None


def conversations(path: Path, records: Iterator[tuple[int, Any]],
                  columns: dict[str, str]) -> Iterator[Conversation]:
    """Whole-conversation records become one conversation each; consecutive flat rows with the same
    conversation field form one thread, streamed (file order kept, never regrouped)."""
    fields: dict[str, str] | None = None

    def group_of(item: tuple[int, Any]) -> tuple[str, Any]:
        nonlocal fields
        where, record = item
        if not isinstance(record, dict):
            raise InputError(path, "expected a JSON object per record", line=where)
        if shape(record) != "flat":
            return "whole", where  # a group of its own
        fields = fields or _fields(path, where, record, columns)
        key = fields.get("conversation")
        return "flat", str(record.get(key, "")) if key else ""

    for n, ((kind, key), group) in enumerate(groupby(records, group_of)):
        if kind == "whole":
            ((where, record),) = group
            yield _whole(path, where, shape(record), record)
            continue
        conv = Conversation(id=f"{path.stem}-{key or n}", source="records", title=key, participants=[])
        conv.messages = (_flat_message(path, where, row, fields) for where, row in group)
        yield conv


def _fields(path: Path, where: int, record: dict, columns: dict[str, str]) -> dict[str, str]:
    found = mapping(record.keys(), columns)
    if found is None:
        raise InputError(path, f"cannot tell the speaker and text fields among {sorted(record)}; "
                         "map them with --column speaker=NAME --column text=NAME", line=where)
    return found


def _flat_message(path: Path, where: int, row: dict, fields: dict[str, str]) -> Message:
    try:
        time = any_time(row.get(fields["time"])) if "time" in fields else None
    except (ValueError, OverflowError, OSError) as e:
        raise InputError(path, f"expected a date or epoch time in {fields['time']!r} ({e})", line=where) from None
    return Message(speaker=clean_name(str(row.get(fields["speaker"]) or "")), text=str(row.get(fields["text"]) or ""),
                   time=time)


def any_time(value: Any) -> datetime | None:
    """ISO text or epoch seconds/milliseconds."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{9,13}(\.\d+)?", value)):
        seconds = float(value)
        return from_epoch(seconds / 1000 if seconds > 1e11 else seconds)
    return iso_time(value)


def _whole(path: Path, where: int, kind: str, record: dict) -> Conversation:
    try:
        messages = _READERS[kind](record)
    except (TypeError, KeyError, AttributeError) as e:
        raise InputError(path, f"expected a {kind!r} record ({e})", line=where) from None
    source = {"messages": "openai", "conversations": "sharegpt", "segments": "segments", "prompt": "prompt"}[kind]
    conv_id = str(record.get("id") or f"{path.stem}-{where}")
    return Conversation(id=conv_id, source=source, title="", participants=[], messages=messages)


def _chat(record: dict) -> list[Message]:  # OpenAI / chat-template `messages`
    out = []
    for turn in record["messages"]:
        role = str(turn["role"])
        out.append(Message(speaker=clean_name(str(turn.get("name") or role)), text=_content(turn.get("content")),
                           kind="system" if role == "system" else "text"))
    return out


def _content(content: Any) -> str:
    if isinstance(content, list):  # OpenAI content parts
        return "".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


def _sharegpt(record: dict) -> list[Message]:
    out = []
    for turn in record["conversations"]:
        who = str(turn["from"])
        out.append(Message(speaker=_SHAREGPT.get(who.lower(), who), text=str(turn["value"]),
                           kind="system" if who == "system" else "text"))
    return out


def _segments(record: dict) -> list[Message]:
    out = []
    for seg in record["segments"]:
        out += named_turns(str(seg["text"]), "assistant" if seg.get("label") else "user")
    return out


def _prompt(record: dict) -> list[Message]:
    answer = next((record[k] for k in ("response", "completion", "chosen", "output") if k in record), None)
    turns = named_turns(str(record["prompt"]), "user")
    return turns + (named_turns(str(answer), "assistant") if answer is not None else [])


def named_turns(text: str, default: str) -> list[Message]:
    """Split '[Ana] hi\\n[Ben] hey' into turns by the bracketed names; unprefixed text is `default`'s."""
    turns: list[Message] = []
    for line in text.split("\n"):
        m = _NAMED.match(line)
        if m:
            turns.append(Message(speaker=clean_name(m.group(1)), text=m.group(2)))
        elif turns:
            turns[-1].text += "\n" + line
        elif line.strip():
            turns.append(Message(speaker=default, text=line))
    return turns


_READERS = {"messages": _chat, "conversations": _sharegpt, "segments": _segments, "prompt": _prompt}
