"""Data sets: OASST trees, chat/ShareGPT/prompt/segments records, and generic JSONL/CSV rows."""

from __future__ import annotations

import json

import pytest

from simulacra.errors import InputError

from .conftest import rows


def _node(mid, role, text, replies=(), deleted=False, parent=None):
    return {"message_id": mid, "parent_id": parent, "role": role, "text": text, "lang": "en",
            "created_date": "2023-02-01T10:00:00.000000+00:00", "deleted": deleted, "review_result": True,
            "rank": 0, "synthetic": False, "replies": list(replies)}


def test_oasst_tree_one_conversation_per_path(ingest):
    tree = {"message_tree_id": "t1", "tree_state": "ready_for_export", "origin": "x", "prompt": _node(
        "p", "prompter", "Hi?", [
            _node("a1", "assistant", "Hello.", [_node("q", "prompter", "More?", parent="a1")], parent="p"),
            _node("a2", "assistant", "Hey.", parent="p"),
            _node("a3", "assistant", "gone", deleted=True, parent="p")])}
    other = {"message_tree_id": "t2", "tree_state": "growing", "prompt": _node("r", "prompter", "Olá")}
    convs = ingest("trees.jsonl", json.dumps(tree) + "\n" + json.dumps(other) + "\n")
    assert [c.id for c in convs] == ["oasst-t1-0", "oasst-t1-1", "oasst-t2-0"]
    assert [[(m.speaker, m.text) for m in c.messages] for c in convs] == [
        [("user", "Hi?"), ("assistant", "Hello."), ("user", "More?")],
        [("user", "Hi?"), ("assistant", "Hey.")],
        [("user", "Olá")]]
    assert convs[0].messages[1].reply_to == "p" and convs[0].messages[0].time.year == 2023


def test_oasst_flat_message_rows(ingest):
    lines = [{"message_id": "p", "parent_id": None, "message_tree_id": "t", "role": "prompter", "text": "Q"},
             {"message_id": "a", "parent_id": "p", "message_tree_id": "t", "role": "assistant", "text": "A"}]
    (conv,) = ingest("msgs.jsonl", "\n".join(json.dumps(x) for x in lines))
    assert [(m.speaker, m.text) for m in conv.messages] == [("user", "Q"), ("assistant", "A")]


def test_seed_record_shapes(ingest):
    records = [
        {"messages": [{"role": "system", "content": "Be Ana."}, {"role": "user", "content": "hi"},
                      {"role": "assistant", "name": "Ana", "content": [{"type": "text", "text": "hey"}]}]},
        {"conversations": [{"from": "human", "value": "q"}, {"from": "gpt", "value": "a"}]},
        {"prompt": "[Ana] hi\n[Ben] hey\nthere", "response": "[Ana] how are you?"},
        {"prompt": "What is 2+2?", "completion": "4"},
        {"segments": [{"label": False, "text": "[Ben] yo"}, {"label": True, "text": "[Ana] sup"}]},
    ]
    convs = ingest("seed.jsonl", "\n".join(json.dumps(r) for r in records))
    assert [c.source for c in convs] == ["openai", "sharegpt", "prompt", "prompt", "segments"]
    assert [[(m.speaker, m.text, m.kind) for m in c.messages] for c in convs] == [
        [("system", "Be Ana.", "system"), ("user", "hi", "text"), ("Ana", "hey", "text")],
        [("user", "q", "text"), ("assistant", "a", "text")],
        [("Ana", "hi", "text"), ("Ben", "hey\nthere", "text"), ("Ana", "how are you?", "text")],
        [("user", "What is 2+2?", "text"), ("assistant", "4", "text")],
        [("Ben", "yo", "text"), ("Ana", "sup", "text")],
    ]


def test_flat_jsonl_grouped_by_conversation_in_file_order(ingest):
    lines = [{"author": "Ana", "body": "a", "ts": 1700000000, "thread": "x"},
             {"author": "Ben", "body": "b", "ts": 1700000001000, "thread": "x"},
             {"author": "Ana", "body": "c", "ts": 1700000002, "thread": "y"}]
    convs = ingest("rows.jsonl", "\n".join(json.dumps(x) for x in lines),
                   columns={"speaker": "author", "text": "body", "time": "ts", "conversation": "thread"})
    assert [c.id for c in convs] == ["rows-x", "rows-y"]
    assert rows(convs[0]) == [("Ana", "2023-11-14T22:13:20+00:00", "a", "text"),
                              ("Ben", "2023-11-14T22:13:21+00:00", "b", "text")]


def test_generic_csv_guessed_columns(ingest):
    text = 'speaker,text,time\nAna,"hello, there",2024-01-02T03:04:05\nBen,"two\nlines",2024-01-02T03:05:00\n'
    (conv,) = ingest("chat.csv", text)
    assert rows(conv) == [("Ana", "2024-01-02T03:04:05", "hello, there", "text"),
                          ("Ben", "2024-01-02T03:05:00", "two\nlines", "text")]


def test_unmappable_fields_and_bad_line_are_located(ingest):
    with pytest.raises(InputError, match="malformed JSON line") as e:
        ingest("seed.jsonl", '{"prompt": "a", "response": "b"}\n{"prompt": "a", "resp\n')
    assert e.value.line == 2
    with pytest.raises(InputError, match="--column speaker=") as e:
        ingest("rows.csv", "speaker,foo\nAna,x\n", format="csv")


def test_json_array_of_records_streams_with_line_numbers(ingest):
    text = '[\n {"prompt": "[Ana] hi", "response": "[Ben] yo"},\n {"prompt": 5, "segments": 3}\n]\n'
    with pytest.raises(InputError, match="segments") as e:
        ingest("seed.json", text)
    assert e.value.line == 3
    (conv,) = ingest("seed.json", '[{"prompt": "[Ana] hi", "response": "[Ben] yo"}]')
    assert [(m.speaker, m.text) for m in conv.messages] == [("Ana", "hi"), ("Ben", "yo")]


def test_json_array_of_flat_rows_is_detected(ingest):
    (conv,) = ingest("rows.json", json.dumps([{"sender": "Ana", "message": "hi"}, {"sender": "Ben", "message": "yo"}],
                                             indent=2))
    assert [(m.speaker, m.text) for m in conv.messages] == [("Ana", "hi"), ("Ben", "yo")]
