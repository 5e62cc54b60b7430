"""Discord: DiscordChatExporter JSON/CSV, REST-API dumps flattened to CSV, and the official data package.

DiscordChatExporter files are oldest first; API dumps and `Id,Author,Date,Message` CSVs are newest
first and are reversed as a block (never sorted). The data package holds only the owner's messages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, csv_header, csv_rows, iso_time, load_json
from simulacra.jsonstream import JsonStream, drained
from simulacra.ingest.tree import Tree, is_zip, zip_names
from simulacra.schema import Conversation, Message

_USER_TYPES = {"Default", "Reply", "0", "19"}
_CALL_TYPES = {"Call", "3"}
_BOT_NAME = re.compile(r"(?:\bbot\b|Bot$|^(?:Rythm|Groovy|MEE6|Dyno|FredBoat|Hydra|Mudae|Dank Memer|Carl-bot)$)", re.I)
_DCE_CSV = {"AuthorID", "Author", "Date", "Content"}
_PACKAGE_CSV = {"ID", "Timestamp", "Contents"}


def sniff(path: Path, head: str) -> bool:
    if path.is_dir() or is_zip(path):
        return _is_package(path)
    start = head.lstrip()[:1]
    if start == "{":
        return '"guild"' in head and '"channel"' in head and '"messages"' in head
    if start == "[":
        return bool(re.search(r'\{\s*"ID"\s*:', head)) and '"Timestamp"' in head and '"Contents"' in head
    cols = set(csv_header(head))
    return _DCE_CSV <= cols or _PACKAGE_CSV <= cols or {"Id", "Author", "Date", "Message"} <= cols or \
        ("author.username" in cols and "content" in cols)


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    if path.is_dir() or is_zip(path):
        yield from _package(path)
    elif path.suffix.lower() == ".csv":
        yield _csv(path)
    elif _starts_with_array(path):
        yield _package_channel(path, str(path), path.parent.name, load_json(path), "me")
    else:
        yield from _exporter_json(path)


def _starts_with_array(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"["


def _exporter_json(path: Path) -> Iterator[Conversation]:
    """A DiscordChatExporter file, streamed: guild and channel come first, then the messages one by one."""
    with open(path, encoding="utf-8-sig") as f:
        stream = JsonStream(f, str(path))
        header: dict[str, Any] = {}
        found = False
        for key in stream.members():
            if key == "messages" and stream.peek() == "[":
                found = True
                yield from drained(_exporter_conversation(path, header, stream))
            else:
                header[key] = stream.value()
        stream.end()
    if not found:
        raise InputError(path, "expected a DiscordChatExporter object with a 'messages' list")


def _exporter_conversation(path: Path, header: dict, stream: JsonStream) -> Conversation:
    guild = header.get("guild") if isinstance(header.get("guild"), dict) else {}
    channel = header.get("channel") if isinstance(header.get("channel"), dict) else {}
    title = " / ".join(str(x) for x in (guild.get("name"), channel.get("category"), channel.get("name")) if x)
    conv = Conversation(id=f"discord-{channel.get('id', path.stem)}", source="discord", title=title, participants=[])
    conv.messages = (_record(path, f"messages[{i}]", _exporter_message, stream.value()) for i in stream.items())
    return conv


def _record(path: Path, where: str, convert, raw: Any) -> Message:
    try:
        return convert(raw)
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        raise InputError(path, f"expected a Discord message ({e})", record=where) from None


def _exporter_message(raw: dict) -> Message:
    author = raw["author"]
    speaker = clean_name(str(author.get("nickname") or author.get("name") or ""))
    kind_type = str(raw.get("type", "Default"))
    kind = "text" if kind_type in _USER_TYPES else "call" if kind_type in _CALL_TYPES else "system"
    if kind == "text" and author.get("isBot"):
        kind = "bot"
    text = str(raw.get("content") or "")
    if kind == "text" and not text and (raw.get("attachments") or raw.get("stickers")):
        names = [a.get("fileName") or a.get("url", "") for a in raw.get("attachments") or []]
        names += [f"sticker {s.get('name', '')}" for s in raw.get("stickers") or []]
        kind, text = "media", " ".join(f"<{n}>" for n in names)
    reference = raw.get("reference") or {}
    return Message(speaker=speaker, text=text, time=iso_time(raw.get("timestamp")), source_id=str(raw.get("id")),
                   reply_to=reference.get("messageId"), kind=kind, edited=bool(raw.get("timestampEdited")))


def _csv(path: Path) -> Conversation:
    rows = list(csv_rows(path))
    cols = set(rows[0][1]) if rows else set()
    if _DCE_CSV <= cols:
        convert, newest_first = _dce_row, False
    elif "author.username" in cols:
        convert, newest_first = _api_row, True
    elif {"Id", "Author", "Date", "Message"} <= cols:
        convert, newest_first = _custom_row, True
    else:
        return _package_channel(path, str(path), path.parent.name, [r for _, r in rows], "me")
    messages = [_record_line(path, line, convert, row) for line, row in rows]
    conv = Conversation(id=f"discord-{path.stem}", source="discord", title=path.stem, participants=[])
    conv.messages = messages[::-1] if newest_first else messages
    return conv


def _record_line(path: Path, line: int, convert, row: dict) -> Message:
    try:
        return convert(row)
    except (TypeError, ValueError, KeyError) as e:
        raise InputError(path, f"expected a Discord message row ({e})", line=line) from None


def _cell(value: str) -> str:
    return "" if value == "." else value  # API dumps write '.' for an empty cell


def _dce_row(row: dict) -> Message:
    text, attachments = row.get("Content", ""), row.get("Attachments", "")
    kind = "media" if not text and attachments else "text"
    return Message(speaker=clean_name(row["Author"]), text=text or attachments, time=iso_time(row["Date"]), kind=kind)


def _api_row(row: dict) -> Message:
    speaker = clean_name(_cell(row.get("author.global_name", "")) or row["author.username"])
    bot = _cell(row.get("author.bot", "")).lower() in ("true", "1")
    kind = "bot" if bot else "text" if _cell(row.get("type", "0")) in ("", *_USER_TYPES) else "system"
    return Message(speaker=speaker, text=_cell(row.get("content", "")), time=iso_time(_cell(row.get("timestamp", ""))),
                   source_id=_cell(row.get("id", "")) or None, kind=kind,
                   edited=bool(_cell(row.get("edited_timestamp", ""))))


def _custom_row(row: dict) -> Message:
    speaker = clean_name(row["Author"])
    return Message(speaker=speaker, text=row["Message"], time=iso_time(row["Date"]), source_id=row["Id"] or None,
                   kind="bot" if _BOT_NAME.search(speaker) else "text")


# The official data package: messages/index.json names channels, messages/c<id>/messages.json|csv.
def _index(names: list[str]) -> str | None:
    """The folder holding index.json and the c<id>/ channel folders, or None."""
    for name in names:
        # At most two folders down (package/messages/index.json); deeper ones belong to a bigger folder.
        if name.count("/") <= 2 and (name == "index.json" or name.endswith("/index.json")):
            prefix = name[: -len("index.json")]
            if any(re.fullmatch(re.escape(prefix) + r"c\d+/messages\.(?:json|csv)", n) for n in names):
                return prefix
    return None


def _is_package(path: Path) -> bool:
    if path.is_dir():
        return _index(Tree(path).names()) is not None
    return is_zip(path) and _index(zip_names(path)) is not None


def _package(path: Path) -> Iterator[Conversation]:
    top = Tree(path)
    prefix = _index(top.names())
    if prefix is None:
        raise InputError(path, "expected a Discord data package with messages/index.json")
    files = top.sub(prefix)
    index = files.json("index.json")
    owner = _package_owner(files)
    channels = sorted({n.split("/")[0] for n in files.names() if re.fullmatch(r"c\d+/messages\.(?:json|csv)", n)})
    for folder in channels:
        channel_id = folder[1:]
        name = str((index if isinstance(index, dict) else {}).get(channel_id) or channel_id)
        if files.exists(f"{folder}/messages.json"):
            rows = files.json(f"{folder}/messages.json")
            if not isinstance(rows, list):
                raise InputError(files.label(f"{folder}/messages.json"), "expected a list of messages")
            yield _package_channel(path, files.label(f"{folder}/messages.json"), channel_id, rows, owner, name)
        else:
            label = files.label(f"{folder}/messages.csv")
            rows = [r for _, r in csv_rows(path, label, files.open_text(f"{folder}/messages.csv"))]
            yield _package_channel(path, label, channel_id, rows, owner, name)


def _package_owner(files: Tree) -> str:
    user = files.json("../account/user.json", default=None)
    user = user if isinstance(user, dict) else {}
    return clean_name(str(user.get("global_name") or user.get("username") or "me"))


def _package_channel(path: Path, label: str, channel_id: str, rows: Iterable[Any], owner: str,
                     title: str | None = None) -> Conversation:
    messages = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or "Timestamp" not in row:
            raise InputError(label, "expected a message with ID, Timestamp and Contents", record=f"[{i}]")
        text, attachments = str(row.get("Contents") or ""), str(row.get("Attachments") or "")
        try:
            time = iso_time(row["Timestamp"])
        except ValueError as e:
            raise InputError(label, f"expected an ISO timestamp ({e})", record=f"[{i}]") from None
        messages.append(Message(speaker=owner, text=text or attachments, time=time, source_id=str(row.get("ID")),
                                kind="media" if not text and attachments else "text"))
    times = [m.time for m in messages if m.time]
    if len(times) > 1 and times[0] > times[-1]:
        messages.reverse()  # the package lists newest first; reverse the block, never sort
    return Conversation(id=f"discord-{channel_id.lstrip('c')}", source="discord", title=title or channel_id,
                        participants=[], messages=messages, owner=owner)
