"""The torch backend: a transformers model (with or without a LoRA adapter) behind the engine's API.

It is the reference backend: batched generation, token streaming, masked log-likelihood, scoring of
several continuations after a shared prompt, and hidden states (for steering, attribution, analysis).
Faster decoders implement `generate` and `stream` and fall back to this one for the rest.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from typing import Callable, Iterator

from simulacra.engine.sampling import Sampling

Ids = list[int]


class TorchBackend:
    """Runs one loaded model; `base()` is a context in which the same object answers as the base model."""

    name = "torch"

    def __init__(self, model, stop_id: int, load_base: Callable[[], object] | None = None):
        self.model, self.stop_id, self._load_base = model, stop_id, load_base
        self._base = None
        self.steering: list = []  # (SteeringVector, strength) pairs added while generating

    @property
    def device(self):
        return self.model.device

    @contextlib.contextmanager
    def base(self) -> Iterator[None]:
        """Switch to the base weights: LoRA off in place, or (full fine-tunes) a separately loaded base model."""
        if hasattr(self.model, "disable_adapter"):
            with self.model.disable_adapter():
                yield
            return
        if self._load_base is None:
            raise RuntimeError("this backend holds no tuned model to switch off")
        if self._base is None:
            self._base = TorchBackend(self._load_base(), self.stop_id)
        tuned, self.model = self.model, self._base.model
        try:
            yield
        finally:
            self.model = tuned

    # --- generation -----------------------------------------------------------------------------
    def generate(self, prompts: list[Ids], sampling: Sampling, on_batch: Callable[[int], None] | None = None) -> list[Ids]:
        """The new ids of one reply per prompt, cut at the stop token; batches of similar length, left-padded,
        batch b seeded with seed + b so a run is reproducible batch by batch."""
        import torch

        order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
        out: list[Ids] = [[] for _ in prompts]
        self.model.eval()
        for b, start in enumerate(range(0, len(order), sampling.batch_size)):
            chunk = order[start:start + sampling.batch_size]
            ids, attention = self._left_padded([prompts[i] for i in chunk])
            if sampling.seed is not None:
                torch.manual_seed(sampling.seed + b)
            with torch.no_grad(), self._steered():
                result = self.model.generate(input_ids=ids, attention_mask=attention, eos_token_id=self.stop_id,
                                             pad_token_id=self.stop_id, **sampling.generate_kwargs(ids.shape[1]))
            for row, i in enumerate(chunk):
                out[i] = self._cut(result[row, ids.shape[1]:].tolist())
            if on_batch:
                on_batch(len(chunk))
        return out

    def stream(self, prompt: Ids, sampling: Sampling) -> Iterator[Ids]:
        """Yield the reply's new ids as they are decoded (a list per step); stops at the stop token.

        Closing the iterator early (a reader that stops, a client that disconnects) stops the decoding
        thread at its next step: left running, it went on to `max_new_tokens` and slowed whatever came next.
        """
        import torch
        from transformers import StoppingCriteriaList

        ids = torch.tensor([prompt], device=self.device)
        if sampling.seed is not None:
            torch.manual_seed(sampling.seed)
        pieces: queue.Queue = queue.Queue()
        streamer = _QueueStreamer(pieces)
        cancelled = threading.Event()
        failure: list[BaseException] = []

        def work() -> None:
            try:
                with torch.no_grad(), self._steered():
                    self.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), streamer=streamer,
                                        eos_token_id=self.stop_id, pad_token_id=self.stop_id,
                                        stopping_criteria=StoppingCriteriaList([_Cancelled(cancelled)]),
                                        **sampling.generate_kwargs(ids.shape[1]))
            except BaseException as e:  # re-raised in the caller's thread
                failure.append(e)
            finally:
                pieces.put(None)

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        try:
            while (new := pieces.get()) is not None:
                if self.stop_id in new:
                    new = new[:new.index(self.stop_id)]
                    if new:
                        yield new
                    break
                yield new
        finally:
            cancelled.set()
            thread.join()
        if failure:
            raise failure[0]

    # --- scoring --------------------------------------------------------------------------------
    def nll(self, rows: list[dict], batch_size: int = 8):
        """Yield (row index, per-position NLL, trained-position flags) for rows of {"input_ids", "mask"}."""
        from simulacra.engine.scoring import masked_nll

        return masked_nll(self.model, rows, self.stop_id, batch_size)

    def score_groups(self, groups, batch_size: int = 8) -> list[list[float]]:
        """Mean log-probability per token of each continuation after its group's shared prompt."""
        from simulacra.engine.scoring import score_after_prompts

        return score_after_prompts(self.model, self.stop_id, groups, batch_size)

    def score_trees(self, trees, on_tree=None) -> list:
        """Per tree (trunk, spans, rows of pieces; see engine.branches): the spans' and the pieces' mean
        log-probabilities per token, each trunk read once."""
        from simulacra.engine.branches import score_tree

        out = []
        for trunk, spans, rows in trees:
            out.append(score_tree(self.model, trunk, spans, rows))
            if on_tree:
                on_tree(1)
        return out

    def hidden_states(self, prompts: list[Ids], layer: int, batch_size: int = 8):
        """The last token's hidden state after decoder layer `layer` (negative counts from the last), one row per
        prompt, as a float32 tensor (prompts × hidden)."""
        import torch

        rows = []
        self.model.eval()
        for start in range(0, len(prompts), batch_size):
            ids, attention = self._left_padded(prompts[start:start + batch_size])
            with torch.no_grad():
                out = self.model(input_ids=ids, attention_mask=attention, output_hidden_states=True)
            rows.append(out.hidden_states[layer][:, -1].float().cpu())
        return torch.cat(rows) if rows else torch.empty(0)

    # --- helpers --------------------------------------------------------------------------------
    def _steered(self):
        if not self.steering:
            return contextlib.nullcontext()
        from simulacra.engine.steering import steered

        return steered(self.model, self.steering)

    def _left_padded(self, prompts: list[Ids]):
        from simulacra.engine.scoring import pad_left

        ids, attention = pad_left(prompts, self.stop_id)
        return ids.to(self.device), attention.to(self.device)

    def _cut(self, new: Ids) -> Ids:
        return new[:new.index(self.stop_id)] if self.stop_id in new else new


class _Cancelled:
    """A stopping criterion that ends generation once `event` is set (the stream's reader went away)."""

    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs):
        import torch

        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class _QueueStreamer:
    """transformers' streamer protocol: `put` gets the prompt once, then each step's new ids."""

    def __init__(self, pieces: queue.Queue):
        self.pieces, self.prompt_seen = pieces, False

    def put(self, value) -> None:
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        self.pieces.put(value.reshape(-1).tolist())

    def end(self) -> None:
        pass
