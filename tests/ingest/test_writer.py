"""The streamed conversations.jsonl has Conversation.to_dict()'s fields; ingest never imports torch."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import orjson
import pytest

from simulacra.ingest.writer import Tally, write_stream
from simulacra.schema import Conversation, Message


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_streamed_record_equals_to_dict():
    msgs = [Message("Ana B.", "hi", datetime(2024, 1, 2, 3, 4, 5, 6), "1", None, "text", False, None),
            Message("Ben", "x", datetime(2024, 1, 2, tzinfo=timezone.utc), "2", "1", "media", True, "Cy"),
            Message("", "joined", None, kind="system")]
    conv = Conversation("c1", "test", "T", [], owner="Ana B.")
    conv.messages = iter(msgs)
    sink, tally = io.BytesIO(), Tally()
    write_stream(sink, [conv], {"Ana B.": "Ana"}, tally)
    record = orjson.loads(sink.getvalue())
    expected = Conversation("c1", "test", "T", ["Ana", "Ben"], msgs, owner="Ana").to_dict()
    assert record == expected
    assert tally.counts() == {"conversations": 1, "messages": 3, "kinds": {"text": 1, "media": 1, "system": 1},
                              "speakers": {"Ana": 1, "Ben": 1}}


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("n", [0, 1, 511, 512, 513, 1500])
def test_batches_and_flushes_keep_every_message(n):
    # Messages are encoded 512 at a time and written in ~1 MiB pieces; a lone surrogate is replaced.
    texts = [("x" * 3000 if i % 2 else f"m{i}") + ("\ud800" if i == 700 else "") for i in range(n)]
    conv = Conversation("c", "s", "T", [])
    conv.messages = iter(Message("Ana" if i % 3 else "Ben", t, None, str(i)) for i, t in enumerate(texts))
    sink, tally = io.BytesIO(), Tally(count_words=False)
    write_stream(sink, [conv], {}, tally)
    record = orjson.loads(sink.getvalue())
    assert [m["text"] for m in record["messages"]] == [t.replace("\ud800", "?") for t in texts]
    assert [m["source_id"] for m in record["messages"]] == [str(i) for i in range(n)]
    assert tally.messages == n and not tally.words


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_duplicate_ids_are_made_unique():
    sink = io.BytesIO()
    write_stream(sink, [Conversation("a", "s", "", []), Conversation("a", "s", "", [])], {}, Tally())
    assert [orjson.loads(line)["id"] for line in sink.getvalue().splitlines()] == ["a", "a-2"]


def test_ingest_never_imports_torch():
    code = ("import sys, simulacra.ingest, simulacra.ingest.command, simulacra.ingest.registry as r\n"
            "[r.parser(n) for n in r.FORMATS]\n"
            "bad = [m for m in ('torch', 'transformers') if m in sys.modules]\n"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("at", [3, 511, 512, 700])
def test_backwards_dates_found_in_any_batch(at):
    base = datetime(2024, 1, 1)
    times = [base + timedelta(minutes=i) for i in range(900)]
    times[at] = datetime(2019, 5, 6)  # years before the message above it
    msgs = [Message("Ana" if i % 2 else "Ben", "x", t, str(i)) for i, t in enumerate(times)]
    msgs.insert(10, Message("Ana", "aware", datetime(2024, 1, 1, tzinfo=timezone.utc), "aware"))
    conv = Conversation("c", "s", "T", [])
    conv.messages = iter(msgs)
    with pytest.warns(UserWarning) as caught:
        write_stream(io.BytesIO(), [conv], {}, Tally())
    assert [str(w.message) for w in caught] == [
        f"c: dates go backwards by years (message {at}: 2019-05-06 after "
        "2024-01-01); check the export (for WhatsApp-style dates: --set date_order=...)"]
