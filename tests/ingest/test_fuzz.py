"""Property tests: random bytes and mutated valid exports either parse or raise InputError, never crash."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulacra.errors import InputError
from simulacra.ingest import IngestConfig, run
from simulacra.ingest.registry import FORMATS

from .test_discord import DCE
from .test_telegram import ACCOUNT, SINGLE
from .test_whatsapp import ANDROID, GERMAN, IOS_12H

VALID = {
    "result.json": json.dumps(SINGLE, ensure_ascii=False, indent=1).encode(),
    "account.json": json.dumps(ACCOUNT, indent=1).encode(),
    "club.json": json.dumps(DCE).encode(),
    "android.txt": ANDROID.encode(),
    "ios.txt": IOS_12H.encode(),
    "de.txt": GERMAN.encode(),
    "message_1.json": json.dumps({"participants": [{"name": "A"}], "title": "A", "thread_path": "inbox/a",
                                  "messages": [{"sender_name": "A", "timestamp_ms": 1, "content": "Ã©"}]}).encode(),
    "seed.jsonl": b'{"prompt": "[Ana] hi\\n[Ben] yo", "response": "ok"}\n{"messages": [{"role": "user", "content": "x"}]}\n',
    "trees.jsonl": json.dumps({"message_tree_id": "t", "prompt": {"message_id": "p", "parent_id": None, "role": "prompter",
                                                                  "text": "q", "replies": []}}).encode(),
    "chat.csv": b"speaker,text,time\nAna,hi,2024-01-02T03:04:05\n",
    "talk.srt": b"1\n00:00:01,000 --> 00:00:02,000\nANA: hi\n\n2\n00:00:02,000 --> 00:00:03,000\nthere\n",
    "talk.txt": b"Ana: hi\nBen: yo\n",
}
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ingest(name: str, data: bytes, fmt: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            out = run(IngestConfig(inputs=[path], out=Path(tmp) / "run", format=fmt))
        except InputError as e:
            assert e.path and str(e)  # a located, printable error
            assert not (Path(tmp) / "run" / "conversations.jsonl").exists()
        else:
            assert out.exists()


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(VALID)))
    data = bytearray(VALID[name])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "delete", "insert", "flip", "dup"]))
        i = draw(st.integers(0, max(0, len(data) - 1)))
        j = min(len(data), i + draw(st.integers(1, 40)))
        if op == "cut":
            del data[i:]
        elif op == "delete":
            del data[i:j]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=12) | st.sampled_from(
                [b"\xef\xbb\xbf", "\u200e".encode(), b'"', b"{", b"]", b":", b"\n", b"13/13/21, 99:99 - ", b"\\ud800"]))
        elif op == "flip" and data:
            data[i] ^= draw(st.integers(1, 255))
        elif op == "dup":
            data[i:i] = data[i:j]
    return name, bytes(data)


@FUZZ
@given(mutated())
def test_mutated_exports_never_crash(case):
    _ingest(*case)


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([None, *FORMATS]), st.sampled_from(["x.json", "x.txt", "x.csv", "x.db"]))
def test_random_bytes_never_crash(data, fmt, name):
    _ingest(name, data, fmt)


@FUZZ
@given(st.text(max_size=200), st.sampled_from([None, "whatsapp", "transcript", "telegram", "jsonl", "csv"]))
def test_random_text_never_crashes(text, fmt):
    _ingest("x.txt", text.encode("utf-8", "surrogatepass"), fmt)
