"""Bounded load on loopback: 50 concurrent chats share batches, finish without errors, and each reply is
the one its request gets when sent alone (seeded greedy)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.serve.conftest import start

CHATS = 50


def body(model_id: str, i: int, stream: bool) -> dict:
    # Different lengths and words, so each row of a batch is padded differently; nine reply lengths, so
    # replies differ even where the tiny model says the same thing whatever the prompt.
    text = f"Shall we meet at noon on Saturday? ({i})" + " The weather is lovely." * (i % 4)
    return {"model": model_id, "temperature": 0, "seed": 3, "max_tokens": 4 + i % 9, "stream": stream,
            "messages": [{"role": "user", "content": text}]}


def reply(url: str, payload: dict) -> str:
    if not payload["stream"]:
        r = httpx.post(url + "/v1/chat/completions", json=payload, timeout=120)
        r.raise_for_status()
        return r.json()["choices"][0]["message"]["content"]
    import orjson

    text = ""
    with httpx.stream("POST", url + "/v1/chat/completions", json=payload, timeout=120) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if line.startswith("data: {"):
                choice = orjson.loads(line[6:])["choices"][0]
                text += choice["delta"].get("content") or ""
    return text.strip()


def test_fifty_concurrent_chats_equal_their_requests_sent_alone(trained_run, served, model_id):
    live = start(trained_run, served, max_batch=32, max_queue=64, batch_wait_ms=20)
    try:
        payloads = [body(model_id, i, stream=i % 2 == 0) for i in range(CHATS)]
        alone = [reply(live.url, {**p, "stream": False}) for p in payloads]
        live.worker.batches.clear()
        with ThreadPoolExecutor(CHATS) as pool:
            together = list(pool.map(lambda p: reply(live.url, p), payloads))
        assert len(set(alone)) > 5  # varied replies (lengths differ per request), so a mix-up would show
        assert together == alone
        assert max(live.worker.batches) > 1  # requests really shared forward passes
        assert sum(live.worker.batches) == CHATS
    finally:
        live.stop()
