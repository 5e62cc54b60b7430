"""Telegram Desktop JSON exports: one chat, a full account (`chats.list`), or a bare message array."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, from_epoch, progress, warn
from simulacra.jsonstream import JsonStream, drained
from simulacra.schema import Conversation, Message

_CHAT_TYPES = re.compile(r'"type"\s*:\s*"(personal_chat|private_group|private_supergroup|public_supergroup|'
                         r'public_channel|private_channel|saved_messages|bot_chat)"')
_MEDIA_FIELDS = ("media_type", "photo", "file")
_EXPECTED = "expected a Telegram export: an object with 'messages' or 'chats.list', or a message array"


def sniff(path: Path, head: str) -> bool:
    start = head.lstrip(" \t\r\n")[:1]
    if start not in ("{", "["):
        return False
    if start == "{" and ('"personal_information"' in head or re.search(r'"chats"\s*:\s*\{', head)):
        return True
    return bool(_CHAT_TYPES.search(head) or '"date_unixtime"' in head
                or ('"from_id"' in head and re.search(r'"type"\s*:\s*"(message|service)"', head)))


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    """Stream the export: chats and their messages are decoded one at a time, never the whole file."""
    size = path.stat().st_size
    try:
        with open(path, encoding="utf-8-sig") as f:
            stream = JsonStream(f, str(path), on_chunk=lambda: progress(f.buffer.tell(), size))
            yield from _document(path, stream, list(getattr(config, "chats", []) or []))
            stream.end()
    except RecursionError:
        raise InputError(path, "malformed JSON: nested too deeply") from None


def _document(path: Path, stream: JsonStream, wanted: list[str]) -> Iterator[Conversation]:
    start = stream.peek()
    if start == "[":
        yield from drained(chat_conversation(path, {"name": path.stem, "id": path.stem}, _items(stream), ""))
        return
    if start != "{":
        stream.fail(_EXPECTED)
    header: dict[str, Any] = {}
    owner, found, seen_messages = "", set(), False
    for key in stream.members():
        if key == "messages" and stream.peek() == "[":
            seen_messages = True
            yield from drained(chat_conversation(path, header, _items(stream), owner))
        elif key in ("chats", "left_chats") and stream.peek() == "{":
            seen_messages = True
            yield from _chat_section(path, stream, key, owner, wanted, found)
        elif key == "personal_information":
            owner = account_owner(stream.value())
        elif stream.peek() in "{[":
            stream.skip()  # contacts, frequent_contacts, ...: large and not needed
        else:
            header[key] = stream.value()
    if not seen_messages:
        raise InputError(path, _EXPECTED)
    missing = [w for w in wanted if w not in found]
    if missing:
        warn(f"{path}: no chat named {', '.join(map(repr, missing))} in this export")


def _items(stream: JsonStream) -> Iterator[tuple[int, Any]]:
    for i in stream.items():
        yield i, stream.value()


def _chat_section(path: Path, stream: JsonStream, section: str, owner: str, wanted: list[str],
                  found: set[str]) -> Iterator[Conversation]:
    for key in stream.members():
        if key != "list" or stream.peek() != "[":
            stream.skip()
            continue
        for i in stream.items():
            if stream.peek() != "{":
                stream.fail(f"expected a chat object in {section}.list[{i}]")
            yield from _chat(path, stream, f"{section}.list[{i}].", owner, wanted, found)


def _chat(path: Path, stream: JsonStream, prefix: str, owner: str, wanted: list[str],
          found: set[str]) -> Iterator[Conversation]:
    header: dict[str, Any] = {}
    for key in stream.members():
        if key == "messages" and stream.peek() == "[":
            if wanted and not keep_chat(header, wanted, found):
                stream.skip()
            else:
                yield from drained(chat_conversation(path, header, _items(stream), owner, prefix))
        elif stream.peek() in "{[":
            stream.skip()
        else:
            header[key] = stream.value()


def account_owner(info: Any) -> str:
    if not isinstance(info, dict):
        return ""
    return clean_name(" ".join(str(info.get(k) or "") for k in ("first_name", "last_name")))


def keep_chat(chat: dict, wanted: list[str], found: set[str]) -> bool:
    for key in (str(chat.get("name") or ""), str(chat.get("id") or "")):
        if key and key in wanted:
            found.add(key)
            return True
    return False


def chat_conversation(path: Path, chat: dict, messages: Iterable[tuple[int, Any]], owner: str,
                      prefix: str = "") -> Conversation:
    """A Conversation whose messages are converted lazily, so a huge chat is never held in memory."""
    name = clean_name(str(chat.get("name") or ""))
    chat_type = str(chat.get("type") or "")
    conv = Conversation(id=f"telegram-{chat.get('id', path.stem)}", source="telegram",
                        title=name or ("Saved Messages" if chat_type == "saved_messages" else ""),
                        participants=[], owner=owner or None)
    conv.messages = _messages(path, conv, chat_type, name, messages, prefix)
    return conv


def _messages(path: Path, conv: Conversation, chat_type: str, name: str, messages: Iterable[tuple[int, Any]],
              prefix: str) -> Iterator[Message]:
    speakers: dict[str, None] = {}
    for i, raw in messages:
        try:
            msg = convert(raw)
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
            raise InputError(path, f"expected a Telegram message ({e})", record=f"{prefix}messages[{i}]") from None
        if chat_type == "bot_chat" and msg.speaker == name and msg.kind == "text":
            msg.kind = "bot"
        if msg.kind != "system" and msg.speaker:
            speakers.setdefault(msg.speaker, None)
        yield msg
    # A personal chat is named after the other person, so the remaining speaker is the exporter.
    others = [s for s in speakers if s != name]
    if conv.owner is None and chat_type == "personal_chat" and name in speakers and len(others) == 1:
        conv.owner = others[0]


def convert(raw: dict) -> Message:
    """One Telegram message dict → Message, labelling services, calls, media, polls and locations."""
    if not isinstance(raw, dict):
        raise TypeError(f"a JSON object, not {type(raw).__name__}")
    # `text_entities` is the normalised copy of `text`; preprocessed files may keep only one of them.
    text = flatten(raw["text"] if "text" in raw else raw.get("text_entities", ""))
    if raw.get("type") == "service":
        kind, speaker = _service(raw, text)
    else:
        speaker = clean_name(str(raw.get("from") or raw.get("from_id") or ""))
        kind, text = _content(raw, text)
    reply = raw.get("reply_to_message_id")
    forwarded = raw.get("forwarded_from")
    if raw.get("type") == "service" and not text:
        text = describe_service(raw)
    return Message(speaker=speaker, text=text,
                   time=message_time(raw), source_id=_str(raw.get("id")), reply_to=_str(reply),
                   kind=kind, edited="edited" in raw or "edited_unixtime" in raw,
                   forwarded_from=clean_name(str(forwarded)) if forwarded else None)


def _service(raw: dict, text: str) -> tuple[str, str]:
    speaker = clean_name(str(raw.get("actor") or raw.get("from") or raw.get("actor_id") or ""))
    return ("call" if raw.get("action") in ("phone_call", "group_call") else "system"), speaker


def describe_service(raw: dict) -> str:
    """A readable line for a service message, whose own text is empty: 'phone_call (missed, 0 s)'."""
    action = str(raw.get("action") or "service")
    details = [str(raw[k]) for k in ("discard_reason", "title", "new_title") if raw.get(k)]
    if raw.get("duration_seconds") is not None:
        details.append(f"{raw['duration_seconds']} s")
    if isinstance(raw.get("members"), list):
        details.append(", ".join(str(m) for m in raw["members"]))
    return f"{action} ({'; '.join(details)})" if details else action


def _content(raw: dict, text: str) -> tuple[str, str]:
    if isinstance(raw.get("poll"), dict):
        poll = raw["poll"]
        options = [f"- {flatten(a.get('text', ''))} ({a.get('voters', 0)} votes)" for a in poll.get("answers") or []]
        return "poll", "\n".join([flatten(poll.get("question", "")), *options])
    if isinstance(raw.get("location_information"), dict):
        loc = raw["location_information"]
        return "location", text or f"<location {loc.get('latitude')},{loc.get('longitude')}>"
    if isinstance(raw.get("contact_information"), dict):
        return "media", text or "<contact>"
    if any(k in raw for k in _MEDIA_FIELDS):
        media = str(raw.get("media_type") or ("photo" if "photo" in raw else "file"))
        if media == "sticker":
            return "media", str(raw.get("sticker_emoji") or text or "<sticker>")
        return "media", text or f"<{media}>"
    return "text", text


def flatten(text: Any) -> str:
    """Telegram text: a string, or a list of strings and entity dicts whose `text` parts join up."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(part if isinstance(part, str) else flatten(part.get("text", "")) for part in text)
    if isinstance(text, dict):
        return flatten(text.get("text", ""))
    if text is None:
        return ""
    raise TypeError(f"'text' must be a string or a list, not {type(text).__name__}")


def message_time(raw: dict) -> datetime | None:
    """Local wall time from `date`, else aware UTC from `date_unixtime` (a string of seconds)."""
    date = raw.get("date")
    if isinstance(date, str) and date:
        return datetime.fromisoformat(date)
    stamp = raw.get("date_unixtime")
    if stamp not in (None, ""):
        return from_epoch(int(stamp))
    return None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
