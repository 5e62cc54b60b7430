"""The CTranslate2 backend: the merged weights converted once into a fast CPU/CUDA decoder for `generate` and `stream`.

Scoring and hidden states fall back to the torch backend (CTranslate2 exposes neither the masked
log-likelihood with a shared prompt cache nor intermediate layers), loaded only when first needed.
The conversion is cached in the run folder (model/converted/ctranslate2-<hash>/), keyed by a hash of
model/weights/ (or of the base model's name and vocabulary size for the base side), and stored in
float32; `compute_type` (int8, float32, ...) quantises at load time, so one conversion serves both.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from simulacra.engine.sampling import Sampling
from simulacra.io import atomic_dir

Ids = list[int]


def available() -> bool:
    """Whether the optional `fast` extra (ctranslate2) is installed."""
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


class CTranslate2Backend:
    """`generate`/`stream` on CTranslate2 generators (tuned and base); everything else on a lazy torch backend."""

    name = "ctranslate2"

    def __init__(self, tuned_dir: Path, base_dir: Callable[[], Path] | None, stop_id: int,
                 torch_backend: Callable[[], object], compute_type: str = "int8"):
        self.stop_id, self.compute_type = stop_id, compute_type
        self._torch_factory, self._torch = torch_backend, None
        self._base_dir, self._base = base_dir, None
        self._tuned = _Decoder(tuned_dir, compute_type)
        self._active = self._tuned
        self._in_base = False

    # --- sides ----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def base(self) -> Iterator[None]:
        """Decode with the base model's own converted copy; scoring in this context uses torch's base switch."""
        if self._base is None:
            if self._base_dir is None:
                raise RuntimeError("this backend holds no base model")
            self._base = _Decoder(self._base_dir(), self.compute_type)
        self._active, self._in_base = self._base, True
        try:
            yield
        finally:
            self._active, self._in_base = self._tuned, False

    @property
    def torch(self):
        if self._torch is None:
            self._torch = self._torch_factory()
        return self._torch

    @contextlib.contextmanager
    def _torch_side(self):
        if self._in_base:
            with self.torch.base():
                yield self.torch
        else:
            yield self.torch

    # --- generation -----------------------------------------------------------------------------
    def generate(self, prompts: list[Ids], sampling: Sampling, on_batch: Callable[[int], None] | None = None) -> list[Ids]:
        """The new ids of one reply per prompt, cut at the stop token; batch b seeded with seed + b (as torch)."""
        import ctranslate2

        out: list[Ids] = [[] for _ in prompts]
        for b, chunk in enumerate(_batches(prompts, sampling.batch_size, one_length=not sampling.greedy)):
            if sampling.seed is not None:
                ctranslate2.set_random_seed(sampling.seed + b)
            results = self._active.generator.generate_batch(
                [self._active.tokens(prompts[i]) for i in chunk], include_prompt_in_result=False,
                **self._kwargs(sampling))
            for i, result in zip(chunk, results):
                out[i] = self._cut(result.sequences_ids[0])
            if on_batch:
                on_batch(len(chunk))
        return out

    def stream(self, prompt: Ids, sampling: Sampling) -> Iterator[Ids]:
        """Yield the reply's new ids one step at a time; stops at the stop token."""
        import ctranslate2

        if sampling.seed is not None:
            ctranslate2.set_random_seed(sampling.seed)
        for step in self._active.generator.generate_tokens(self._active.tokens(prompt), **self._kwargs(sampling)):
            if step.token_id == self.stop_id:
                break
            yield [step.token_id]

    def _kwargs(self, sampling: Sampling) -> dict:
        greedy = sampling.greedy
        return {"max_length": sampling.max_new_tokens, "min_length": sampling.min_new_tokens, "end_token": [self.stop_id],
                "repetition_penalty": sampling.repetition_penalty,
                "sampling_topk": 1 if greedy else sampling.top_k, "sampling_topp": 1.0 if greedy else sampling.top_p,
                "sampling_temperature": 1.0 if greedy else sampling.temperature}

    def _cut(self, new: Ids) -> Ids:
        return new[:new.index(self.stop_id)] if self.stop_id in new else new

    # --- scoring (torch) ------------------------------------------------------------------------
    def nll(self, rows: list[dict], batch_size: int = 8):
        with self._torch_side() as backend:
            yield from backend.nll(rows, batch_size)

    def score_groups(self, groups, batch_size: int = 8) -> list[list[float]]:
        with self._torch_side() as backend:
            return backend.score_groups(groups, batch_size)

    def score_trees(self, trees, on_tree=None) -> list:
        with self._torch_side() as backend:
            return backend.score_trees(trees, on_tree)

    def hidden_states(self, prompts: list[Ids], layer: int, batch_size: int = 8):
        with self._torch_side() as backend:
            return backend.hidden_states(prompts, layer, batch_size)


def _batches(prompts: list[Ids], size: int, one_length: bool) -> Iterator[list[int]]:
    """Indices of prompts in batches of at most `size`, longest first; with `one_length`, a batch's prompts
    all have the same length.

    CTranslate2 runs a batch's longer prompts past the shortest one as forced decoding steps. Greedy
    decoding stays exact (tests/engine), but sampled replies come out longer and loopier than torch's from
    the same model: on the demo run (32 held-out moments, float32, the default sampling) mixed-length
    batches of 32 looped on 9.4 % of replies (torch 0 %), 17.6 words on average (torch 10.3); batches of
    one length gave 0 % and 10.6 words. So sampling batches by length, greedy decoding does not need to.
    """
    order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
    batch: list[int] = []
    for i in order:
        if batch and (len(batch) == size or (one_length and len(prompts[i]) != len(prompts[batch[0]]))):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def decode_threads() -> int:
    """CTranslate2's threads per batch: 1 on a machine of two cores or fewer, else its own default (0).

    On the 2-core reference machine, SmolLM2-135M in int8 after a 300-token history, 128 tokens each: one
    stream decodes at 50 tokens/s with one thread and 46 with two, a batch of 8 at 65 against 62 (and the
    same with one prompt repeated, 70 against 71): the second core buys nothing at this size.
    """
    return 1 if (os.cpu_count() or 1) <= 2 else 0


@contextlib.contextmanager
def _torch_threads_kept() -> Iterator[None]:
    """Give torch back its thread count after CTranslate2 set its own.

    Both use the process's OpenMP runtime: a Generator made with one thread left torch on one thread too,
    and everything torch did next in the process (scoring in evaluate, the base side of chat --compare)
    ran at half speed (transformers decoded 16 tokens/s instead of 27). CTranslate2's own worker threads
    keep their setting.
    """
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch else None
    try:
        yield
    finally:
        if torch and torch.get_num_threads() != threads:
            torch.set_num_threads(threads)


class _Decoder:
    """One converted model: its generator and the id -> token string table its inputs need."""

    def __init__(self, folder: Path, compute_type: str):
        import ctranslate2

        with _torch_threads_kept():
            self.generator = ctranslate2.Generator(str(folder), device="cpu", compute_type=compute_type,
                                                   intra_threads=decode_threads())
        vocab_file = folder / "vocabulary.json"
        self.vocab = json.loads(vocab_file.read_text(encoding="utf-8"))

    def tokens(self, ids: Ids) -> list[str]:
        return [self.vocab[i] for i in ids]


def folder_hash(folder: Path, extra: str = "") -> str:
    """sha256 over a folder's file names and contents (plus `extra`): the cache key of a conversion."""
    h = hashlib.sha256(extra.encode())
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def convert(model, tokenizer, stop_token: str, out: Path) -> Path:
    """Save `model` (merged, plain transformers) and the chat tokenizer to a temp folder and convert it into `out`."""
    from ctranslate2.converters import TransformersConverter
    from transformers import PreTrainedTokenizerFast

    with tempfile.TemporaryDirectory() as tmp, atomic_dir(out) as target:
        model.save_pretrained(tmp)
        fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer.tokenizer, eos_token=stop_token,
                                       pad_token=stop_token, bos_token=stop_token, unk_token=stop_token)
        fast.save_pretrained(tmp)
        TransformersConverter(tmp).convert(str(target), quantization="float32", force=True)
        _fix_config(target / "config.json", stop_token)
    return out


def _fix_config(path: Path, stop_token: str) -> None:
    # The converter writes "bos_token": null / "unk_token": "" for tokenizers without them, and the Generator
    # then refuses to load ("type must be string, but is null"); the end-of-turn token stands in for both.
    if not path.is_file():
        return
    config = json.loads(path.read_text(encoding="utf-8"))
    for key in ("bos_token", "unk_token", "eos_token"):
        if not config.get(key):
            config[key] = stop_token
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
