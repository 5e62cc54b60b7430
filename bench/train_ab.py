"""What one training speed-up buys: Simulacra's trainer with it and without, steps interleaved in one process.

    python bench/train_ab.py                      # the fused LM head + loss, on vs off (same model)
    python bench/train_ab.py --toggle fast-paths  # every fast path (fast_paths=true vs false, two models)
    python bench/train_ab.py --rounds 5           # more passes over the 4 batches

Same sample, examples and LoRA as `bench/train.py`. Each round runs the 4 batches of 8 examples, and
for each batch one optimizer step of each variant back to back, so a noisy machine slows both alike;
one untimed warm-up step each comes first. The last line reads `speedup with X: R.RRR`.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train as bench  # noqa: E402  (bench/train.py: sample, trainers, FLOP count)


def variants(toggle: str, rows, run_dir: Path) -> dict:
    """name -> (trainer, batch function, switch-on callable); the baseline comes first."""
    if toggle == "fuse-head":
        trainer, batch, _ = bench.setup_simulacra(rows, 8, 2e-4, run_dir)
        return {"unfused": (trainer, batch, lambda: setattr(trainer, "fuse_head", False)),
                "fused": (trainer, batch, lambda: setattr(trainer, "fuse_head", True))}
    slow, slow_batch, _ = bench.setup_simulacra(rows, 8, 2e-4, run_dir, fast_paths=False)
    fast, fast_batch, _ = bench.setup_simulacra(rows, 8, 2e-4, run_dir, fast_paths=True)
    return {"stock": (slow, slow_batch, lambda: None), "fast paths": (fast, fast_batch, lambda: None)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toggle", choices=["fuse-head", "fast-paths"], default="fuse-head")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    from simulacra.train.fast import keep_freed_memory

    with tempfile.TemporaryDirectory(prefix="simulacra-bench-ab-") as tmp:
        run_dir = Path(tmp)
        examples = bench.prepare_sample(run_dir)
        random.Random(0).shuffle(examples)
        rows = [{"input_ids": e.input_ids, "mask": e.mask} for e in examples[:32]]
        keep_freed_memory()
        runs = variants(args.toggle, rows, run_dir)
        for trainer, _, _ in runs.values():
            trainer.create_optimizer_and_scheduler(num_training_steps=4 * args.rounds + 2)
            trainer.model.train()
        seconds = {name: 0.0 for name in runs}
        for k in [None] + list(range(4)) * args.rounds:
            for name, (trainer, batch, switch) in runs.items():
                switch()
                b, sup, _, _ = batch(k or 0)
                took = bench.timed_step(trainer, b, sup)
                seconds[name] += 0.0 if k is None else took  # the first pass is the warm-up
    base, new = runs
    for name, s in seconds.items():
        print(f"{name}: {s:.1f} s for {4 * args.rounds} steps")
    print(f"speedup with {new}: {seconds[base] / seconds[new]:.3f}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(bench.ROOT / "src"))
    sys.exit(main())
