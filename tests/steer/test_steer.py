"""Steering vectors: built from contrast prompts, saved with their base weights' fingerprint, added while generating."""

from __future__ import annotations

import pytest
import torch

from simulacra.engine import Persona, Sampling
from simulacra.engine.steering import load_vector, read_states, steered
from simulacra.errors import SimulacraError
from simulacra.steer import build

GREEDY = Sampling(max_new_tokens=6, temperature=0, repetition_penalty=1.0)
WEIGHTS = {"omg lol": 0.5, "on my way": 0.5, "The weather is lovely.": -1.0}


@pytest.fixture(scope="module")
def persona(trained_run):
    return Persona(trained_run)


def test_the_vector_is_the_weighted_mean_of_the_layer_states(persona):
    vec = build(persona, "casual", WEIGHTS, layer=-1)
    texts = list(WEIGHTS)
    prompts = [persona.prompt(None, [], "Ana") + persona.tokenizer.encode(t) for t in texts]
    states = read_states(persona.backend.model, prompts, -1, persona.renderer.stop_token_id)
    expected = (0.5 * states[0] + 0.5 * states[1] - states[2]) / 2.0
    assert torch.allclose(vec.vector, expected, atol=1e-6)
    saved = load_vector(persona.run.steering, "casual")
    assert saved.layer == -1 and saved.prompts == WEIGHTS and torch.equal(saved.vector, vec.vector)


def test_steering_shifts_the_layer_output_and_vectors_add_up(persona):
    vec = build(persona, "casual", WEIGHTS, layer=-2)
    model = persona.backend.model
    ids = torch.tensor([persona.prompt(None, [], "Ana")])

    def logits(vectors):
        with torch.no_grad(), steered(model, vectors):
            return model(input_ids=ids).logits

    plain = logits([])
    assert torch.equal(logits([(vec, 0.0)]), plain)
    assert not torch.allclose(logits([(vec, 3.0)]), plain)
    assert torch.allclose(logits([(vec, 1.5), (vec, 1.5)]), logits([(vec, 3.0)]), atol=1e-5)
    assert torch.equal(logits([]), plain)  # the hooks are gone afterwards


def test_chat_style_steering_by_name_changes_replies_and_clears(persona):
    build(persona, "casual", WEIGHTS, layer=-1)
    prompt = [persona.prompt(None, [], "Ana")]
    before = persona.side("tuned").generate(prompt, GREEDY)
    assert persona.steer(["casual:40"]) == ["casual ×40 at layer -1"]
    assert persona.side("tuned").generate(prompt, GREEDY) != before
    persona.steer([])
    assert persona.side("tuned").generate(prompt, GREEDY) == before


def test_a_vector_from_other_base_weights_is_refused(persona):
    build(persona, "casual", WEIGHTS, layer=-1)
    with pytest.raises(SimulacraError, match="other base weights"):
        load_vector(persona.run.steering, "casual", expected_fingerprint="0000000000000000")
    with pytest.raises(SimulacraError, match="no vector"):
        persona.steer(["nonexistent:2"])


def test_both_sides_of_the_contrast_are_needed(persona):
    with pytest.raises(SimulacraError, match="both sides"):
        build(persona, "x", {"omg lol": 1.0}, layer=-1)


def test_the_cli_builds_and_measures(trained_run):
    from typer.testing import CliRunner

    from simulacra.cli import app
    from simulacra.io import read_json

    result = CliRunner().invoke(app, ["steer", str(trained_run), "happy", "--toward", "omg lol", "--away",
                                      "The weather is lovely.", "--layer", "-1", "--measure",
                                      "--strength", "-2", "--strength", "0", "--strength", "2", "--set", "measure_prompts=3",
                                      "--set", "max_new_tokens=4"])
    assert result.exit_code == 0, result.output
    measured = read_json(trained_run / "steering" / "happy.measure.json")
    assert [r["strength"] for r in measured["rows"]] == [-2, 0, 2] and measured["prompts"] == 3
    assert (trained_run / "steering" / "happy.measure.png").stat().st_size > 1000


def test_the_voice_must_be_a_trained_speaker(trained_run):
    from simulacra.steer import SteerConfig, run

    with pytest.raises(SimulacraError, match="--speaker 'Zed': the model was trained on Ana"):
        run(SteerConfig(run_dir=trained_run, name="zed_voice", toward=["omg lol"], away=["The weather is lovely."],
                        speaker="Zed"))
    assert not (trained_run / "steering" / "zed_voice.json").exists()


def test_steer_specs_parse_with_an_optional_layer():
    from simulacra.engine.steering import parse_steer

    assert parse_steer("happy:4") == ("happy", 4.0, None)
    assert parse_steer("happy") == ("happy", 1.0, None)
    assert parse_steer("happy:-2.5@-3") == ("happy", -2.5, -3)
    with pytest.raises(SimulacraError, match="NAME:STRENGTH@LAYER"):
        parse_steer("happy:4@top")
    with pytest.raises(SimulacraError, match="expected NAME:STRENGTH"):
        parse_steer("happy:lots")
