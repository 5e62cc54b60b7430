"""Fixtures for ingest tests: write an export file, run the stage, read back what it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulacra.ingest import IngestConfig, run
from simulacra.io import read_json
from simulacra.schema import Conversation, read_conversations


def rows(conv: Conversation) -> list[tuple]:
    """(speaker, time, text, kind) per message: the exact shape the tests compare."""
    return [(m.speaker, m.time.isoformat() if m.time else None, m.text, m.kind) for m in conv.messages]


@pytest.fixture
def ingest(tmp_path: Path):
    """ingest(name, content, **settings) -> list of Conversations read back from conversations.jsonl."""

    def _ingest(name: str, content: str | bytes, **settings) -> list[Conversation]:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        out = run(IngestConfig(inputs=[path], out=tmp_path / "run", **settings))
        _ingest.manifest = read_json(out.parent / "ingest.manifest.json")
        return list(read_conversations(out))

    return _ingest
