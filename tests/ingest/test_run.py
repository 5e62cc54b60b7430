"""The stage around the parsers: run folder contents, manifest counts, aliases, speaker list, warnings."""

from __future__ import annotations

import json

import yaml
from rich.console import Console

from simulacra.ingest import IngestConfig, list_speakers, run
from simulacra.io import read_json
from simulacra.schema import read_conversations

from .test_telegram import ACCOUNT


def test_run_folder_manifest_and_aliases(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("13/1/21, 10:00 - Ana B.: hi there you\n13/1/21, 10:01 - Ben: yo\n13/1/21, 10:02 - Ben: <Media omitted>\n")
    b = tmp_path / "result.json"
    b.write_text(json.dumps(ACCOUNT))
    out = run(IngestConfig(inputs=[a, b], out=tmp_path / "run", aliases={"Ana B.": "Ana", "Ben Ode": "Ben"}))
    convs = list(read_conversations(out))
    assert [c.id for c in convs] == ["whatsapp-a", "telegram-11", "telegram-12", "telegram-13"]
    assert convs[0].participants == ["Ana", "Ben"] and convs[1].owner == "Ben"
    manifest = read_json(tmp_path / "run" / "ingest.manifest.json")
    assert manifest["stage"] == "ingest" and len(manifest["inputs"]) == 2
    assert manifest["counts"] == {"conversations": 4, "messages": 9, "kinds": {"text": 8, "media": 1},
                                  "speakers": {"Ben": 5, "Ana": 2, "Cy": 1, "Dee": 1}}
    assert manifest["formats"] == {str(a): "whatsapp", str(b): "telegram"}
    saved = yaml.safe_load((tmp_path / "run" / "ingest.yaml").read_text())
    assert saved["aliases"] == {"Ana B.": "Ana", "Ben Ode": "Ben"} and saved["inputs"] == [str(a), str(b)]
    assert IngestConfig(**saved) == IngestConfig(inputs=[a, b], out=tmp_path / "run",
                                                 aliases={"Ana B.": "Ana", "Ben Ode": "Ben"})


def test_list_speakers_counts_messages_and_words(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("13/1/21, 10:00 - Ana: one two three\n13/1/21, 10:01 - Ben: four\n13/1/21, 10:02 - Ana: five\n")
    console = Console(record=True, width=100)
    tally = list_speakers(IngestConfig(inputs=[a], out=tmp_path / "run"), console=console)
    assert dict(tally.speakers) == {"Ana": 2, "Ben": 1} and dict(tally.words) == {"Ana": 4, "Ben": 1}
    assert "Ana" in console.export_text() and not (tmp_path / "run").exists()


def test_warnings_for_files_that_look_wrong(ingest):
    ingest("solo.txt", "13/1/21, 10:00 - Ana: hi\n13/1/21, 10:01 - Ana: anyone?\n")
    assert ingest.manifest["warnings"] == ["whatsapp-solo: only one speaker (Ana) wrote text"]
    ingest("back.txt", "13/1/21, 10:00 - Ana: hi\n13/1/19, 10:01 - Ben: from the past\n13/1/21, 10:02 - Ana: ok\n")
    assert "dates go backwards by years" in ingest.manifest["warnings"][0]
    ingest("empty.json", json.dumps({"name": "E", "type": "personal_chat", "id": 5, "messages": []}))
    assert ingest.manifest["warnings"] == ["telegram-5: no messages"]
    ingest("result.json", json.dumps(ACCOUNT), chats=["Nobody"])
    assert "no chat named 'Nobody'" in ingest.manifest["warnings"][0]


def test_a_folder_of_exports_reads_each_one(tmp_path):
    folder = tmp_path / "exports"
    (folder / "old").mkdir(parents=True)
    (folder / "b.txt").write_text("13/1/21, 10:00 - Ana: hi\n13/1/21, 10:01 - Ben: yo\n")
    (folder / "old" / "result.json").write_text(json.dumps(ACCOUNT))
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "notes.md").write_text("just notes\n")
    convs = list(read_conversations(run(IngestConfig(inputs=[folder], out=tmp_path / "run"))))
    assert [c.id for c in convs] == ["whatsapp-b", "telegram-11", "telegram-12", "telegram-13"]
    assert sorted(read_json(tmp_path / "run" / "ingest.manifest.json")["formats"].values()) == ["telegram", "whatsapp"]


def test_an_export_folder_inside_a_folder_counts_whole(tmp_path):
    from .test_slack import _export

    (tmp_path / "all").mkdir()
    _export(tmp_path / "all" / "slack")
    (tmp_path / "all" / "wa.txt").write_text("13/1/21, 10:00 - Ana: hi\n13/1/21, 10:01 - Ben: yo\n")
    convs = list(read_conversations(run(IngestConfig(inputs=[tmp_path / "all"], out=tmp_path / "run"))))
    assert [c.id for c in convs] == ["slack-general", "slack-D9", "whatsapp-wa"]
