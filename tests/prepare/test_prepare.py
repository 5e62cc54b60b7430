"""prepare: the loss covers exactly the target speaker's turns plus their end tokens; splits are time-ordered."""

from datetime import datetime

import orjson
import pytest

from simulacra.errors import SimulacraError
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.prepare import PrepareConfig, run
from simulacra.rundir import RunDir
from simulacra.schema import write_conversations
from tests.conftest import two_friend_sessions


def prepare(run_dir, model_dir, speakers=("Ana",), **kw):
    return run(PrepareConfig(run_dir=run_dir, speakers=list(speakers), model=str(model_dir), **kw))


def trained_spans(example, tok):
    """Decode each maximal run of trained tokens."""
    spans, current = [], []
    for i, m in zip(example.input_ids, example.mask):
        if m:
            current.append(i)
        elif current:
            spans.append(tok.decode(current))
            current = []
    if current:
        spans.append(tok.decode(current))
    return spans


def test_supervised_tokens_are_exactly_the_target_turns_plus_end_token(small_run, tiny_model_dir):
    out = prepare(small_run, tiny_model_dir)
    tok = ChatTokenizer.load(out / "tokenizer")
    examples = RunDir(small_run).examples("train")
    assert examples
    for ex in examples:
        expected = [t.text + "<|im_end|>" for t in ex.turns if t.speaker == "Ana"]
        assert trained_spans(ex, tok) == expected
        assert ex.speakers == ["Ana"]


def test_training_both_speakers_covers_every_turn(small_run, tiny_model_dir):
    prepare(small_run, tiny_model_dir, speakers=["all"])
    tok = ChatTokenizer.load(small_run / "dataset" / "tokenizer")
    for ex in RunDir(small_run).examples("train"):
        assert trained_spans(ex, tok) == [t.text + "<|im_end|>" for t in ex.turns]


def test_test_split_is_later_than_every_training_session(small_run, tiny_model_dir):
    prepare(small_run, tiny_model_dir)
    train, val, test = (RunDir(small_run).examples(s) for s in ("train", "validation", "test"))
    assert train and val and test
    last_train = max(t.time for ex in train for t in ex.turns)
    first_val = min(t.time for ex in val for t in ex.turns)
    first_test = min(t.time for ex in test for t in ex.turns)
    assert last_train < first_val
    assert max(t.time for ex in val for t in ex.turns) < first_test


def test_splits_stay_time_ordered_across_two_overlapping_chats(tmp_path, tiny_model_dir):
    a = two_friend_sessions(10, start=datetime(2024, 1, 1, 9))
    b = two_friend_sessions(10, start=datetime(2024, 1, 5, 21))
    b.id = "chat-2"
    write_conversations(tmp_path / "conversations.jsonl", [a, b])
    prepare(tmp_path, tiny_model_dir)
    train, test = RunDir(tmp_path).examples("train"), RunDir(tmp_path).examples("test")
    assert max(t.time for ex in train for t in ex.turns) < min(t.time for ex in test for t in ex.turns)


def test_windows_respect_max_seq_len_and_end_at_turn_boundaries(small_run, tiny_model_dir):
    prepare(small_run, tiny_model_dir, max_seq_len=48, window_turns=8)
    tok = ChatTokenizer.load(small_run / "dataset" / "tokenizer")
    for ex in RunDir(small_run).examples("train"):
        assert len(ex.input_ids) <= 48
        assert tok.decode(ex.input_ids).endswith("<|im_end|>\n")


def test_outputs_and_manifest(small_run, tiny_model_dir):
    out = prepare(small_run, tiny_model_dir)
    assert sorted(p.name for p in out.iterdir()) == [
        "config.yaml", "manifest.json", "test.jsonl", "tokenizer", "train.jsonl", "validation.jsonl"]
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["counts"]["train_sessions"] + manifest["counts"]["validation_sessions"] + \
        manifest["counts"]["test_sessions"] == 20
    assert manifest["inputs"][0]["sha256"]


def test_unknown_speaker_names_the_file_and_the_known_speakers(small_run, tiny_model_dir):
    with pytest.raises(SimulacraError, match=r"conversations.jsonl: no speaker named 'Anna'.*'Ana'"):
        prepare(small_run, tiny_model_dir, speakers=["Anna"])
    assert not (small_run / "dataset").exists()
