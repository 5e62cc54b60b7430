"""The inference engine: one API to generate, stream, score and read hidden states, on the tuned or base side."""

from __future__ import annotations

import time

import pytest

from simulacra.engine import Persona, Sampling
from simulacra.rundir import RunDir

GREEDY = dict(max_new_tokens=6, temperature=0, repetition_penalty=1.0)


@pytest.fixture(scope="module")
def persona(trained_run):
    return Persona(trained_run)


@pytest.fixture(scope="module")
def prompts(persona, trained_run):
    from simulacra.evaluate.generate import held_out_moments

    return [m.prompt for m in held_out_moments(RunDir(trained_run).examples("test"), persona.renderer, {"Ana"})]


def test_left_padded_batches_generate_what_single_prompts_do(persona, prompts):
    assert len({len(p) for p in prompts}) > 1  # different lengths, so padding really happens
    tuned = persona.side("tuned")
    assert tuned.generate(prompts, Sampling(batch_size=8, **GREEDY)) == tuned.generate(prompts, Sampling(batch_size=1, **GREEDY))


def test_sampling_is_reproducible_with_the_seed(persona, prompts):
    runs = [persona.side("tuned").generate(prompts, Sampling(max_new_tokens=6, batch_size=4)) for _ in range(2)]
    assert runs[0] == runs[1]


def test_streaming_gives_the_text_generate_gives(persona, prompts):
    tuned = persona.side("tuned")
    for prompt in prompts[:3]:
        streamed = "".join(tuned.stream(prompt, Sampling(**GREEDY))).strip()
        assert streamed == tuned.generate([prompt], Sampling(**GREEDY))[0]


def test_a_stream_stops_at_the_end_of_the_turn(persona, prompts):
    """The backend yields ids up to, never including, the end-of-turn token."""
    stop = persona.renderer.stop_token_id
    ids = [i for piece in persona.backend.stream(prompts[0], Sampling(max_new_tokens=40, temperature=0)) for i in piece]
    full = persona.backend.generate([prompts[0]], Sampling(max_new_tokens=40, temperature=0, batch_size=1))[0]
    assert stop not in ids and ids == full


def test_min_new_tokens_holds_back_the_end_of_turn(persona, prompts):
    sampling = Sampling(max_new_tokens=30, min_new_tokens=30, temperature=0, repetition_penalty=1.0)
    assert [len(ids) for ids in persona.backend.generate(prompts[:2], sampling)] == [30, 30]


def test_closing_a_stream_stops_the_decoding(persona, prompts):
    """A reader that leaves after the first piece ends the generation at the next step, not at max_new_tokens."""
    steps = []  # one call of the output layer per decoding step
    hook = persona.backend.model.get_output_embeddings().register_forward_hook(lambda *args: steps.append(1))
    try:
        stream = persona.backend.stream(prompts[0], Sampling(max_new_tokens=200, min_new_tokens=200, temperature=0))
        next(stream)
        stream.close()  # returns once the decoding thread has ended
        after_close = len(steps)
        time.sleep(0.5)  # a thread left running would go on adding steps meanwhile
    finally:
        hook.remove()
    assert after_close < 10 and len(steps) == after_close


def test_the_base_side_is_the_model_training_started_from(persona, prompts, trained_run, tiny_model_dir):
    from simulacra.engine.torch_backend import TorchBackend
    from simulacra.models.load import load_base_model

    base = persona.side("base").generate(prompts, Sampling(**GREEDY))
    tuned = persona.side("tuned").generate(prompts, Sampling(**GREEDY))
    fresh = TorchBackend(load_base_model(str(tiny_model_dir), len(persona.tokenizer)).eval(), persona.renderer.stop_token_id)
    assert base == [persona.decode(ids) for ids in fresh.generate(prompts, Sampling(**GREEDY))]
    assert base != tuned  # the adapter was switched off for the base side only, and back on after
    assert persona.side("tuned").generate(prompts, Sampling(**GREEDY)) == tuned


def test_scores_after_a_shared_prompt_match_masked_nll(persona, prompts):
    tuned = persona.side("tuned")
    bodies = [persona.tokenizer.encode("omg lol" + persona.renderer.end), persona.tokenizer.encode("hi")]
    shared = tuned.score_groups([(prompts[0], bodies, [0, 0])])[0]
    rows = [{"input_ids": prompts[0] + b, "mask": [0] * len(prompts[0]) + [1] * len(b)} for b in bodies]
    full = [-float(nll[trained].sum()) / int(trained.sum()) for _, nll, trained in sorted(tuned.nll(rows), key=lambda r: r[0])]
    assert shared == pytest.approx(full, abs=1e-4)


def test_hidden_states_are_one_row_per_prompt(persona, prompts):
    states = persona.side("tuned").hidden_states(prompts[:3], layer=-1)
    assert tuple(states.shape) == (3, persona.backend.model.config.hidden_size)


def test_a_persona_loaded_without_its_tuned_weights_has_only_a_base_side(trained_run):
    persona = Persona(trained_run, tuned=False)
    with pytest.raises(ValueError, match="without its tuned weights"):
        persona.side("tuned")
    assert persona.side("base").generate([persona.prompt(None, [], "Ana")], Sampling(**GREEDY))


def test_the_repetition_penalty_spares_the_prompt(persona, prompts):
    """A reply may reuse the history's words (and its end-of-turn token): only the reply's own tokens are penalised,
    so the first token is the unpenalised one even when the prompt holds it."""
    backend = persona.backend
    plain = backend.generate(prompts, Sampling(max_new_tokens=1, temperature=0, repetition_penalty=1.0, batch_size=1))
    harsh = backend.generate(prompts, Sampling(max_new_tokens=1, temperature=0, repetition_penalty=50.0, batch_size=1))
    seen = [p for p, first in zip(prompts, plain) if first and first[0] in p]
    assert seen, "no prompt whose greedy first token is already in it"
    assert harsh == plain


def test_the_repetition_penalty_acts_on_the_reply():
    """Without a prompt width the penalty is transformers' own (whole context); with one, a processor skips the prompt."""
    from transformers import RepetitionPenaltyLogitsProcessor

    s = Sampling(repetition_penalty=1.3)
    assert s.generate_kwargs()["repetition_penalty"] == 1.3 and "logits_processor" not in s.generate_kwargs()
    kwargs = s.generate_kwargs(prompt_len=7)
    (proc,) = kwargs["logits_processor"]
    assert kwargs["repetition_penalty"] is None and isinstance(proc, RepetitionPenaltyLogitsProcessor)
    assert proc.penalty == 1.3 and proc.prompt_ignore_length == 7
    assert "logits_processor" not in Sampling(repetition_penalty=1.0).generate_kwargs(prompt_len=7)
