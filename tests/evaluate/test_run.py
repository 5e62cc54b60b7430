"""evaluate on the tiny model: report files, perplexity per turn, batched generation, compare, the blind game."""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from simulacra.cli import app
from simulacra.io import read_json


def test_report_folder_holds_exactly_these_files(evaluated_run):
    names = sorted(p.name for p in (evaluated_run / "report").iterdir())
    assert names == ["config.yaml", "generations.jsonl", "index.html", "manifest.json", "report.json"]


def test_report_numbers(evaluated_run):
    report = read_json(evaluated_run / "report" / "report.json")
    ppl = report["perplexity"]
    assert ppl["tokens"] > 0 and math.isfinite(ppl["base"]) and math.isfinite(ppl["tuned"])
    assert set(ppl["speakers"]) == {"Ana", "all"}
    assert ppl["speakers"]["Ana"]["tuned"] == pytest.approx(ppl["tuned"], rel=1e-4)
    assert report["sampling"] == {"max_new_tokens": 8, "temperature": 0.8, "top_p": 0.9, "top_k": 50,
                                  "repetition_penalty": 1.1, "seed": 0, "batch_size": 4, "min_new_tokens": 0}
    # Ana answers twice per session (the burst is one turn), both times after Ben.
    assert report["moments"] == 2 * report["perplexity"]["speakers"]["Ana"]["turns"] // 2 > 0
    for side in ("base", "tuned"):
        assert 0 <= report["overlap"][side]["rouge1"] <= 1
        assert report["style"]["Ana"]["summary"][side] >= 0
    assert report["who_said_it"]["classes"].keys() == {"Ana", "Ben"}
    assert report["who_said_it"]["real"] == 1.0  # Ana's and Ben's real lines never overlap
    two = report["two_sample"]
    for side in ("base", "tuned"):
        if report["moments"] < 5:
            assert "skipped" in two[side]
        else:
            assert two[side]["pairs"] == report["moments"]
            assert two[side]["low"] <= two[side]["accuracy"] <= two[side]["high"]
    judge = report["judge"]
    assert judge["chance"] == pytest.approx(1 / 3)
    assert sum(judge["picked"].values()) == pytest.approx(1.0)
    mem = report["memorisation"]
    assert mem["tuned"]["train"]["n"] > 0 and 0 <= mem["tuned"]["train"]["exact"] <= 1
    metrics = [row["metric"] for row in report["headline"]]
    assert metrics[0] == "Perplexity of the real held-out turns"
    assert "Who said it: attributed to the person (chance 50%)" in metrics
    # The run's own model judging its own samples is in the report, never in the headline.
    assert not any(m.startswith("Blind judge") for m in metrics)


def test_per_turn_nll_adds_up_to_the_total(trained_run):
    from simulacra.evaluate.perplexity import speaker_nll
    from simulacra.engine import Persona
    from simulacra.rundir import RunDir

    persona = Persona(trained_run)
    examples = RunDir(trained_run).examples("test")
    result = speaker_nll(persona.side("tuned"), examples, 3, {"Ana"})
    assert sum(t["tokens"] for t in result["turns"]) == result["tokens"] == sum(sum(e.mask) for e in examples)
    assert sum(t["nll"] for t in result["turns"]) == pytest.approx(result["nll_sum"], rel=1e-5)
    assert {t["speaker"] for t in result["turns"]} == {"Ana"}
    assert len(result["turns"]) == sum(t.speaker == "Ana" for e in examples for t in e.turns)


def test_moment_prompts_are_what_the_renderer_would_build(trained_run):
    from simulacra.evaluate.generate import held_out_moments
    from simulacra.engine import Persona
    from simulacra.rundir import RunDir

    persona = Persona(trained_run)
    moments = held_out_moments(RunDir(trained_run).examples("test"), persona.renderer, {"Ana"})
    assert moments and all(m.speaker == "Ana" and m.history for m in moments)
    for m in moments:
        assert m.prompt == persona.renderer.prompt(m.system, m.history, "Ana")
    assert len(held_out_moments(RunDir(trained_run).examples("test"), persona.renderer, {"Ana"}, limit=2)) == 2


def test_compare_puts_runs_side_by_side(evaluated_run):
    result = CliRunner().invoke(app, ["evaluate", "--compare", str(evaluated_run), str(evaluated_run)])
    assert result.exit_code == 0, result.output
    assert "Runs compared" in result.output and "Perplexity" in result.output and "ROUGE-1" in result.output
    from simulacra.evaluate import compare

    rows = compare([evaluated_run, evaluated_run])
    first = rows[0]
    assert first["metric"] == "Perplexity of the real held-out turns"
    assert len(set(first["runs"].values())) == 1  # the same run twice: the same number


def test_compare_without_a_report_is_a_clear_error(tmp_path):
    from simulacra.errors import SimulacraError

    result = CliRunner().invoke(app, ["evaluate", "--compare", str(tmp_path), str(tmp_path)])
    assert isinstance(result.exception, SimulacraError) and "no report" in str(result.exception)


def test_blind_game_in_the_terminal_reads_stdin(evaluated_run):
    result = CliRunner().invoke(app, ["evaluate", str(evaluated_run), "--blind", "--rounds", "3"],
                                input="9\n1\n2\n3\n")
    assert result.exit_code == 0, result.output
    assert result.output.count("Which of these did Ana really write next?") == 3
    assert "please type a number from 1 to 3" in result.output  # the 9
    assert "You found the real reply" in result.output
    saved = read_json(evaluated_run / "report" / "blind_game.json")
    assert saved["moments"] == 3 and saved["chance"] == pytest.approx(1 / 3)
    (evaluated_run / "report" / "blind_game.json").unlink()


def test_a_local_model_named_as_judge_reads_the_same_moments(trained_run, tiny_model_dir):
    from simulacra.evaluate.judge import run_judge
    from simulacra.evaluate.generate import held_out_moments
    from simulacra.engine import Persona
    from simulacra.rundir import RunDir

    persona = Persona(trained_run)
    moments = held_out_moments(RunDir(trained_run).examples("test"), persona.renderer, {"Ana"})
    for m in moments:
        m.replies = {"base": "The weather is lovely.", "tuned": "omg lol"}
    result = run_judge(persona, moments, str(tiny_model_dir))
    assert result["judge"] == str(tiny_model_dir) and result["moments"] == len(moments)
    assert sum(result["picked"].values()) == pytest.approx(1.0)


def test_training_made_the_real_turns_likelier(evaluated_run):
    ppl = read_json(evaluated_run / "report" / "report.json")["perplexity"]
    assert ppl["tuned"] < ppl["base"]
    assert ppl["speakers"]["Ana"]["turns_improved"] > 0.5


def test_judge_reading_the_history_once_scores_like_reading_each_candidate_in_full(trained_run):
    from simulacra.evaluate.blind import score_candidates, score_candidates_separately
    from simulacra.evaluate.generate import held_out_moments
    from simulacra.engine import Persona
    from simulacra.rundir import RunDir

    persona = Persona(trained_run)
    moments = held_out_moments(RunDir(trained_run).examples("test"), persona.renderer, {"Ana"})
    rows = [(m.prompt, text) for m in moments[:3] for text in (m.real, "The weather is lovely.", "omg")]
    shared = score_candidates(persona.side("tuned"), persona.renderer, rows)
    separate = score_candidates_separately(persona.side("tuned"), persona.renderer, rows)
    assert shared == pytest.approx(separate, abs=1e-4)


@pytest.mark.parametrize("recites, expected", [(True, 1.0), (False, 0.0)])
def test_memorisation_audit_on_a_model_that_recites_or_not(trained_run, monkeypatch, recites, expected):
    from simulacra.engine.persona import Side
    from simulacra.evaluate import EvaluateConfig
    from simulacra.evaluate.memorisation import memorisation_audit
    from simulacra.engine import Persona
    from simulacra.rundir import RunDir
    from tests.evaluate.conftest import LONG_TURN

    persona = Persona(trained_run)

    def fake_generate(self, prompts, sampling, on_batch=None):
        tokenizer = self.persona.tokenizer
        prefixes = [tokenizer.decode(p).rsplit("<|im_start|>Ana\n", 1)[1] for p in prompts]
        assert all(LONG_TURN.startswith(p) for p in prefixes)  # the audit really feeds the turn's start
        return [LONG_TURN[len(p):] if recites else "zzz qqq" for p in prefixes]

    monkeypatch.setattr(Side, "generate", fake_generate)
    run = RunDir(trained_run)
    result = memorisation_audit(persona, run.examples("train"), run.examples("test"),
                                {"Ana"}, [], EvaluateConfig(run_dir=trained_run, memorisation_samples=5))
    for side in ("base", "tuned"):
        assert result[side]["train"] == {"n": 5, "exact": expected, "near": expected}
    assert result["pii"]["leaked_values"] == 0


@pytest.mark.parametrize("style", ["roles", "speaker-tokens", "segments", "instruct", "completion"])
def test_moment_prompt_plus_the_real_reply_is_the_training_text(tmp_path, tiny_model_dir, style):
    """Whatever the prompt style, the model is asked for a turn exactly as prepare rendered it."""
    from simulacra.evaluate.generate import held_out_moments, reply_ids
    from simulacra.prepare import PrepareConfig
    from simulacra.prepare import run as prepare
    from simulacra.formats.render import renderer_for
    from simulacra.rundir import RunDir
    from simulacra.schema import write_conversations
    from tests.evaluate.conftest import chat

    write_conversations(tmp_path / "conversations.jsonl", [chat(10)])
    prepare(PrepareConfig(run_dir=tmp_path, speakers=["Ana"], model=str(tiny_model_dir), style=style))
    run = RunDir(tmp_path)
    renderer = renderer_for(run.dataset_spec(), run.tokenizer())
    examples = run.examples("train")
    moments = held_out_moments(examples, renderer, {"Ana"})
    assert moments
    matches = [examples[m.example].input_ids[:len(full)] == full
               for m in moments for full in [m.prompt + reply_ids(renderer, m.real)]]
    # instruct trains only the window's last answer, so only that moment is laid out as in training.
    assert any(matches) if style == "instruct" else all(matches)
