"""iMessage chat.db: chats in ROWID order, attributedBody-only texts, tapbacks, attachments, group events."""

from __future__ import annotations

import sqlite3

from simulacra.ingest.imessage import body_text

from .conftest import rows

NS = 10**9


def typedstream(text: str) -> bytes:
    """A minimal NSAttributedString archive as macOS writes it, holding `text`."""
    data = text.encode("utf-8")
    size = bytes([len(data)]) if len(data) < 0x80 else b"\x81" + len(data).to_bytes(2, "little")
    return b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString\x00\x84\x84\x08NSObject\x00" \
           b"\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+" + size + data + b"\x86\x84\x02iI\x01\x05\x92\x84"


def _db(path):
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT, service TEXT);
        CREATE TABLE chat (ROWID INTEGER PRIMARY KEY, guid TEXT, chat_identifier TEXT, display_name TEXT);
        CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, handle_id INTEGER, date INTEGER,
            is_from_me INTEGER, attributedBody BLOB, item_type INTEGER DEFAULT 0, associated_message_type INTEGER DEFAULT 0,
            cache_has_attachments INTEGER DEFAULT 0, date_edited INTEGER DEFAULT 0, thread_originator_guid TEXT,
            is_audio_message INTEGER DEFAULT 0);
        CREATE TABLE chat_message_join (chat_id INTEGER, message_id INTEGER, message_date INTEGER);
        INSERT INTO handle VALUES (1, '+15550000001', 'iMessage');
        INSERT INTO chat VALUES (1, 'iMessage;-;+15550000001', '+15550000001', '');
    """)
    msgs = [
        (1, "g1", "hi", 1, 700000000 * NS, 0, None, 0, 0, 0, 0, None, 0),
        (2, "g2", None, 0, 700000060 * NS, 1, typedstream("only in attributedBody é"), 0, 0, 0, 0, None, 0),
        (3, "g3", "Loved “hi”", 1, 700000120 * NS, 0, None, 0, 2000, 0, 0, None, 0),
        (4, "g4", "\ufffc", 0, 700000180 * NS, 1, None, 0, 0, 1, 0, None, 0),
        (5, "g5", None, 1, 700000240 * NS, 0, None, 2, 0, 0, 0, None, 0),
        (6, "g6", "fixed", 1, 700000300 * NS, 0, None, 0, 0, 0, 700000301 * NS, "g1", 0),
        (7, "g7", "old format seconds", 1, 500000000, 0, None, 0, 0, 0, 0, None, 0),
    ]
    db.executemany("INSERT INTO message VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", msgs)
    db.executemany("INSERT INTO chat_message_join VALUES (1, ?, 0)", [(m[0],) for m in msgs])
    db.commit()
    db.close()


def test_chat_db(ingest, tmp_path):
    _db(tmp_path / "src.db")
    (conv,) = ingest("chat.db", (tmp_path / "src.db").read_bytes())
    assert (conv.id, conv.owner, conv.source) == ("imessage-+15550000001", "me", "imessage")
    assert rows(conv) == [
        ("+15550000001", "2023-03-08T20:26:40+00:00", "hi", "text"),
        ("me", "2023-03-08T20:27:40+00:00", "only in attributedBody é", "text"),
        ("+15550000001", "2023-03-08T20:28:40+00:00", "Loved “hi”", "reaction"),
        ("me", "2023-03-08T20:29:40+00:00", "<attachment>", "media"),
        ("+15550000001", "2023-03-08T20:30:40+00:00", "", "system"),
        ("+15550000001", "2023-03-08T20:31:40+00:00", "fixed", "text"),
        ("+15550000001", "2016-11-05T00:53:20+00:00", "old format seconds", "text"),
    ]
    assert conv.messages[5].edited and conv.messages[5].reply_to == "g1"


def test_long_attributed_body():
    assert body_text(typedstream("x" * 300)) == "x" * 300
