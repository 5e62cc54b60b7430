"""Slack workspace export, as a folder and as a zip: users resolved, days in order, noise labelled."""

from __future__ import annotations

import json
import zipfile

from simulacra.ingest import IngestConfig, run
from simulacra.schema import read_conversations

from .conftest import rows


def _export(root):
    root.mkdir()
    (root / "users.json").write_text(json.dumps([
        {"id": "U1", "name": "ana", "real_name": "Ana Lima", "profile": {"display_name": "Ana"}},
        {"id": "U2", "name": "ben", "profile": {"display_name": "", "real_name": "Ben Ode"}}]))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "general", "members": ["U1", "U2"]}]))
    (root / "dms.json").write_text(json.dumps([{"id": "D9", "members": ["U1", "U2"]}]))
    (root / "integration_logs.json").write_text("[]")
    (root / "general").mkdir()
    (root / "general" / "2016-01-02.json").write_text(json.dumps([
        {"type": "message", "user": "U2", "text": "later day", "ts": "1451692800.000300"}]))
    (root / "general" / "2016-01-01.json").write_text(json.dumps([
        {"type": "message", "subtype": "channel_join", "user": "U1", "text": "<@U1> has joined the channel", "ts": "1451606400.000100"},
        {"type": "message", "user": "U1", "text": "hi <@U2>", "ts": "1451606460.000200", "edited": {"user": "U1", "ts": "1"}},
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "deploybot", "text": "deployed", "ts": "1451606470.000000"},
        {"type": "message", "subtype": "file_share", "user": "U2", "text": "look", "ts": "1451606480.000000", "file": {"name": "a.png"}},
        {"type": "message", "user": "U2", "text": "in thread", "ts": "1451606490.000000", "thread_ts": "1451606460.000200"}]))
    (root / "D9").mkdir()
    (root / "D9" / "2016-02-01.json").write_text(json.dumps([{"type": "message", "user": "U1", "text": "psst", "ts": "1454284800.0"}]))


def test_slack_folder_and_zip(tmp_path):
    _export(tmp_path / "export")
    zip_path = tmp_path / "Workspace Slack export.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        for p in (tmp_path / "export").rglob("*"):
            z.write(p, p.relative_to(tmp_path / "export").as_posix())
    for source in (tmp_path / "export", zip_path):
        general, dm = read_conversations(run(IngestConfig(inputs=[source], out=tmp_path / "run")))
        assert (general.id, general.title, general.source) == ("slack-general", "general", "slack")
        assert rows(general) == [
            ("Ana", "2016-01-01T00:00:00.000100+00:00", "@Ana has joined the channel", "system"),
            ("Ana", "2016-01-01T00:01:00.000200+00:00", "hi @Ben Ode", "text"),
            ("deploybot", "2016-01-01T00:01:10+00:00", "deployed", "bot"),
            ("Ben Ode", "2016-01-01T00:01:20+00:00", "look", "text"),
            ("Ben Ode", "2016-01-01T00:01:30+00:00", "in thread", "text"),
            ("Ben Ode", "2016-01-02T00:00:00.000300+00:00", "later day", "text"),
        ]
        assert general.messages[1].edited and general.messages[4].reply_to == "1451606460.000200"
        assert (dm.id, dm.title) == ("slack-D9", "Ana, Ben Ode")
        assert rows(dm) == [("Ana", "2016-02-01T00:00:00+00:00", "psst", "text")]


def test_chat_filter_applies_to_slack(tmp_path):
    _export(tmp_path / "export")
    (conv,) = read_conversations(run(IngestConfig(inputs=[tmp_path / "export"], out=tmp_path / "run", chats=["D9"])))
    assert conv.id == "slack-D9"
