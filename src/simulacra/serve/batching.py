"""The batching worker: one thread owns the models, gathers waiting requests for a few milliseconds and
decodes them together, so concurrent chats share forward passes.

Requests are grouped by model and settings: greedy ones all together (a greedy row's tokens do not
depend on its neighbours, so a reply equals the same request sent alone); unseeded sampling by equal
settings; seeded sampling alone, so a seed reproduces the same reply. Each row stops on its own (stop
token, its own `max_tokens`, a stop string, or a client that went away) while the others go on.
The queue is bounded: `submit` refuses work beyond `max_queue` rows instead of letting waits grow.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from simulacra.engine.sampling import Sampling

_ids = itertools.count()


@dataclass
class Job:
    """One request: `n` rows of the same prompt. `on_token(choice, id)` and `on_done(choice, reason)` are
    called from the worker thread; `cancelled` is set by the request's side when a row needs no more tokens."""

    backend: object
    prompt: list[int]
    sampling: Sampling
    on_token: Callable[[int, int], None]
    on_done: Callable[[int, str], None]
    n: int = 1
    steering: list = field(default_factory=list)  # (SteeringVector, strength) pairs added while decoding
    cancelled: list[bool] = field(default_factory=list)
    id: int = field(default_factory=lambda: next(_ids))

    def __post_init__(self):
        self.cancelled = [False] * self.n

    def key(self) -> tuple:
        """Jobs with equal keys may share a batch."""
        s = self.sampling
        # The steering hook acts on the whole batch, so only jobs steered alike share one.
        model = (id(self.backend), tuple((v.name, v.layer, strength) for v, strength in self.steering))
        if s.greedy:
            return (*model, "greedy", s.repetition_penalty)
        if s.seed is not None:
            return (*model, "seeded", self.id)
        return (*model, "sampled", s.temperature, s.top_p, s.top_k, s.repetition_penalty)


class BatchWorker:
    """A daemon thread decoding batches; `submit` returns False when the queue is full (answer 429)."""

    def __init__(self, max_batch: int = 32, max_queue: int = 64, wait_s: float = 0.005):
        self.max_batch, self.max_queue, self.wait_s = max_batch, max_queue, wait_s
        self._pending: deque[Job] = deque()
        self._cond = threading.Condition()
        self._rows = 0  # rows waiting or running
        self._stopped = False
        self.batches: list[int] = []  # rows per batch run (for tests and the benchmark)
        self._thread = threading.Thread(target=self._loop, name="simulacra-batcher", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> bool:
        with self._cond:
            if self._stopped or self._rows + job.n > self.max_queue:
                return False
            self._pending.append(job)
            self._rows += job.n
            self._cond.notify()
            return True

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        self._thread.join(timeout=10)

    def _take(self) -> list[Job] | None:
        with self._cond:
            while not self._pending and not self._stopped:
                self._cond.wait()
            if self._stopped:
                return None
        time.sleep(self.wait_s)  # let the other requests of this moment arrive
        with self._cond:
            key, rows, chosen, rest = self._pending[0].key(), 0, [], deque()
            while self._pending:
                job = self._pending.popleft()
                if job.key() == key and rows + job.n <= self.max_batch or not chosen:
                    chosen.append(job)
                    rows += job.n
                else:
                    rest.append(job)
            self._pending = rest
            return chosen

    def _loop(self) -> None:
        while (jobs := self._take()) is not None:
            self.batches.append(sum(j.n for j in jobs))
            try:
                run_jobs(jobs)
            except BaseException as e:  # noqa: BLE001 - a failed batch answers its requests, the worker lives on
                for job in jobs:
                    for c in range(job.n):
                        job.on_done(c, f"error: {e}")
            finally:
                with self._cond:
                    self._rows -= sum(j.n for j in jobs)


def run_jobs(jobs: list[Job]) -> None:
    """Decode the rows of jobs that share a key as one batch, routing each step's tokens to their rows."""
    rows = [(job, c) for job in jobs for c in range(job.n)]
    limits = [job.sampling.max_new_tokens for job, _ in rows]
    counts, done = [0] * len(rows), [False] * len(rows)
    backend = jobs[0].backend
    stop_id = backend.stop_id

    def finish(r: int, reason: str) -> None:
        if not done[r]:
            done[r] = True
            job, c = rows[r]
            job.on_done(c, reason)

    def on_step(tokens: list[int]) -> None:
        for r, token in enumerate(tokens):
            job, c = rows[r]
            if done[r]:
                continue
            if job.cancelled[c]:
                finish(r, "stop")
            elif token == stop_id:
                finish(r, "stop")
            else:
                counts[r] += 1
                job.on_token(c, token)
                if counts[r] >= limits[r]:
                    finish(r, "length")

    def finished(r: int) -> bool:
        return done[r] or rows[r][0].cancelled[rows[r][1]]

    sampling = jobs[0].sampling
    batch = Sampling(**{**sampling.__dict__, "max_new_tokens": max(limits), "batch_size": len(rows)})
    runner = getattr(backend, "stream_batch", None) or (lambda *a: torch_stream_batch(backend, *a))
    with _steered(backend, jobs[0].steering):
        runner([job.prompt for job, _ in rows], batch, on_step, finished)
    for r in range(len(rows)):  # rows the decoder ended: cancelled ones stopped, the rest ran out of steps
        finish(r, "stop" if finished(r) else "length")


def _steered(backend, steering: list):
    """The forward hook chat and converse steer with (engine.steering), on this batch's model."""
    import contextlib

    if not steering:
        return contextlib.nullcontext()
    from simulacra.engine.steering import steered

    return steered(backend.model, steering)


def torch_stream_batch(backend, prompts: list[list[int]], sampling: Sampling,
                       on_step: Callable[[list[int]], None], finished: Callable[[int], bool]) -> None:
    """transformers' generate on a left-padded batch: `on_step` gets each step's token per row, and rows
    for which `finished(row)` is true stop (padded) while the others go on."""
    import torch
    from transformers import StoppingCriteria, StoppingCriteriaList

    class Rows(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            return torch.tensor([finished(r) for r in range(len(prompts))], device=input_ids.device)

    class Steps:
        first = True

        def put(self, value) -> None:
            if self.first:  # the prompt comes first
                self.first = False
                return
            on_step(value.reshape(-1).tolist())

        def end(self) -> None:
            pass

    ids, attention = backend._left_padded(prompts)
    if sampling.seed is not None and not sampling.greedy:
        torch.manual_seed(sampling.seed)
    backend.model.eval()
    with torch.no_grad():
        backend.model.generate(input_ids=ids, attention_mask=attention, streamer=Steps(),
                               stopping_criteria=StoppingCriteriaList([Rows()]), eos_token_id=backend.stop_id,
                               pad_token_id=backend.stop_id, **sampling.generate_kwargs(ids.shape[1]))
