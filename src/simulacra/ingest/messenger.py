"""Facebook Messenger and Instagram "Download your information" JSON threads (message_1.json, ...).

Every string is UTF-8 bytes written as \\u00XX (mojibake) and is repaired one string at a time.
Parts are newest first: message_1.json is the newest, so parts are read from the highest number
down and each part is reversed as a block (never sorted by time).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, from_epoch, load_json
from simulacra.ingest.tree import Tree, is_zip, zip_names
from simulacra.schema import Conversation, Message

_PART = re.compile(r"message_(\d+)\.json$")
# Where message_1.json sits in a download: near the top, or under inbox/ at most three folders down
# (your_activity_across_facebook/messages/inbox/<thread>/); deeper ones belong to a bigger folder.
_THREAD_PART = re.compile(r"(?:[^/]+/)?message_1\.json$|(?:[^/]+/){0,2}inbox/[^/]+/message_1\.json$")
_MEDIA = ("photos", "videos", "gifs", "audio_files", "files", "sticker")
_REACTION = re.compile(r"^(?:Reagiu com .+ à sua mensagem|Reacted .+ to your message|Reaccionó con .+ a tu mensaje|"
                       r"Hat mit .+ auf deine Nachricht reagiert|.+ reacted .+ to your message|Liked a message)$")


def sniff(path: Path, head: str) -> bool:
    if path.is_dir() or is_zip(path):  # a DYI download (zip or unpacked), an inbox, or one thread folder
        names = Tree(path).names() if path.is_dir() else zip_names(path)
        return any(_THREAD_PART.match(n) for n in names)
    if head.lstrip()[:1] != "{":
        return False
    if '"participants"' in head:
        return '"sender_name"' in head or '"thread_path"' in head
    # Some exports and tools keep only the messages: {"messages": [{"sender_name", "timestamp_ms", ...}]}.
    return all(key in head for key in ('"messages"', '"sender_name"', '"timestamp_ms"'))


def fix(text: str) -> str:
    """Undo Facebook's mojibake ('Ã©' → 'é', 'ð\\x9f\\x98\\x8d' → '😍'); a string already correct stays as is."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    if path.is_dir() or is_zip(path):
        yield from _download(Tree(path))
        return
    match = _PART.fullmatch(path.name)
    given = {Path(p).resolve() for p in getattr(config, "inputs", [])}
    if match and match.group(1) != "1" and (path.parent / "message_1.json").resolve() in given:
        return  # read together with message_1.json, which was also given
    parts = _newest_last([p.name for p in path.parent.iterdir()]) if match and match.group(1) == "1" else [path.name]
    yield _thread([(str(path.parent / n), load_json(path.parent / n)) for n in parts], path.parent.name)


def _download(tree: Tree) -> Iterator[Conversation]:
    """Every thread folder (one holding message_1.json) of a DYI download, folder or zip."""
    names = tree.names()
    owner = _profile_owner(tree, names)
    folders = sorted({posixpath.dirname(n) for n in names if posixpath.basename(n) == "message_1.json"})
    for folder in folders:
        parts = _newest_last([n for n in names if posixpath.dirname(n) == folder])
        conv = _thread([(tree.label(n), tree.json(n)) for n in parts], posixpath.basename(folder))
        conv.owner = owner or conv.owner
        yield conv


def _profile_owner(tree: Tree, names: list[str]) -> str | None:
    """The account holder's name from the download's profile_information.json, where it is included."""
    found = next((n for n in names if posixpath.basename(n) == "profile_information.json"), None)
    profile = tree.json(found) if found else None
    if not isinstance(profile, dict):
        return None
    inner = profile.get("profile_v2") or profile.get("profile") or {}
    name = inner.get("name") if isinstance(inner, dict) else None
    full = name.get("full_name") if isinstance(name, dict) else name
    return clean_name(fix(str(full))) if full else None


def _newest_last(names: list[str]) -> list[str]:
    """Thread parts from the highest number (the oldest messages) down to message_1.json (the newest)."""
    parts = [n for n in names if _PART.fullmatch(posixpath.basename(n))]
    return sorted(parts, key=lambda n: -int(_PART.fullmatch(posixpath.basename(n)).group(1)))


def _thread(parts: list[tuple[str, Any]], folder: str) -> Conversation:
    for label, data in parts:
        if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
            raise InputError(label, "expected a Messenger/Instagram thread object with a 'messages' list")
    head = parts[-1][1]  # message_1.json: the newest part holds the current title and participants
    typed = any("type" in m for _, d in parts for m in d["messages"][:50] if isinstance(m, dict))
    source = "messenger" if "thread_type" in head or typed else "instagram"
    title = fix(str(head.get("title") or ""))
    # With no participants list, the writer takes the senders in order of appearance.
    people = [p for p in head.get("participants") or [] if isinstance(p, dict)]
    participants = [clean_name(fix(str(p.get("name", "")))) for p in people]
    thread = str(head.get("thread_path") or folder)
    conv = Conversation(id=f"{source}-{thread.replace('/', '-')}", source=source, title=title,
                        participants=participants, owner=_owner(participants, title))
    for label, data in parts:  # each part is newest first: reverse it as a block
        for i in range(len(data["messages"]) - 1, -1, -1):
            conv.messages.append(_record(label, i, data["messages"][i]))
    return conv


def _owner(participants: list[str], title: str) -> str | None:
    # A two-person thread is titled with the other person's name, so the exporter is the one left.
    others = [p for p in participants if p != title]
    return others[0] if len(participants) == 2 and len(others) == 1 else None


def _record(path: str, index: int, raw: Any) -> Message:
    try:
        return convert(raw)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
        raise InputError(path, f"expected a Messenger message ({e})", record=f"messages[{index}]") from None


def convert(raw: dict) -> Message:
    """One DYI message → Message; media-only messages get a placeholder naming what was sent."""
    if not isinstance(raw, dict):
        raise TypeError(f"a JSON object, not {type(raw).__name__}")
    text = fix(str(raw.get("content") or ""))
    kind = _kind(raw, text)
    if not text:
        text = _placeholder(raw)
    return Message(speaker=clean_name(fix(str(raw.get("sender_name") or ""))), text=text,
                   time=from_epoch(int(raw["timestamp_ms"]) / 1000), kind=kind)


def _kind(raw: dict, text: str) -> str:
    kind_type = raw.get("type")
    if raw.get("is_unsent") or raw.get("is_taken_down"):
        return "deleted"
    if kind_type in ("Subscribe", "Unsubscribe"):
        return "system"
    if kind_type == "Call" or "call_duration" in raw:
        return "call"
    if text and _REACTION.match(text):
        return "reaction"
    if any(raw.get(k) for k in _MEDIA) or (not text and raw.get("share")):
        return "media"
    return "text"


def _placeholder(raw: dict) -> str:
    for key in _MEDIA:
        if raw.get(key):
            return f"<{key}>"
    share = raw.get("share")
    if isinstance(share, dict) and share.get("link"):
        return str(share["link"])
    if raw.get("users"):
        return ", ".join(fix(str(u.get("name", ""))) for u in raw["users"] if isinstance(u, dict))
    if "call_duration" in raw:
        return f"call ({raw['call_duration']} s)"
    return ""
