"""Serving throughput: N concurrent streaming clients (1, 8, 32) against a live `simulacra serve`.

    python bench/serve.py                      # runs/demo if it exists, else a small random model trained 1 step
    python bench/serve.py --run runs/ana --tokens 32 --rounds 2

The server runs in its own process (`simulacra serve RUN --port P`), the clients in this one (asyncio +
httpx); each client sends `--rounds` greedy streaming requests one after another. Throughput is
completion tokens per second over the whole level; first-token latency is measured per request.
Last line, exactly:
    serve throughput at 32 clients vs 1: R.RR (p95 first token N ms, errors E)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]


def small_run(folder: Path) -> Path:
    """A run on a random 4-layer, hidden-256 Llama (slow enough per step that batching shows), trained 1 step."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    sys.path.insert(0, str(ROOT))
    from simulacra.prepare import PrepareConfig, run as prepare
    from simulacra.schema import write_conversations
    from simulacra.train import TrainConfig, run as train
    from tests.conftest import build_tiny_tokenizer, two_friend_sessions

    model_dir, run_dir = folder / "model", folder / "bench-run"
    model_dir.mkdir()
    tok = build_tiny_tokenizer()
    tok.save(str(model_dir / "tokenizer.json"))
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=tok.get_vocab_size(), hidden_size=256, intermediate_size=768, num_hidden_layers=4,
                         num_attention_heads=8, num_key_value_heads=4, max_position_embeddings=1024,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2, tie_word_embeddings=True)
    LlamaForCausalLM(config).save_pretrained(model_dir)
    run_dir.mkdir()
    write_conversations(run_dir / "conversations.jsonl", [two_friend_sessions(20, datetime(2024, 1, 1, 9))])
    prepare(PrepareConfig(run_dir=run_dir, speakers=["Ana"], model=str(model_dir)))
    train(TrainConfig(run_dir=run_dir, max_steps=1, batch_size=4, save_steps=100))
    return run_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(run_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "simulacra.cli", "serve", str(run_dir), "--port", str(port),
                             "--set", "max_queue=128", "--set", "batch_wait_ms=10"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("server did not start in 300 s")


async def one_chat(client: httpx.AsyncClient, model: str, i: int, tokens: int) -> tuple[int, float]:
    """(completion tokens, seconds to the first text) of one streamed greedy request."""
    body = {"model": model, "stream": True, "temperature": 0, "seed": i, "max_tokens": tokens,
            "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": f"Shall we meet at noon on Saturday? ({i})"}]}
    start, first, used = time.perf_counter(), None, 0
    async with client.stream("POST", "/v1/chat/completions", json=body) as r:
        r.raise_for_status()
        async for line in r.aiter_lines():
            if not line.startswith("data: {"):
                continue
            data = orjson.loads(line[6:])
            if first is None and data["choices"] and data["choices"][0]["delta"].get("content"):
                first = time.perf_counter() - start
            if data.get("usage"):
                used = data["usage"]["completion_tokens"]
    return used, first if first is not None else time.perf_counter() - start


async def level(url: str, model: str, clients: int, rounds: int, tokens: int) -> dict:
    errors, firsts, total = 0, [], 0

    async def client_loop(c: int, client: httpx.AsyncClient) -> None:
        nonlocal errors, total
        for r in range(rounds):
            try:
                used, first = await one_chat(client, model, c * rounds + r, tokens)
                total += used
                firsts.append(first)
            except (httpx.HTTPError, ValueError):
                errors += 1

    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(c, client) for c in range(clients)))
        seconds = time.perf_counter() - start
    firsts.sort()
    p95 = firsts[min(len(firsts) - 1, int(0.95 * len(firsts)))] if firsts else 0.0
    return {"clients": clients, "tok_s": total / seconds, "tokens": total, "seconds": seconds,
            "p95_first_ms": p95 * 1000, "errors": errors}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", type=Path, default=ROOT / "runs" / "demo")
    ap.add_argument("--levels", default="1,8,32")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--tokens", type=int, default=32)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = args.run if (args.run / "model" / "weights").is_dir() else small_run(Path(tmp))
        port = free_port()
        server = start_server(run_dir, port)
        try:
            url = f"http://127.0.0.1:{port}"
            model = httpx.get(url + "/v1/models").json()["data"][0]["id"]
            print(f"run {run_dir.name}: model {model}, {args.rounds} rounds of {args.tokens} tokens per client")
            asyncio.run(level(url, model, 1, 1, 4))  # warm-up
            results = {}
            for n in (int(x) for x in args.levels.split(",")):
                results[n] = res = asyncio.run(level(url, model, n, args.rounds, args.tokens))
                print(f"{n:3d} clients: {res['tok_s']:7.1f} tok/s ({res['tokens']} tokens in {res['seconds']:.1f} s), "
                      f"p95 first token {res['p95_first_ms']:.0f} ms, errors {res['errors']}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    hi, lo = results[max(results)], results[min(results)]
    errors = sum(r["errors"] for r in results.values())
    print(f"serve throughput at {hi['clients']} clients vs {lo['clients']}: {hi['tok_s'] / lo['tok_s']:.2f} "
          f"(p95 first token {hi['p95_first_ms']:.0f} ms, errors {errors})")


if __name__ == "__main__":
    main()
