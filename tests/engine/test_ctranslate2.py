"""The CTranslate2 backend: float32 greedy decoding gives torch's tokens; conversion is cached by the weights' hash."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulacra.engine import Persona, Sampling
from simulacra.rundir import RunDir

pytest.importorskip("ctranslate2")

GREEDY = dict(max_new_tokens=12, temperature=0, repetition_penalty=1.0, batch_size=4)


@pytest.fixture(scope="module")
def personas(trained_run):
    return Persona(trained_run), Persona(trained_run, engine="ctranslate2", compute_type="float32")


@pytest.fixture(scope="module")
def prompts(personas, trained_run):
    from simulacra.evaluate.generate import held_out_moments

    moments = held_out_moments(RunDir(trained_run).examples("test"), personas[0].renderer, {"Ana"})
    return [m.prompt for m in moments]


def _ids(persona, side, prompts, sampling):
    with persona.side(side)._active() as backend:
        return backend.generate(prompts, sampling)


@pytest.mark.parametrize("side", ["tuned", "base"])
def test_float32_greedy_gives_the_same_tokens_as_torch(personas, prompts, side):
    torch_p, ct2_p = personas
    assert ct2_p.backend.name == "ctranslate2"
    expected = _ids(torch_p, side, prompts, Sampling(**GREEDY))
    assert any(expected)  # the tiny model does say something
    assert _ids(ct2_p, side, prompts, Sampling(**GREEDY)) == expected


def test_streaming_gives_what_generate_gives(personas, prompts):
    tuned = personas[1].side("tuned")
    for prompt in prompts[:3]:
        assert "".join(tuned.stream(prompt, Sampling(**GREEDY))).strip() == tuned.generate([prompt], Sampling(**GREEDY))[0]


def test_sampling_varies_and_stays_within_max_new_tokens(personas, prompts):
    # Seeded sampling is not reproducible on CTranslate2 (set_random_seed does not reach its worker thread,
    # OpenNMT/CTranslate2#1757); only greedy decoding is exact.
    with personas[1].side("tuned")._active() as backend:
        ids = backend.generate(prompts, Sampling(max_new_tokens=5, temperature=1.0, batch_size=4))
    assert all(len(row) <= 5 for row in ids) and len({tuple(r) for r in ids}) > 1


def test_scoring_falls_back_to_torch(personas, prompts):
    groups = [(prompts[0], [[5, 6, 7]], [0])]
    assert personas[1].side("tuned").score_groups(groups) == personas[0].side("tuned").score_groups(groups)


def test_conversion_is_built_once_and_cached(personas, trained_run):
    converted = RunDir(trained_run).model / "converted"
    folders = sorted(p.name for p in converted.iterdir())
    # one tuned copy keyed by the weights' hash, one base copy (16 hex digits each)
    base = [f for f in folders if f.startswith("ctranslate2-base-")]
    tuned = [f for f in folders if f not in base]
    assert len(base) == 1 and len(base[0]) == len("ctranslate2-base-") + 16
    assert len(tuned) == 1 and tuned[0].startswith("ctranslate2-") and len(tuned[0]) == len("ctranslate2-") + 16
    again = Persona(trained_run, engine="ctranslate2", compute_type="float32")
    assert sorted(p.name for p in converted.iterdir()) == folders
    assert again.backend._tuned.vocab == personas[1].backend._tuned.vocab


def test_a_fresh_decoder_samples_the_same_replies_for_the_same_seed(trained_run, prompts):
    # CTranslate2 seeds a decoder's worker thread once, at its first sample (OpenNMT/CTranslate2#1757): two fresh
    # personas (as two evaluate runs) sample alike, batch for batch, which is what makes a report reproducible.
    sampling = Sampling(max_new_tokens=12, temperature=1.0, top_k=0, top_p=1.0, seed=7, batch_size=2)
    replies = []
    for _ in range(2):
        persona = Persona(trained_run, engine="ctranslate2", compute_type="float32")
        replies.append([persona.side(side).generate(prompts, sampling) for side in ("tuned", "base")])
    assert replies[0] == replies[1]
    assert replies[0][0] != replies[0][1] or any(replies[0][0])  # something was sampled


def test_the_repetition_penalty_spares_the_prompt_as_on_torch(personas, prompts):
    """CTranslate2 penalises only the tokens it generated, as torch does now: a harsh penalty leaves the first
    token alone even where the prompt holds it. (Later tokens are not compared: a penalty of 50 squeezes the
    tiny model's logits into near-ties that the two backends round apart.)"""
    first = dict(GREEDY, max_new_tokens=1)
    plain = _ids(personas[1], "tuned", prompts, Sampling(**first))
    harsh = _ids(personas[1], "tuned", prompts, Sampling(**{**first, "repetition_penalty": 50.0}))
    assert any(row and row[0] in prompt for prompt, row in zip(prompts, plain))  # the case that matters is there
    assert harsh == plain == _ids(personas[0], "tuned", prompts, Sampling(**{**first, "repetition_penalty": 50.0}))


def test_a_sampled_batch_holds_prompts_of_one_length_only():
    """Mixed lengths make CTranslate2 force the longer prompts' tails as decoding steps (longer, loopier samples);
    greedy decoding is exact either way and keeps mixed batches."""
    from simulacra.engine.ctranslate2_backend import _batches

    prompts = [[1] * n for n in (3, 5, 3, 5, 5, 2, 3)]
    assert list(_batches(prompts, 2, one_length=True)) == [[1, 3], [4], [0, 2], [6], [5]]
    assert list(_batches(prompts, 3, one_length=False)) == [[1, 3, 4], [0, 2, 6], [5]]


def test_loading_a_decoder_leaves_torch_its_threads(trained_run):
    # CTranslate2 and torch share the OpenMP runtime; the first one-thread Generator of a process used to leave
    # torch on one thread too. A fresh process, since only the first Generator of a process changes it.
    script = ("import sys, torch; from simulacra.engine import Persona; torch.set_num_threads(2); "
              "Persona(sys.argv[1], engine='ctranslate2', compute_type='int8'); print(torch.get_num_threads())")
    done = subprocess.run([sys.executable, "-c", script, str(trained_run)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "2"
