"""Discord: DiscordChatExporter JSON and CSV, API-dump CSV and custom CSV (newest first), data package."""

from __future__ import annotations

import json
import zipfile

from simulacra.ingest import IngestConfig, run
from simulacra.schema import read_conversations

from .conftest import rows

DCE = {
    "guild": {"id": "1", "name": "Club", "iconUrl": ""},
    "channel": {"id": "55", "type": "GuildTextChat", "categoryId": "2", "category": "Text", "name": "general", "topic": None},
    "dateRange": {"after": None, "before": None},
    "messages": [
        {"id": "100", "type": "Default", "timestamp": "2021-03-04T05:06:07.89+01:00", "timestampEdited": None,
         "callEndedTimestamp": None, "isPinned": False, "content": "hi <@200>",
         "author": {"id": "1", "name": "ana", "discriminator": "0001", "nickname": "Ana", "isBot": False},
         "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": []},
        {"id": "101", "type": "Default", "timestamp": "2021-03-04T05:07:00+01:00", "timestampEdited": "2021-03-04T05:08:00+01:00",
         "content": "", "author": {"id": "2", "name": "ben", "nickname": None, "isBot": False},
         "attachments": [{"id": "9", "url": "https://cdn/x.png", "fileName": "x.png"}], "stickers": []},
        {"id": "102", "type": "ChannelNameChange", "timestamp": "2021-03-04T05:09:00+01:00", "content": "general",
         "author": {"id": "2", "name": "ben", "isBot": False}},
        {"id": "103", "type": "Default", "timestamp": "2021-03-04T05:10:00+01:00", "content": "Now playing",
         "author": {"id": "3", "name": "Rythm", "isBot": True}},
        {"id": "104", "type": "Call", "timestamp": "2021-03-04T05:11:00+01:00", "content": "",
         "callEndedTimestamp": "2021-03-04T05:12:00+01:00", "author": {"id": "1", "name": "ana", "nickname": "Ana"}},
        {"id": "105", "type": "Default", "timestamp": "2021-03-04T05:13:00+01:00", "content": "bye",
         "author": {"id": "4", "name": "Deleted User", "isBot": False}},
    ],
    "messageCount": 6,
}


def test_exporter_json(ingest):
    (conv,) = ingest("club.json", json.dumps(DCE))
    assert conv.id == "discord-55" and conv.title == "Club / Text / general"
    assert rows(conv) == [
        ("Ana", "2021-03-04T05:06:07.890000+01:00", "hi <@200>", "text"),
        ("ben", "2021-03-04T05:07:00+01:00", "<x.png>", "media"),
        ("ben", "2021-03-04T05:09:00+01:00", "general", "system"),
        ("Rythm", "2021-03-04T05:10:00+01:00", "Now playing", "bot"),
        ("Ana", "2021-03-04T05:11:00+01:00", "", "call"),
        ("Deleted User", "2021-03-04T05:13:00+01:00", "bye", "text"),
    ]
    assert conv.messages[1].edited and not conv.messages[0].edited


def test_exporter_csv(ingest):
    text = ('AuthorID,Author,Date,Content,Attachments,Reactions\n'
            '1,ana#0001,2021-03-04T05:06:07.000+00:00,"line one\nline two",,\n'
            '2,ben#0002,2021-03-04T05:07:00.000+00:00,,https://cdn/x.png,\n')
    (conv,) = ingest("general.csv", text)
    assert rows(conv) == [("ana#0001", "2021-03-04T05:06:07+00:00", "line one\nline two", "text"),
                          ("ben#0002", "2021-03-04T05:07:00+00:00", "https://cdn/x.png", "media")]


def test_api_dump_csv_is_newest_first(ingest):
    text = ("id,type,content,author.id,author.username,author.bot,timestamp,edited_timestamp\n"
            "3,0,.,9,dj,true,2021-01-02T03:04:07.678000+00:00,.\n"
            "2,0,hey <@!1>,2,ben,.,2021-01-02T03:04:06.678000+00:00,2021-01-02T03:05:00.000000+00:00\n"
            "1,0,hi,1,ana,.,2021-01-02T03:04:05.678000+00:00,.\n")
    (conv,) = ingest("dump.csv", text)
    assert rows(conv) == [("ana", "2021-01-02T03:04:05.678000+00:00", "hi", "text"),
                          ("ben", "2021-01-02T03:04:06.678000+00:00", "hey <@!1>", "text"),
                          ("dj", "2021-01-02T03:04:07.678000+00:00", "", "bot")]
    assert conv.messages[1].edited


def test_custom_csv_newest_first_with_bots(ingest):
    text = ('Id,Author,Date,Message\n'
            '3,Groovy,2024-01-02 03:04:07 +0000,Queued song\n'
            '2,Ben,2024-01-02 03:04:06 +0000,"multi\nline"\n'
            '1,Ana,2024-01-02 03:04:05 +0000,hi\n')
    (conv,) = ingest("chat.csv", text)
    assert rows(conv) == [("Ana", "2024-01-02T03:04:05+00:00", "hi", "text"),
                          ("Ben", "2024-01-02T03:04:06+00:00", "multi\nline", "text"),
                          ("Groovy", "2024-01-02T03:04:07+00:00", "Queued song", "bot")]


def _package(root):
    (root / "account").mkdir(parents=True)
    (root / "account" / "user.json").write_text(json.dumps({"id": "1", "username": "ana"}))
    msgs = root / "messages"
    (msgs / "c111").mkdir(parents=True)
    (msgs / "c222").mkdir()
    (msgs / "index.json").write_text(json.dumps({"111": "Direct Message with ben#0002", "222": "general in Club"}))
    (msgs / "c111" / "messages.json").write_text(json.dumps([
        {"ID": 2, "Timestamp": "2021-01-02 03:05:00", "Contents": "second", "Attachments": ""},
        {"ID": 1, "Timestamp": "2021-01-02 03:04:00", "Contents": "first", "Attachments": ""}]))
    (msgs / "c222" / "messages.csv").write_text(
        "ID,Timestamp,Contents,Attachments\n5,2021-02-01 10:00:00.123000+00:00,,https://cdn/y.gif\n")


def test_official_package_folder_and_zip(tmp_path):
    _package(tmp_path / "package")
    zip_path = tmp_path / "package.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        for p in (tmp_path / "package").rglob("*"):
            if p.is_file():
                z.write(p, p.relative_to(tmp_path).as_posix())
    for source in (tmp_path / "package", zip_path):
        out = run(IngestConfig(inputs=[source], out=tmp_path / "run"))
        dm, general = read_conversations(out)
        assert (dm.id, dm.title, dm.owner) == ("discord-111", "Direct Message with ben#0002", "ana")
        assert rows(dm) == [("ana", "2021-01-02T03:04:00", "first", "text"), ("ana", "2021-01-02T03:05:00", "second", "text")]
        assert rows(general) == [("ana", "2021-02-01T10:00:00.123000+00:00", "https://cdn/y.gif", "media")]
