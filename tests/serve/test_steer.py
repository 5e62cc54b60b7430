"""The `steer` request field (sent with the openai client's extra_body): the forward hook chat uses, per request."""

from __future__ import annotations

import pytest

openai = pytest.importorskip("openai")

NAME = "served_casual"  # its own name: other test modules build vectors in the same shared run


@pytest.fixture(scope="module")
def client(live, served, model_id):
    from simulacra.steer import build

    build(served[model_id].persona, NAME, {"omg lol": 1.0, "The weather is lovely.": -1.0}, layer=-1)
    return openai.OpenAI(base_url=live.url + "/v1", api_key="unused", max_retries=0)


def ask(client, model_id, steer=None, **kw):
    extra = {"extra_body": {"steer": steer}} if steer is not None else {}
    out = client.chat.completions.create(model=model_id, messages=[{"role": "user", "content": "where are you?"}],
                                         **{"temperature": 1.0, "seed": 3, "max_tokens": 8, **kw}, **extra)
    return out.choices[0].message.content


def test_a_steered_request_differs_from_the_same_seed_unsteered(client, model_id, served):
    from simulacra.engine import Sampling
    from simulacra.schema import Turn

    plain = ask(client, model_id)
    assert ask(client, model_id) == plain  # the seed alone reproduces the reply
    steered = ask(client, model_id, steer=[f"{NAME}:40"])
    assert steered != plain
    assert ask(client, model_id, steer=[f"{NAME}:20", f"{NAME}:20"]) == steered  # vectors add up
    assert ask(client, model_id, steer=[]) == plain
    # the same reply chat would give with --steer: the same vectors through the same hook
    persona = served[model_id].persona
    persona.steer([f"{NAME}:40"])
    try:
        expected = persona.side("tuned").reply("A chat between Ben and Ana.", [Turn("Ben", "where are you?")],
                                               "Ana", Sampling(max_new_tokens=8, temperature=1.0, seed=3))
    finally:
        persona.steer([])
    assert steered == expected
    assert ask(client, model_id) == plain  # the server's own persona is left unsteered


def test_unknown_vector_and_bad_specs_get_a_400(client, model_id):
    with pytest.raises(openai.BadRequestError) as e:
        ask(client, model_id, steer=["nope:2"])
    err = e.value.body
    assert e.value.status_code == 400 and err["param"] == "steer" and err["code"] == "steering_vector_not_found"
    assert err["message"].startswith(f"steer: model {model_id!r} has no steering vector 'nope' (available: ")
    assert NAME in err["message"]
    with pytest.raises(openai.BadRequestError, match="expected NAME:STRENGTH"):
        ask(client, model_id, steer=[f"{NAME}:lots"])
    with pytest.raises(openai.BadRequestError, match="layer -7: the model has 2 decoder layers"):
        ask(client, model_id, steer=[f"{NAME}:2@-7"])
    with pytest.raises(openai.BadRequestError, match="steer"):
        ask(client, model_id, steer="happy")  # a list of strings, as on the command line


def test_steered_and_plain_requests_never_share_a_batch():
    from simulacra.engine.sampling import Sampling
    from simulacra.engine.steering import SteeringVector
    from simulacra.serve.batching import Job

    vec = SteeringVector(NAME, -1, None, "f")
    greedy = Sampling(temperature=0)

    def job(steering):
        return Job("backend", [1], greedy, lambda *a: None, lambda *a: None, steering=steering)

    assert job([]).key() == job([]).key()
    assert job([(vec, 4.0)]).key() == job([(vec, 4.0)]).key()
    assert job([(vec, 4.0)]).key() != job([]).key() != job([(vec, 2.0)]).key()


def test_a_backend_that_cannot_steer_is_refused(served, model_id):
    from simulacra.serve.api import _steering
    from simulacra.serve.protocol import ChatRequest

    model = served[model_id]
    req = ChatRequest.model_validate({"model": model_id, "messages": [{"role": "user", "content": "hi"}],
                                      "steer": [f"{NAME}:4"]})

    class Fast:
        name = "ctranslate2"

    real, model.persona.backend = model.persona.backend, Fast()
    try:
        pairs, problem = _steering(model, req)
    finally:
        model.persona.backend = real
    assert pairs is None and problem.status_code == 400
    assert b"start the server with --engine torch" in problem.body
