"""iMessage `chat.db` (SQLite from ~/Library/Messages): one conversation per chat, in ROWID (file) order.

Newer macOS stores many texts only in `attributedBody`, an NSAttributedString typedstream; the
plain string is read out of it. Tapbacks become `reaction`, group events `system`, attachments `media`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.schema import Conversation, Message

APPLE_EPOCH = datetime(2001, 1, 1, tzinfo=timezone.utc)
OWNER = "me"
_OPTIONAL = ("attributedBody", "item_type", "associated_message_type", "cache_has_attachments", "date_edited",
             "thread_originator_guid", "is_audio_message")


def sniff(path: Path, head: str) -> bool:
    return path.is_file() and head.startswith("SQLite format 3") and _tables(path) >= {"message", "chat", "handle"}


def _connect(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise InputError(path, f"cannot open SQLite database ({e})") from None


def _tables(path: Path) -> set[str]:
    try:
        with _connect(path) as db:
            return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except (sqlite3.Error, InputError):
        return set()


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    db = _connect(path)
    try:
        columns = {r[1] for r in db.execute("PRAGMA table_info(message)")}
        chats = db.execute("SELECT ROWID, chat_identifier, display_name FROM chat ORDER BY ROWID").fetchall()
        for chat_id, identifier, name in chats:
            conv = Conversation(id=f"imessage-{identifier}", source="imessage", title=name or identifier or "",
                                participants=[], owner=OWNER)
            conv.messages = [_message(row) for row in _rows(db, columns, chat_id)]
            yield conv
    except sqlite3.Error as e:
        raise InputError(path, f"expected an iMessage chat.db ({e})") from None
    finally:
        db.close()


def _rows(db: sqlite3.Connection, columns: set[str], chat_id: int) -> list[dict]:
    extra = ", ".join(f"m.{c}" if c in columns else f"NULL AS {c}" for c in _OPTIONAL)
    query = (f"SELECT m.ROWID, m.guid, m.text, m.is_from_me, m.date, h.id AS handle, {extra} "
             "FROM chat_message_join j JOIN message m ON m.ROWID = j.message_id "
             "LEFT JOIN handle h ON h.ROWID = m.handle_id WHERE j.chat_id = ? ORDER BY m.ROWID")
    cursor = db.execute(query, (chat_id,))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _message(row: dict) -> Message:
    text = row["text"] if row["text"] is not None else body_text(row["attributedBody"])
    kind = _kind(row, text or "")
    if kind == "media" and not (text or "").strip("\ufffc \n"):
        text = "<attachment>"
    return Message(speaker=OWNER if row["is_from_me"] else str(row["handle"] or "unknown"), text=text or "",
                   time=apple_time(row["date"]), source_id=row["guid"], reply_to=row["thread_originator_guid"],
                   kind=kind, edited=bool(row["date_edited"]))


def _kind(row: dict, text: str) -> str:
    if 2000 <= (row["associated_message_type"] or 0) < 4000:
        return "reaction"  # tapbacks (3000+ remove one)
    if row["item_type"]:
        return "system"  # member changes, renames, group photo
    if row["is_audio_message"] or (row["cache_has_attachments"] and not text.replace("\ufffc", "").strip()):
        return "media"
    return "text"


def apple_time(value: Any) -> datetime | None:
    """Seconds (before macOS 10.13) or nanoseconds since 2001-01-01 UTC."""
    if not value:
        return None
    value = int(value)
    return APPLE_EPOCH + (timedelta(microseconds=value // 1000) if abs(value) > 10**11 else timedelta(seconds=value))


def body_text(blob: bytes | None) -> str | None:
    """The string inside an `attributedBody` typedstream: after 'NSString', a '+', a length, the UTF-8 bytes."""
    if not blob:
        return None
    start = blob.find(b"NSString")
    plus = blob.find(b"+", start) if start >= 0 else -1
    if plus < 0 or plus + 1 >= len(blob):
        return None
    size, offset = blob[plus + 1], plus + 2
    if size == 0x81:  # a 16-bit little-endian length follows
        size, offset = int.from_bytes(blob[offset:offset + 2], "little"), offset + 2
    elif size == 0x82:  # a 32-bit length follows
        size, offset = int.from_bytes(blob[offset:offset + 4], "little"), offset + 4
    return blob[offset:offset + size].decode("utf-8", errors="replace")
