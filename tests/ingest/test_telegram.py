"""Telegram Desktop JSON: single chat, full account, bare array; text entities, services, media."""

from __future__ import annotations

import json

from .conftest import rows

SINGLE = {
    "name": "Ana Lima", "type": "personal_chat", "id": 4242,
    "messages": [
        {"id": 1, "type": "message", "date": "2023-05-01T10:00:00", "date_unixtime": "1682935200",
         "from": "Ana Lima", "from_id": "user1", "text": "hi Ben", "text_entities": [{"type": "plain", "text": "hi Ben"}]},
        {"id": 2, "type": "message", "date": "2023-05-01T10:01:30", "from": "Ben Ode", "from_id": "user2",
         "text": ["see ", {"type": "link", "text": "https://example.org"}, " and ",
                  {"type": "custom_emoji", "text": "🙂", "document_id": "5"}, {"type": "hashtag", "text": "#tag"}],
         "reply_to_message_id": 1},
        {"id": 3, "type": "message", "date": "2023-05-01T10:02:00", "edited": "2023-05-01T10:03:00",
         "edited_unixtime": "1682935380", "from": "Ana Lima", "from_id": "user1", "text": "fixed",
         "forwarded_from": "Cy Dee"},
        {"id": 4, "type": "service", "date": "2023-05-01T11:00:00", "actor": "Ben Ode", "actor_id": "user2",
         "action": "phone_call", "discard_reason": "missed", "text": ""},
        {"id": 5, "type": "message", "date": "2023-05-01T11:05:00", "from": "Ana Lima", "from_id": "user1",
         "file": "(File not included. Change data exporting settings to download.)", "media_type": "sticker",
         "sticker_emoji": "😂", "mime_type": "image/webp", "text": ""},
        {"id": 6, "type": "message", "date": "2023-05-01T11:06:00", "from": "Ben Ode", "from_id": "user2",
         "photo": "(File not included. Change data exporting settings to download.)", "photo_file_size": 100,
         "width": 10, "height": 10, "text": ""},
        {"id": 7, "type": "message", "date": "2023-05-01T11:07:00", "from": "Ben Ode", "from_id": "user2",
         "file": "voice.ogg", "media_type": "voice_message", "duration_seconds": 3, "text": ""},
        {"id": 8, "type": "service", "date": "2023-05-01T11:08:00", "actor": "Ana Lima", "actor_id": "user1",
         "action": "edit_chat_theme", "text": ""},
        {"id": 9, "type": "message", "date_unixtime": "1682939400", "from": "Ana Lima", "from_id": "user1",
         "text": "no local date"},
    ],
}


def test_single_chat_exact_messages(ingest):
    (conv,) = ingest("result.json", json.dumps(SINGLE, ensure_ascii=False))
    assert conv.id == "telegram-4242" and conv.source == "telegram" and conv.title == "Ana Lima"
    assert conv.participants == ["Ana Lima", "Ben Ode"]
    assert conv.owner == "Ben Ode"  # a personal chat is named after the other person
    assert rows(conv) == [
        ("Ana Lima", "2023-05-01T10:00:00", "hi Ben", "text"),
        ("Ben Ode", "2023-05-01T10:01:30", "see https://example.org and 🙂#tag", "text"),
        ("Ana Lima", "2023-05-01T10:02:00", "fixed", "text"),
        ("Ben Ode", "2023-05-01T11:00:00", "phone_call (missed)", "call"),
        ("Ana Lima", "2023-05-01T11:05:00", "😂", "media"),
        ("Ben Ode", "2023-05-01T11:06:00", "<photo>", "media"),
        ("Ben Ode", "2023-05-01T11:07:00", "<voice_message>", "media"),
        ("Ana Lima", "2023-05-01T11:08:00", "edit_chat_theme", "system"),
        ("Ana Lima", "2023-05-01T11:10:00+00:00", "no local date", "text"),
    ]
    second, third = conv.messages[1], conv.messages[2]
    assert second.reply_to == "1" and second.source_id == "2"
    assert third.edited and third.forwarded_from == "Cy Dee" and not second.edited


def _chat(chat_id, name, texts, kind="private_group"):
    msgs = [{"id": i, "type": "message", "date": f"2022-01-0{i + 1}T08:00:00", "from": who, "from_id": f"user{who}",
             "text": text} for i, (who, text) in enumerate(texts)]
    return {"name": name, "type": kind, "id": chat_id, "messages": msgs}


ACCOUNT = {
    "about": "Here is the data you requested.",
    "personal_information": {"user_id": 7, "first_name": "Ben", "last_name": "Ode", "phone_number": "+00 000"},
    "contacts": {"about": "", "list": []},
    "chats": {"about": "", "list": [
        _chat(11, "Hiking", [("Ana", "trail?"), ("Ben Ode", "sure")]),
        _chat(12, "Cy", [("Cy", "yo"), ("Ben Ode", "hey")], kind="personal_chat"),
    ]},
    "left_chats": {"about": "", "list": [_chat(13, "Old", [("Dee", "bye"), ("Ben Ode", "ok")])]},
}


def test_full_account_all_chats_with_owner(ingest):
    convs = ingest("result.json", json.dumps(ACCOUNT))
    assert [c.id for c in convs] == ["telegram-11", "telegram-12", "telegram-13"]
    assert all(c.owner == "Ben Ode" for c in convs)
    assert rows(convs[0]) == [("Ana", "2022-01-01T08:00:00", "trail?", "text"),
                              ("Ben Ode", "2022-01-02T08:00:00", "sure", "text")]
    assert convs[1].participants == ["Cy", "Ben Ode"]


def test_full_account_named_chats_only(ingest):
    convs = ingest("result.json", json.dumps(ACCOUNT), chats=["Cy", "13"])
    assert [c.title for c in convs] == ["Cy", "Old"]


def test_bare_message_array(ingest):
    data = SINGLE["messages"][:2]
    (conv,) = ingest("msgs.json", json.dumps(data))
    assert conv.id == "telegram-msgs"
    assert [m.text for m in conv.messages] == ["hi Ben", "see https://example.org and 🙂#tag"]


def test_iso_z_and_milliseconds(ingest):
    data = {"name": "G", "type": "private_supergroup", "id": 1, "messages": [
        {"id": 1, "type": "message", "date": "2024-03-04T05:06:07.123Z", "from": "Ana", "from_id": 1, "text": "a"}]}
    (conv,) = ingest("r.json", json.dumps(data))
    assert rows(conv) == [("Ana", "2024-03-04T05:06:07.123000+00:00", "a", "text")]


def test_text_entities_when_text_is_missing(ingest):
    data = [{"id": 1, "type": "message", "date": "2022-01-01T00:00:00", "from": "Ana", "from_id": "user1",
             "text_entities": [{"type": "plain", "text": "hi "}, {"type": "mention", "text": "@ben"}]}]
    (conv,) = ingest("msgs.json", json.dumps(data))
    assert rows(conv) == [("Ana", "2022-01-01T00:00:00", "hi @ben", "text")]
