"""Speaker identity: one model trained on two speakers scores each held-out turn highest after its true speaker."""

from __future__ import annotations

from collections import Counter

import pytest

from simulacra.io import read_json
from simulacra.schema import write_conversations
from tests.evaluate.conftest import chat


@pytest.fixture(scope="module")
def group_run(tmp_path_factory, tiny_model_dir):
    """Ana and Ben both trained (`--as all`), a full fine-tune of the tiny model (LoRA on a 32-wide model
    learns too little in a test's time) until each one's lines are clearly theirs."""
    from simulacra.prepare import PrepareConfig
    from simulacra.prepare import run as prepare
    from simulacra.train import TrainConfig
    from simulacra.train import run as train

    run_dir = tmp_path_factory.mktemp("group")
    write_conversations(run_dir / "conversations.jsonl", [chat(20)])
    prepare(PrepareConfig(run_dir=run_dir, speakers=["all"], model=str(tiny_model_dir)))
    train(TrainConfig(run_dir=run_dir, method="full", max_steps=40, batch_size=4, learning_rate=3e-3, save_steps=100))
    return run_dir


def test_each_candidate_row_scores_the_same_words_after_another_header(group_run):
    from simulacra.evaluate.speakers import candidate_rows
    from simulacra.formats.render import renderer_for
    from simulacra.rundir import RunDir

    run = RunDir(group_run)
    tokenizer = run.tokenizer()
    renderer = renderer_for(run.dataset_spec(), tokenizer)
    examples = run.examples("test")
    speakers = ["Ana", "Ben"]
    rows, truth = candidate_rows(renderer, examples, speakers)
    assert len(rows) == 2 * len(truth) == 2 * sum(len(ex.turns) - 1 for ex in examples)
    end = renderer.stop_token_id
    for k, real in enumerate(truth):
        pair = rows[2 * k:2 * k + 2]
        words = [[t for t, m in zip(r["input_ids"], r["mask"]) if m] for r in pair]
        assert words[0] == words[1] and end in words[0]  # the same turn, and its end token
        prompts = [tokenizer.decode(r["input_ids"][:r["mask"].index(1)]) for r in pair]
        assert prompts[0].endswith("Ana\n") and prompts[1].endswith("Ben\n")
        assert prompts[0][:-4] == prompts[1][:-4]  # same history and system text
    assert set(truth) == {"Ana", "Ben"}


def test_evaluate_reports_who_is_speaking_for_a_group_run(group_run):
    from simulacra.evaluate import EvaluateConfig, run

    run(EvaluateConfig(run_dir=group_run, generate=False, batch_size=4))
    report = read_json(group_run / "report" / "report.json")
    identity = report["speaker_identity"]
    tuned, base = identity["tuned"], identity["base"]
    assert tuned["chance"] == 0.5 and set(tuned["speakers"]) == {"Ana", "Ben"}
    assert tuned["turns"] == sum(s["turns"] for s in tuned["speakers"].values()) > 0
    assert tuned["accuracy"] >= 0.9 and tuned["accuracy"] > base["accuracy"]
    row = next(r for r in report["headline"] if r["metric"].startswith("Turns likeliest under their true speaker"))
    assert (row["base"], row["tuned"], row["winner"]) == (base["accuracy"], tuned["accuracy"], "tuned")


def test_a_single_speaker_run_has_no_speaker_identity(evaluated_run):
    assert "speaker_identity" not in read_json(evaluated_run / "report" / "report.json")


def test_reading_the_history_once_picks_as_reading_each_row_in_full(group_run):
    """The shared-history scorer against plain masked NLL over each whole row."""
    from simulacra.engine import Persona
    from simulacra.evaluate.speakers import candidate_rows, speaker_picks
    from simulacra.rundir import RunDir

    persona = Persona(group_run)
    tuned = persona.side("tuned")
    speakers = ["Ana", "Ben"]
    rows, truth = candidate_rows(persona.renderer, RunDir(group_run).examples("test"), speakers)
    total = [0.0] * len(rows)
    for i, nll, trained in tuned.nll(rows):
        total[i] = float(nll[trained].sum())
    margins, reference = [], Counter()
    for k, real in enumerate(truth):
        pair = total[2 * k:2 * k + 2]
        reference[real, speakers[pair.index(min(pair))] == real] += 1
        margins.append(abs(pair[0] - pair[1]))
    assert min(margins) > 1e-3  # no near-ties, so both scorers must pick alike
    assert speaker_picks(tuned, rows, truth, speakers, batch_size=3) == reference


def test_reading_each_example_once_scores_as_reading_the_history_once_per_turn(group_run):
    """The trunk-and-branches scorer gives the per-turn scorer's numbers, candidate by candidate, on both sides."""
    from simulacra.engine import Persona
    from simulacra.evaluate.speakers import candidate_rows, shared_group, tree_scores, trees
    from simulacra.rundir import RunDir

    persona = Persona(group_run)
    speakers = ["Ana", "Ben"]
    examples = RunDir(group_run).examples("test")
    built = trees(persona.renderer, examples, speakers)
    rows, truth = candidate_rows(persona.renderer, examples, speakers)
    assert built is not None and built[1] == truth
    groups = [shared_group(rows[2 * j:2 * j + 2]) for j in range(len(truth))]
    for side in ("tuned", "base"):
        fast = tree_scores(persona.side(side), built, speakers)
        reference = persona.side(side).score_groups(groups, 3)
        assert len(fast) == len(reference) == len(truth)
        for got, want in zip(fast, reference):
            assert got == pytest.approx(want, abs=1e-4)
