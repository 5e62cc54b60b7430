"""A live server on 127.0.0.1 (a free port, in a thread) serving the tiny trained run."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from tests.evaluate.conftest import trained_run  # noqa: F401 - the shared tiny trained run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Live:
    """A running server: its base URL, its app (for the worker's batch sizes) and a stop()."""

    def __init__(self, config, served=None):
        from simulacra.serve import make_server

        self.server = make_server(config, served)
        self.url = f"http://127.0.0.1:{config.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    @property
    def worker(self):
        return self.server.config.app.state.worker

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.worker.stop()


def start(run_dir, served=None, **settings) -> Live:
    from simulacra.serve import ServeConfig

    return Live(ServeConfig(runs=[run_dir], port=free_port(), **settings), served)


@pytest.fixture(scope="session")
def served(trained_run):
    """The run's models, loaded once for every server of the session."""
    from simulacra.serve.personas import load_all

    return load_all([trained_run])


@pytest.fixture(scope="session")
def live(trained_run, served):
    server = start(trained_run, served)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def model_id(trained_run):
    return trained_run.resolve().name
