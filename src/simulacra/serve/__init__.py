"""Serve stage: personas behind an OpenAI-compatible HTTP API and a web chat page, safe by default.

    simulacra serve runs/ana runs/friends     # 127.0.0.1:8000; a public --host needs --api-key
"""

from __future__ import annotations

import ipaddress

from simulacra.errors import SimulacraError
from simulacra.serve.config import ServeConfig

__all__ = ["ServeConfig", "run", "make_server", "check_safety"]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def check_safety(config: ServeConfig) -> None:
    """A server reachable from other machines must ask for a key."""
    if not is_loopback(config.host) and not config.api_key:
        raise SimulacraError(f"--host {config.host}: listening beyond this machine needs an API key "
                             "(--api-key KEY or SIMULACRA_API_KEY)")
    if "*" in config.cors_origins and not config.api_key:
        raise SimulacraError("--cors-origin '*': any web page could use this server; set --api-key as well")
    if config.engine not in ("torch", "vllm"):
        raise SimulacraError(f"--engine {config.engine!r}: expected torch or vllm")


def make_server(config: ServeConfig, served=None):
    """A uvicorn server for these settings (models loaded unless `served` is given); `server.run()` blocks."""
    import uvicorn

    from simulacra.serve.api import build_app
    from simulacra.serve.batching import BatchWorker
    from simulacra.serve.personas import load_all

    check_safety(config)
    served = served if served is not None else load_all(config.runs)
    worker = BatchWorker(config.max_batch, config.max_queue, config.batch_wait_ms / 1000)
    app = build_app(served, worker, config.api_key, config.cors_origins, config.log_chats, config.max_body_bytes)
    # limit_concurrency answers 503 beyond it instead of accepting without bound; h11 (not httptools)
    # enforces the cap on header size.
    uv = uvicorn.Config(app, host=config.host, port=config.port, log_level="warning", access_log=False, http="h11",
                        limit_concurrency=config.max_queue * 4, timeout_keep_alive=5,
                        h11_max_incomplete_event_size=16 * 1024)
    return uvicorn.Server(uv)


def run(config: ServeConfig) -> None:
    """Load the runs, say what is served and whether chats are logged, then serve until Ctrl-C."""
    from simulacra.serve.personas import load_all
    from simulacra.ui import console, status

    check_safety(config)
    if config.engine == "vllm":
        return run_vllm(config)
    with status(f"Loading {len(config.runs)} run(s)"):
        served = load_all(config.runs)
    server = make_server(config, served)
    url = f"http://{config.host}:{config.port}"
    for s in served.values():
        console.print(f"model [bold]{s.id}[/]: speaks as {s.speaker}, user by default {s.user}")
    console.print(f"chat page {url}/   API {url}/v1   (key required: {'yes' if config.api_key else 'no'})")
    console.print(f"chats are logged to {config.log_chats}" if config.log_chats else
                  "chats are not logged (--log-chats FILE to keep them)")
    server.run()


def run_vllm(config: ServeConfig) -> None:
    """Print the vLLM command lines, then run them when vLLM is installed (until Ctrl-C)."""
    import shutil
    import subprocess

    from simulacra.rundir import RunDir
    from simulacra.serve.vllm import commands, describe
    from simulacra.ui import console

    planned = commands([describe(RunDir(r)) for r in config.runs], config.host, config.port, config.api_key)
    for argv, note in planned:
        console.print(note, highlight=False)
        console.print("  " + " ".join(a if a != config.api_key else "***" for a in argv), highlight=False, markup=False)
    if shutil.which("vllm") is None:
        raise SimulacraError("--engine vllm: vLLM is not installed (pip install vllm, on a machine with a GPU); "
                             "the commands above are what it would run")
    procs = [subprocess.Popen(argv) for argv, _ in planned]
    try:
        for p in procs:
            p.wait()
    finally:
        for p in procs:
            p.terminate()
