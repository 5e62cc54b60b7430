"""The batching worker with a fake backend (any object with `stop_id` and `stream_batch` plugs in)."""

from __future__ import annotations

import threading

from simulacra.engine.sampling import Sampling
from simulacra.serve.batching import BatchWorker, Job, run_jobs


class Counting:
    """Emits token 10 + row, step after step, until every row is finished or 50 steps; row 2 says stop at step 3."""

    stop_id = 0

    def __init__(self):
        self.calls: list[int] = []

    def stream_batch(self, prompts, sampling, on_step, finished):
        self.calls.append(len(prompts))
        for step in range(min(50, sampling.max_new_tokens)):
            if all(finished(r) for r in range(len(prompts))):
                return
            on_step([self.stop_id if (r == 2 and step == 3) else 10 + r for r in range(len(prompts))])


def collect(backend, sampling, n=1, cancel_after=None):
    tokens, reasons = {}, {}

    def on_token(c, t):
        tokens.setdefault(c, []).append(t)
        if cancel_after is not None and len(tokens[c]) >= cancel_after:
            job.cancelled[c] = True

    job = Job(backend, [1, 2, 3], sampling, on_token, lambda c, r: reasons.__setitem__(c, r), n=n)
    return job, tokens, reasons


def test_rows_stop_on_their_own_limit_stop_token_or_cancel():
    backend = Counting()
    a = collect(backend, Sampling(temperature=0, max_new_tokens=2))
    b = collect(backend, Sampling(temperature=0, max_new_tokens=6), n=2, cancel_after=4)
    run_jobs([a[0], b[0]])
    assert backend.calls == [3]
    assert a[1] == {0: [10, 10]} and a[2] == {0: "length"}
    assert b[1] == {0: [11, 11, 11, 11], 1: [12, 12, 12]}  # row 2 met the stop token at step 3
    assert b[2] == {0: "stop", 1: "stop"}


def test_greedy_jobs_share_a_batch_and_seeded_sampling_runs_alone():
    backend = Counting()
    greedy = [collect(backend, Sampling(temperature=0, seed=s, max_new_tokens=1))[0] for s in range(3)]
    seeded = [collect(backend, Sampling(temperature=0.7, seed=5, max_new_tokens=1))[0] for _ in range(2)]
    assert len({j.key() for j in greedy}) == 1 and len({j.key() for j in seeded}) == 2
    unseeded = [collect(backend, Sampling(temperature=0.7, seed=None, max_new_tokens=1))[0] for _ in range(2)]
    assert unseeded[0].key() == unseeded[1].key() != greedy[0].key()


def test_worker_refuses_beyond_the_queue_and_batches_what_waits():
    backend, gate = Counting(), threading.Event()
    worker = BatchWorker(max_batch=8, max_queue=3, wait_s=0.0)
    real = worker._take
    worker._take = lambda: (gate.wait(), real())[1]
    done = threading.Semaphore(0)
    jobs = [Job(backend, [1], Sampling(temperature=0, max_new_tokens=1), lambda c, t: None,
                lambda c, r: done.release()) for _ in range(4)]
    assert [worker.submit(j) for j in jobs] == [True, True, True, False]
    gate.set()
    for _ in range(3):
        assert done.acquire(timeout=10)
    assert worker.batches == [3]
    worker.stop()
    assert worker.stopped and not worker.submit(jobs[3])
