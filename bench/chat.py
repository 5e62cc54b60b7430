"""Chat decode speed: CTranslate2 (float32 and int8) vs transformers on the embedded model, in one command.

    python bench/chat.py                  # bundled sample chat, embedded SmolLM2-135M, ~3 min on 2 idle cores
    python bench/chat.py --new-tokens 32  # quicker

The sample chat is ingested and prepared into a temp run; the prompt is the ~300 tokens of history before
one of Mia Chen's turns, rendered exactly as chat renders it. Both engines decode greedily (no repetition
penalty, so they produce the same tokens) with the base weights and the run's speaker tokens: the decoder's
speed does not depend on a LoRA being merged in. Every reply is held to exactly --new-tokens tokens (128,
as the issue measured; `min_new_tokens`): left free, int8 CTranslate2 ended its greedy reply after 16 tokens
where float32 ran to 128, and the ratio compared a prefill against a decode. Timed: tokens/s of one reply
(best of 2), the first token's latency when streaming, and tokens/s for a batch of 8 different histories.
The last line reads `chat decode speedup vs transformers: R.RR (first token N ms, batch-8 speedup B.BB)`,
R and B being int8 CTranslate2 against transformers.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample_chat" / "result.json"


def histories(persona, run_dir: Path, n: int, target: int = 300) -> list[list[int]]:
    """`n` prompts of about `target` tokens: the history before a Mia Chen turn, rendered as chat does."""
    from simulacra.schema import Turn, read_conversations

    turns = [Turn(m.speaker, m.text) for c in read_conversations(run_dir / "conversations.jsonl")
             for m in c.messages if m.kind == "text" and m.text]
    prompts, end = [], len(turns)
    while len(prompts) < n and end > 2:
        start = end - 1
        while start > 0 and len(persona.prompt(None, turns[start:end], "Mia Chen")) < target:
            start -= 1
        prompts.append(persona.prompt(None, turns[start:end], "Mia Chen"))
        end = start
    return prompts


def speed(backend, prompts, sampling, repeats: int = 2) -> float:
    """Best tokens/s over `repeats` runs of generating one reply per prompt (one batch)."""
    best = 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        out = backend.generate(prompts, sampling)
        best = max(best, sum(len(o) for o in out) / (time.perf_counter() - t))
    return best


def first_token_ms(backend, prompt, sampling) -> float:
    t = time.perf_counter()
    next(iter(backend.stream(prompt, sampling)))
    return (time.perf_counter() - t) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--new-tokens", type=int, default=128)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from simulacra import ingest, prepare
    from simulacra.engine import Persona, Sampling

    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp) / "run"
        ingest.run(ingest.IngestConfig(inputs=[SAMPLE], out=run_dir))
        prepare.run(prepare.PrepareConfig(run_dir=run_dir, speakers=["Mia Chen"]))
        sampling = Sampling(max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, temperature=0,
                            repetition_penalty=1.0, batch_size=8)
        torch_p = Persona(run_dir, tuned=False, engine="torch")
        prompts = histories(torch_p, run_dir, 8)
        print(f"history: {len(prompts[0])} tokens; batch of 8: {min(map(len, prompts))}-{max(map(len, prompts))}")
        fast = {c: Persona(run_dir, tuned=False, engine="ctranslate2", compute_type=c) for c in ("float32", "int8")}
        rows = {"transformers": torch_p.backend} | {f"ctranslate2 {c}": p.backend for c, p in fast.items()}
        results = {}
        for name, backend in rows.items():
            first_token_ms(backend, prompts[0], sampling)  # warm-up
            results[name] = (speed(backend, prompts[:1], sampling), first_token_ms(backend, prompts[0], sampling),
                             speed(backend, prompts, sampling, repeats=1))
            one, first, batch = results[name]
            print(f"{name:20s} {one:6.1f} tok/s   first token {first:5.0f} ms   batch of 8 {batch:6.1f} tok/s")
        same = torch_p.backend.generate(prompts[:1], sampling) == fast["float32"].backend.generate(prompts[:1], sampling)
        print(f"float32 CTranslate2 gives transformers' tokens: {same}")
        base, best = results["transformers"], results["ctranslate2 int8"]
        print(f"chat decode speedup vs transformers: {best[0] / base[0]:.2f} "
              f"(first token {best[1]:.0f} ms, batch-8 speedup {best[2] / base[2]:.2f})")


if __name__ == "__main__":
    main()
