"""--as several or all, random windows, left-trimming at turn boundaries, and role reversal."""

from __future__ import annotations

from collections import Counter

from simulacra.formats.render import make_renderer
from simulacra.prepare.sessions import Session
from simulacra.prepare.windows import session_examples
from simulacra.schema import Turn
from tests.prepare.conftest import full_text, trained_spans

E = "<|im_end|>"
GROUP = [("Ana", "hey how are you", 0), ("Ben", "on my way", 1), ("Cleo", "where are you", 1),
         ("Ana", "ngl i forgot", 1), ("Ben", "The weather is lovely.", 1), ("Cleo", "omg lol", 1)]


def test_several_speakers_are_trained_and_the_rest_is_context(prepared):
    examples, tok, _ = prepared(GROUP, speakers=["Ana", "Cleo"])
    assert trained_spans(examples[0], tok) == [f"hey how are you{E}", f"where are you{E}", f"ngl i forgot{E}",
                                               f"omg lol{E}"]
    assert examples[0].speakers == ["Ana", "Cleo"]


def test_all_trains_every_speaker_and_each_header_names_who_speaks(prepared):
    examples, tok, _ = prepared(GROUP, speakers=["all"])
    assert trained_spans(examples[0], tok) == [f"{text}{E}" for _, text, _ in GROUP]
    text = full_text(examples[0], tok)
    assert [line for line in text.split("\n") if line.startswith("<|im_start|>")] == [
        "<|im_start|>system", "<|im_start|>Ana", "<|im_start|>Ben", "<|im_start|>Cleo", "<|im_start|>Ana",
        "<|im_start|>Ben", "<|im_start|>Cleo"]


def test_role_reversal_trains_the_user_side_of_assistant_data(prepared):
    plan = [("user", "hey how are you", 0), ("assistant", "I am quite well, thank you for asking.", 1),
            ("user", "where are you", 1), ("assistant", "on my way", 1)]
    examples, tok, _ = prepared(plan, speakers=["user"])
    assert trained_spans(examples[0], tok) == [f"hey how are you{E}", f"where are you{E}"]
    assert "<|im_start|>assistant\nI am quite well" in full_text(examples[0], tok)


def _turns(n):
    return [Turn("Ana" if i % 2 else "Ben", f"turn {i}") for i in range(n)]


def test_random_windows_are_seeded_and_within_bounds(tiny_model_dir):
    import random

    from simulacra.formats.tokenizer import ChatTokenizer

    tok = ChatTokenizer.load(tiny_model_dir)
    renderer = make_renderer("roles", tok)
    session = Session("c", 0, _turns(60))

    def cut(seed):
        return [len(ex.turns) for ex in session_examples(session, renderer, {"Ana", "Ben"}, lambda speakers: None, 10, 4096,
                                                         Counter(), min_turns=2, rng=random.Random(seed))]

    lengths = cut(1)
    assert lengths == cut(1) and lengths != cut(2)
    assert sum(lengths) == 60 and all(2 <= n <= 10 for n in lengths[:-1]) and len(set(lengths)) > 2


def test_long_windows_are_trimmed_from_the_left_at_turn_boundaries(tiny_model_dir):
    import random

    from simulacra.formats.tokenizer import ChatTokenizer

    tok = ChatTokenizer.load(tiny_model_dir)
    renderer = make_renderer("roles", tok)
    turns = _turns(6)
    per_turn = len(renderer.turn("Ana", "turn 1", True)[0])
    counts = Counter()
    [ex] = session_examples(Session("c", 0, turns), renderer, {"Ana"}, lambda speakers: None, 6, 3 * per_turn, counts,
                            min_turns=6, rng=random.Random(0))
    assert [t.text for t in ex.turns] == ["turn 3", "turn 4", "turn 5"]  # the most recent turns, whole
    assert len(ex.input_ids) <= 3 * per_turn and counts["trimmed_turns"] == 3
    assert tok.decode(ex.input_ids).startswith("<|im_start|>Ana\nturn 3")


def test_random_windows_through_prepare(prepared):
    plan = [("Ana" if i % 2 else "Ben", f"where are you {i}", 1) for i in range(40)]
    examples, _, _ = prepared(plan, speakers=["Ana"], windows="random", min_window_turns=2, window_turns=10, seed=3)
    again, _, _ = prepared(plan, speakers=["Ana"], windows="random", min_window_turns=2, window_turns=10, seed=3)
    assert [len(e.turns) for e in examples] == [len(e.turns) for e in again]
    assert all(len(e.turns) <= 10 for e in examples) and len({len(e.turns) for e in examples}) > 1


def test_the_system_text_names_the_speakers_of_each_example_not_the_whole_group(prepared):
    # A big group: 30 members speak once, then Ana and Ben talk alone for a while. Naming every member in every
    # example filled the token budget and cut the history the pair's examples could hold.
    crowd = [(f"Member {i}", "hello all", 1) for i in range(30)]
    pair = [("Ben" if i % 2 else "Ana", f"line {i} about the trip", 120 if i == 0 else 1) for i in range(16)]
    examples, tok, _ = prepared(crowd + pair, speakers=["Ana"], max_seq_len=256)
    texts = [full_text(ex, tok) for ex in examples if {t.speaker for t in ex.turns} == {"Ana", "Ben"}]
    assert texts and all(t.startswith("<|im_start|>system\nA chat between Ana and Ben.<|im_end|>") for t in texts)
    assert max(len(ex.turns) for ex in examples) == 8  # window_turns, not what a 30-name system text leaves
