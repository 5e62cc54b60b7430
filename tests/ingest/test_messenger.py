"""Messenger and Instagram DYI JSON: mojibake repair per string, newest-first parts merged in order."""

from __future__ import annotations

import json
import zipfile

from simulacra.ingest import IngestConfig, run
from simulacra.ingest.messenger import fix
from simulacra.schema import read_conversations

from .conftest import rows


def moji(text: str) -> str:
    """What Facebook writes: the UTF-8 bytes of `text`, each as one \\u00XX character."""
    return text.encode("utf-8").decode("latin-1")


def _msg(sender, ms, **fields):
    return {"sender_name": moji(sender), "timestamp_ms": ms, **fields}


def test_fix_repairs_broken_and_keeps_correct():
    assert fix(moji("Olá 😍 สวัสดี őrült")) == "Olá 😍 สวัสดี őrült"
    assert fix("already é correct") == "already é correct"
    assert fix("plain") == "plain"


def test_messenger_two_parts_newest_first(tmp_path):
    thread = tmp_path / "inbox" / "anaolah_abc"
    thread.mkdir(parents=True)
    head = {"participants": [{"name": moji("Ana Oláh")}, {"name": "Ben Ode"}], "title": moji("Ana Oláh"),
            "is_still_participant": True, "thread_type": "Regular", "thread_path": "inbox/anaolah_abc"}
    part2 = {**head, "messages": [  # the older part, itself newest first
        _msg("Ben Ode", 2000, content="second", type="Generic"),
        _msg("Ana Oláh", 1000, content=moji("első 😍"), type="Generic")]}
    part1 = {**head, "messages": [
        _msg("Ana Oláh", 6000, type="Generic", is_unsent=True),
        _msg("Ben Ode", 5000, type="Call", call_duration=65, content="Ben called you."),
        _msg("Ana Oláh", 4000, type="Generic", photos=[{"uri": "photos/1.jpg", "creation_timestamp": 4}]),
        _msg("Ben Ode", 3000, type="Subscribe", users=[{"name": "Cy"}], content="Ben added Cy to the group."),
    ]}
    (thread / "message_1.json").write_text(json.dumps(part1))
    (thread / "message_2.json").write_text(json.dumps(part2))
    download = tmp_path / "facebook-ana.zip"
    with zipfile.ZipFile(download, "w") as z:
        for p in thread.iterdir():
            z.write(p, f"your_activity_across_facebook/messages/inbox/anaolah_abc/{p.name}")
    with zipfile.ZipFile(download, "a") as z:  # a full download names its owner, so group threads get one too
        z.writestr("personal_information/profile_information/profile_information.json",
                   json.dumps({"profile_v2": {"name": {"full_name": moji("Ben Ode")}}}))
    for inputs in ([thread / "message_1.json"], [thread / "message_1.json", thread / "message_2.json"],
                   [tmp_path / "inbox"], [download]):
        out = run(IngestConfig(inputs=inputs, out=tmp_path / "run"))
        (conv,) = read_conversations(out)
        assert conv.source == "messenger" and conv.title == "Ana Oláh" and conv.owner == "Ben Ode"
        assert rows(conv) == [
            ("Ana Oláh", "1970-01-01T00:00:01+00:00", "első 😍", "text"),
            ("Ben Ode", "1970-01-01T00:00:02+00:00", "second", "text"),
            ("Ben Ode", "1970-01-01T00:00:03+00:00", "Ben added Cy to the group.", "system"),
            ("Ana Oláh", "1970-01-01T00:00:04+00:00", "<photos>", "media"),
            ("Ben Ode", "1970-01-01T00:00:05+00:00", "Ben called you.", "call"),
            ("Ana Oláh", "1970-01-01T00:00:06+00:00", "", "deleted"),
        ]


def test_instagram_mixed_encoding_and_reaction_text(ingest):
    data = {"participants": [{"name": "Bia"}, {"name": "Caio"}], "title": "Bia", "is_still_participant": True,
            "thread_path": "inbox/bia_1", "messages": [
                _msg("Bia", 1700000002000, content=moji("Reagiu com 😍 à sua mensagem"), is_geoblocked_for_viewer=False),
                {"sender_name": "Caio", "timestamp_ms": 1700000001000, "content": "já correto ✓"},
                _msg("Bia", 1700000000000, share={"link": "https://www.instagram.com/p/x/"}),
            ]}
    (conv,) = ingest("message_1.json", "\ufeff" + json.dumps(data))
    assert conv.source == "instagram" and conv.id == "instagram-inbox-bia_1"
    assert rows(conv) == [("Bia", "2023-11-14T22:13:20+00:00", "https://www.instagram.com/p/x/", "media"),
                          ("Caio", "2023-11-14T22:13:21+00:00", "já correto ✓", "text"),
                          ("Bia", "2023-11-14T22:13:22+00:00", "Reagiu com 😍 à sua mensagem", "reaction")]


def test_messages_only_thread_without_participants(ingest):
    # Written by some exports and tools: no participants, no title; newest first as in Messenger.
    data = {"messages": [
        {"sender_name": "Caio", "timestamp_ms": 1_600_000_120_000, "content": "tudo bem?"},
        {"sender_name": moji("Bia Ã"), "timestamp_ms": 1_600_000_060_000, "content": moji("olá")},
        {"sender_name": "Caio", "timestamp_ms": 1_600_000_000_000, "content": "oi"}]}
    (conv,) = ingest("thread.json", json.dumps(data, indent=2))
    assert conv.source == "instagram"
    assert rows(conv) == [("Caio", "2020-09-13T12:26:40+00:00", "oi", "text"),
                          ("Bia Ã", "2020-09-13T12:27:40+00:00", "olá", "text"),
                          ("Caio", "2020-09-13T12:28:40+00:00", "tudo bem?", "text")]
    assert conv.participants == ["Caio", "Bia Ã"]
    (compact,) = ingest("thread.json", json.dumps(data))  # on one line it is not taken for JSONL records
    assert rows(compact) == rows(conv)
