"""The streaming JSON walker gives the same values as json.loads, whatever the chunk boundaries."""

from __future__ import annotations

import io
import json

import pytest

from simulacra.errors import InputError
from simulacra.ingest import jsonstream
from simulacra.ingest.jsonstream import JsonStream

from .test_telegram import ACCOUNT, SINGLE


def _walk(stream: JsonStream):
    """Rebuild a value through members/items, the way parsers walk a document."""
    char = stream.peek()
    if char == "{":
        return {key: _walk(stream) for key in stream.members()}
    if char == "[":
        return [_walk(stream) for _ in stream.items()]
    return stream.value()


@pytest.mark.parametrize("chunk", [1, 3, 7, 64, 1 << 20])
def test_walk_equals_json_loads(monkeypatch, chunk):
    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    monkeypatch.setattr(jsonstream, "MARGIN", 4)
    for doc in (SINGLE, ACCOUNT, [1, 22, 333, {"a": [], "b": {}}, "x" * 50, -1.5e3, None, True]):
        text = json.dumps(doc, indent=1, ensure_ascii=False)
        stream = JsonStream(io.StringIO(text), "doc.json")
        assert _walk(stream) == doc
        stream.end()


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_every_truncation_is_an_input_error_with_a_line(monkeypatch, chunk):
    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    text = json.dumps(SINGLE, indent=1, ensure_ascii=False)
    for cut in range(0, len(text) - 1, 37):
        stream = JsonStream(io.StringIO(text[:cut]), "doc.json")
        with pytest.raises(InputError) as e:
            _walk(stream)
            stream.end()
        assert 1 <= e.value.line <= text[:cut].count("\n") + 1


def test_error_line_counts_dropped_chunks(monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 8)
    text = '[\n1,\n2,\n3,\n4,\n5,\n6,\n7 8]'
    with pytest.raises(InputError, match="expected ','") as e:
        _walk(JsonStream(io.StringIO(text), "doc.json"))
    assert e.value.line == 8
