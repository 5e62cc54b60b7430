"""The OpenAI-compatible API with the official client: models, completions streamed and not, settings."""

from __future__ import annotations

import httpx
import pytest

openai = pytest.importorskip("openai")


@pytest.fixture(scope="module")
def client(live):
    return openai.OpenAI(base_url=live.url + "/v1", api_key="unused", max_retries=0)


def ask(client, model_id, text="Shall we meet at noon on Saturday?", **kw):
    return client.chat.completions.create(model=model_id, messages=[{"role": "user", "content": text}],
                                          temperature=0, seed=1, max_tokens=6, **kw)


def test_models_list_the_run_name(client, model_id):
    models = client.models.list()
    assert [m.id for m in models.data] == [model_id]
    assert models.data[0].model_extra["speaker"] == "Ana" and models.data[0].model_extra["user"] == "Ben"


def test_completion_matches_the_engine_reply(client, model_id, served):
    from simulacra.engine import Sampling
    from simulacra.schema import Turn

    out = ask(client, model_id)
    persona = served[model_id].persona
    expected = persona.side("tuned").reply("A chat between Ben and Ana.", [Turn("Ben", "Shall we meet at noon on Saturday?")],
                                           "Ana", Sampling(max_new_tokens=6, temperature=0, seed=1))
    assert out.choices[0].message.content == expected
    assert out.choices[0].message.role == "assistant"
    assert out.choices[0].finish_reason in ("stop", "length")
    assert out.usage.completion_tokens <= 6 and out.usage.prompt_tokens > 5
    assert out.usage.total_tokens == out.usage.prompt_tokens + out.usage.completion_tokens


def test_stream_gives_the_same_text_and_ends_done(client, model_id, live):
    whole = ask(client, model_id).choices[0].message.content
    stream = ask(client, model_id, stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] in ("stop", "length")
    raw = httpx.post(live.url + "/v1/chat/completions", json={
        "model": model_id, "stream": True, "max_tokens": 3, "temperature": 0,
        "messages": [{"role": "user", "content": "hi"}]}).text
    assert raw.rstrip().endswith("data: [DONE]") and raw.startswith("data: {")


def test_n_choices_and_max_tokens(client, model_id):
    out = ask(client, model_id, n=3)
    assert [c.index for c in out.choices] == [0, 1, 2]
    assert len({c.message.content for c in out.choices}) == 1  # greedy: three equal replies
    short = client.chat.completions.create(model=model_id, messages=[{"role": "user", "content": "hi"}],
                                           temperature=0, max_tokens=1)
    assert short.usage.completion_tokens <= 1


def test_stop_string_cuts_the_reply(client, model_id):
    whole = ask(client, model_id, ).choices[0].message.content
    assert len(whole) > 2
    stop = whole[2:4]
    cut = ask(client, model_id, stop=[stop])
    assert cut.choices[0].message.content == whole[:whole.find(stop)].strip()
    assert cut.choices[0].finish_reason == "stop"


def test_seeded_sampling_repeats(client, model_id):
    def sample():
        return client.chat.completions.create(model=model_id, messages=[{"role": "user", "content": "hi"}],
                                              temperature=1.0, top_p=1.0, seed=7, max_tokens=8).choices[0].message.content
    assert sample() == sample()


def test_health_and_page(live, model_id):
    assert httpx.get(live.url + "/health").json() == {"status": "ok", "models": [model_id]}
    page = httpx.get(live.url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>Simulacra chat</title>" in page.text and "http" not in page.text.split("<script>")[0].split("</title>")[1]
    assert "access-control-allow-origin" not in httpx.options(
        live.url + "/v1/models", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}).headers


def test_chats_are_logged_only_when_asked(trained_run, served, model_id, tmp_path):
    import orjson

    from tests.serve.conftest import start

    path = tmp_path / "chats.jsonl"
    live = start(trained_run, served, log_chats=path)
    try:
        client = openai.OpenAI(base_url=live.url + "/v1", api_key="unused", max_retries=0)
        plain = ask(client, model_id).choices[0].message.content
        streamed = "".join(c.choices[0].delta.content or "" for c in ask(client, model_id, stream=True) if c.choices)
    finally:
        live.stop()
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert [(x["model"], x["replies"]) for x in lines] == [(model_id, [plain]), (model_id, [streamed])]
    assert lines[0]["messages"][0]["content"] == "Shall we meet at noon on Saturday?"
