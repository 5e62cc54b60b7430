"""Sampling defaults live in one place: every verb's config reads them from the engine's `Sampling`."""

from __future__ import annotations

import pytest

from simulacra.chat.config import ChatConfig
from simulacra.converse.config import ConverseConfig
from simulacra.engine.sampling import Sampling, sampling_field, sampling_of
from simulacra.evaluate.config import EvaluateConfig

CONFIGS = [ChatConfig, ConverseConfig, EvaluateConfig]
# Deliberate per-verb lengths: a chat reply, a converse turn, an evaluated held-out turn.
OWN_LENGTH = {ChatConfig: 96, ConverseConfig: 64, EvaluateConfig: 48}
SHARED = ["temperature", "top_p", "top_k", "repetition_penalty"]


@pytest.mark.parametrize("cls", CONFIGS, ids=lambda c: c.__name__)
def test_every_verb_takes_the_engines_defaults_and_help(cls):
    fields = cls.model_fields
    shared = [name for name in SHARED if name in fields]
    assert {"temperature", "top_p"} <= set(shared)
    for name in shared:
        assert fields[name].default == getattr(Sampling, name), name
        assert fields[name].description == sampling_field(name).description, name
    assert fields["max_new_tokens"].default == OWN_LENGTH[cls]


def test_a_config_becomes_the_sampling_it_declares_with_engine_defaults_for_the_rest(tmp_path):
    chat = ChatConfig(run_dir=tmp_path, temperature=0.3, top_p=0.5, max_new_tokens=7, seed=4)
    sampling = sampling_of(chat, seed=chat.seed)
    assert (sampling.temperature, sampling.top_p, sampling.max_new_tokens, sampling.seed) == (0.3, 0.5, 7, 4)
    # chat has no top-k or penalty flag: the engine's own defaults apply
    assert (sampling.top_k, sampling.repetition_penalty) == (Sampling.top_k, Sampling.repetition_penalty)
    evaluate = EvaluateConfig(run_dir=tmp_path, top_k=5, repetition_penalty=1.0, gen_batch_size=3)
    sampling = sampling_of(evaluate, batch_size=evaluate.gen_batch_size)
    assert (sampling.top_k, sampling.repetition_penalty, sampling.batch_size) == (5, 1.0, 3)


def test_a_sampling_field_keeps_its_bounds(tmp_path):
    with pytest.raises(ValueError, match="top_p"):
        ChatConfig(run_dir=tmp_path, top_p=1.5)
    with pytest.raises(ValueError, match="temperature"):
        ConverseConfig(run_dir=tmp_path, temperature=-1)
