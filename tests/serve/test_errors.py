"""Raw HTTP: OpenAI-shaped errors, the body limit, traversal, oversized headers, slow clients, the queue bound."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from tests.serve.conftest import start

CHAT = "/v1/chat/completions"


def post(live, body, **kw):
    kw.setdefault("timeout", 60)  # a loaded machine is slow; no test here is about time
    return httpx.post(live.url + CHAT, content=body if isinstance(body, bytes) else None,
                      json=None if isinstance(body, bytes) else body, **kw)


def assert_error(r, status, param=None):
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["message"]
    assert err["param"] == param


def test_unknown_model_is_404(live):
    assert_error(post(live, {"model": "nobody", "messages": [{"role": "user", "content": "hi"}]}), 404, "model")


@pytest.mark.parametrize("body, param", [
    (b"{not json", None),
    ({"model": "x", "messages": "hi"}, "messages"),
    ({"model": "x", "messages": []}, "messages"),
    ({"model": "x", "messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}, "temperature"),
    ({"model": "x", "messages": [{"role": "user", "content": "hi"}], "n": 5}, "n"),
    ({"model": "x", "messages": [{"role": "robot", "content": "hi"}]}, "messages.0.role"),
    ({"messages": [{"role": "user", "content": "hi"}]}, "model"),
])
def test_bad_bodies_are_400_naming_the_field(live, body, param):
    assert_error(post(live, body), 400, param)


def test_prompt_longer_than_the_context_is_400(live, model_id):
    long = " ".join(["lovely weather"] * 400)
    assert_error(post(live, {"model": model_id, "messages": [{"role": "user", "content": long}]}), 400, "messages")


def test_body_over_1mb_is_413(live, model_id):
    big = b'{"model": "x", "messages": [{"role": "user", "content": "' + b"a" * 1_100_000 + b'"}]}'
    assert_error(post(live, big), 413)


def test_chunked_body_over_1mb_is_413(live):
    def parts():
        for _ in range(12):
            yield b"a" * 100_000
    assert_error(httpx.post(live.url + CHAT, content=parts()), 413)


@pytest.mark.parametrize("path", ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                                  "/static/../../pyproject.toml", "/page.html", "/v1/../../etc/hosts"])
def test_traversal_never_reads_files(live, path):
    with socket.create_connection(("127.0.0.1", int(live.url.rsplit(":", 1)[1]))) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert b"root:" not in data and b"[project]" not in data and b"localhost" not in data
    assert data.split(b"\r\n")[0].split()[1] in (b"404", b"400", b"200")
    if data.split()[1] == b"200":  # normalised to "/": the page and nothing else
        assert b"<title>Simulacra chat</title>" in data


def test_oversized_headers_are_refused(live):
    r = httpx.get(live.url + "/health", headers={"X-Big": "a" * 70_000})
    assert r.status_code in (400, 413, 431)
    assert httpx.get(live.url + "/health").status_code == 200


def test_a_slow_client_does_not_block_others(live):
    port = int(live.url.rsplit(":", 1)[1])
    slow = socket.create_connection(("127.0.0.1", port))
    slow.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"mo")
    try:
        assert httpx.get(live.url + "/v1/models", timeout=60).status_code == 200
    finally:
        slow.close()


def test_api_key_required_when_set(trained_run, served, model_id):
    live = start(trained_run, served, api_key="s3cret")
    try:
        assert_error(httpx.get(live.url + "/v1/models"), 401)
        assert_error(httpx.get(live.url + "/v1/models", headers={"Authorization": "Bearer wrong"}), 401)
        ok = httpx.get(live.url + "/v1/models", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["data"][0]["id"] == model_id
        assert httpx.get(live.url + "/").status_code == 200  # the page itself; everything it fetches needs the key
    finally:
        live.stop()


def test_public_host_refuses_to_start_without_a_key(trained_run):
    from simulacra.errors import SimulacraError
    from simulacra.serve import ServeConfig, check_safety

    with pytest.raises(SimulacraError, match="--host 0.0.0.0: .*API key"):
        check_safety(ServeConfig(runs=[trained_run], host="0.0.0.0"))
    check_safety(ServeConfig(runs=[trained_run], host="0.0.0.0", api_key="k"))
    check_safety(ServeConfig(runs=[trained_run], host="::1"))


def test_full_queue_answers_429_with_retry_after(trained_run, served, model_id):
    live = start(trained_run, served, max_queue=1, max_batch=1)
    body = {"model": model_id, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 48, "temperature": 0}
    gate = threading.Event()
    original = live.worker._loop.__self__  # the worker: hold it so the first request stays queued
    real_take = original._take
    original._take = lambda: (gate.wait(), real_take())[1]
    try:
        first = threading.Thread(target=lambda: post(live, body))
        first.start()
        deadline = time.monotonic() + 30
        while live.worker._rows < 1 and time.monotonic() < deadline:  # the first request is queued
            time.sleep(0.01)
        r = post(live, body)
        assert_error(r, 429)
        assert r.headers["retry-after"] == "1"
    finally:
        gate.set()
        first.join()
        live.stop()


def test_cors_only_for_named_origins(trained_run, served):
    live = start(trained_run, served, cors_origins=["http://good.example"])
    try:
        pre = {"Access-Control-Request-Method": "POST"}
        good = httpx.options(live.url + CHAT, headers={"Origin": "http://good.example", **pre})
        bad = httpx.options(live.url + CHAT, headers={"Origin": "http://evil.example", **pre})
        assert good.headers["access-control-allow-origin"] == "http://good.example"
        assert "access-control-allow-origin" not in bad.headers
    finally:
        live.stop()


def test_cli_refuses_a_public_host_without_a_key(trained_run, monkeypatch):
    from typer.testing import CliRunner

    from simulacra.cli import app
    from simulacra.errors import SimulacraError

    monkeypatch.delenv("SIMULACRA_API_KEY", raising=False)
    result = CliRunner().invoke(app, ["serve", str(trained_run), "--host", "0.0.0.0"])
    assert isinstance(result.exception, SimulacraError)
    assert "needs an API key" in str(result.exception)
