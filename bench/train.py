"""Training throughput: a plain TRL SFTTrainer run (default padding) vs Simulacra's trainer, in one command.

    python bench/train.py                 # bundled sample chat, embedded SmolLM2-135M, ~5 min on 2 idle cores
    python bench/train.py --steps 4       # quicker
    python bench/train.py --no-fast-paths # Simulacra with stock SDPA/PEFT: what the fast paths buy

Both train the same LoRA (r=16, all linear layers) on exactly the same examples of the prepared sample
chat (Mia Chen's turns), the same 8 examples at each step, so both see the same supervised tokens.
Steps alternate between the two trainers (TRL step 1, Simulacra step 1, TRL step 2, ...), each
being the trainer's own `training_step` (its loss, extras, backward) plus the optimizer step, so load
from other jobs on a shared machine slows both alike; one untimed warm-up step each comes first. Printed:
supervised tokens/s for each, their ratio, the share of token positions that are padding, and the
share of the machine's fp32 matmul ceiling (GFLOP/s of a 2048x2048 matmul, measured in this run) that
Simulacra's useful FLOPs reach. Useful FLOPs per pass, for LoRA on a frozen base:
4 N_body T (forward + input gradients) + 6 N_lora T + 4 N_head S (the LM head on supervised positions)
+ 6 d L^2 per layer and example (causal attention: L^2 / 2 pairs, 2 d forward and 4 d backward FLOPs each
in the two products), with T real tokens and S supervised ones.
The last line reads `train speedup vs TRL default: R.RR (P% of fp32 ceiling)`.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")  # as the `simulacra` command sets it (both trainers get it)
ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample_chat" / "result.json"


def matmul_gflops(n: int = 2048, repeats: int = 10) -> float:
    """Best-of-N fp32 GFLOP/s of an n x n matmul with the threads torch uses here."""
    import torch

    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * n ** 3 / best / 1e9


def prepare_sample(run_dir: Path):
    from simulacra import ingest, prepare
    from simulacra.rundir import RunDir

    ingest.run(ingest.IngestConfig(inputs=[SAMPLE], out=run_dir))
    prepare.run(prepare.PrepareConfig(run_dir=run_dir, speakers=["Mia Chen"]))
    return RunDir(run_dir).examples("train")


def lora_config():
    from peft import LoraConfig

    return LoraConfig(r=16, lora_alpha=32, lora_dropout=0.0, target_modules="all-linear", task_type="CAUSAL_LM")


def setup_trl(rows, batch_size: int, lr: float, out: Path):
    """TRL's SFTTrainer as a user would start it: pre-tokenised ids with -100 labels, default padding."""
    import torch
    from datasets import Dataset
    from transformers import AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from simulacra.models.embedded import embedded_model_dir
    from simulacra.models.load import load_base_model

    tok = AutoTokenizer.from_pretrained(embedded_model_dir())
    data = Dataset.from_list([{"input_ids": r["input_ids"],
                               "labels": [i if m else -100 for i, m in zip(r["input_ids"], r["mask"])]} for r in rows])
    args = SFTConfig(output_dir=str(out), use_cpu=not torch.cuda.is_available(), per_device_train_batch_size=batch_size,
                     num_train_epochs=1, learning_rate=lr, report_to="none", save_strategy="no", logging_steps=1,
                     bf16=False, max_length=1024, seed=0, disable_tqdm=True)
    torch.manual_seed(0)
    trainer = SFTTrainer(model=load_base_model(None), args=args, train_dataset=data, processing_class=tok,
                         peft_config=lora_config())
    features = [trainer.train_dataset[i] for i in range(len(rows))]

    def batch(k):
        b = trainer.data_collator(features[k * batch_size:(k + 1) * batch_size])
        sup = int((b["labels"][:, 1:] != -100).sum())
        return b, sup, int(b["attention_mask"].sum()) if "attention_mask" in b else b["input_ids"].numel(), \
            b["input_ids"].numel()

    return trainer, batch


def setup_simulacra(rows, batch_size: int, lr: float, run_dir: Path, fast_paths: bool = True):
    from transformers import set_seed

    from simulacra.models.load import load_base_model
    from simulacra.rundir import RunDir
    from simulacra.train.config import TrainConfig
    from simulacra.train.model import wrap
    from simulacra.train.trainer import build_trainer

    config = TrainConfig(run_dir=run_dir, batch_size=batch_size, epochs=1, learning_rate=lr, logging_steps=1,
                         save_steps=10_000, seed=0, fast_paths=fast_paths)
    set_seed(0)
    model, trainable = wrap(load_base_model(None), config, added_tokens=False)
    trainer, collator, _ = build_trainer(model, config, rows, [], RunDir(run_dir).tokenizer(), run_dir / "bench-model")

    def batch(k):
        real0, pad0 = collator.real_tokens, collator.padded_tokens
        b = collator(rows[k * batch_size:(k + 1) * batch_size])
        real = collator.real_tokens - real0
        return b, int((b["shift_labels"] != -100).sum()), real, real + collator.padded_tokens - pad0

    return trainer, batch, trainable


def timed_step(trainer, batch, supervised: int) -> float:
    """Seconds for one optimizer step: the trainer's own `training_step` (loss, extras, backward), then the
    optimizer and scheduler steps."""
    import torch

    started = time.perf_counter()
    trainer.training_step(trainer.model, batch, torch.tensor(supervised))
    trainer.optimizer.step()
    trainer.lr_scheduler.step()
    trainer.optimizer.zero_grad(set_to_none=True)
    return time.perf_counter() - started


def interleaved(trainers: dict, steps: int) -> dict:
    """Alternate one optimizer step of each trainer, so a busy shared machine slows both alike.

    Each step is the trainer's own `training_step` (its loss, extras and backward) plus the optimizer
    step; one untimed warm-up step each comes first."""
    results = {name: {"seconds": 0.0, "supervised": 0, "real": 0, "positions": 0, "steps": 0} for name in trainers}
    for name, (trainer, _) in trainers.items():
        trainer.create_optimizer_and_scheduler(num_training_steps=steps + 1)
        trainer.model.train()
    for j, k in enumerate([0] + list(range(steps))):
        warm = j == 0
        for name, (trainer, batch) in trainers.items():
            b, sup, real, positions = batch(k)
            took = timed_step(trainer, b, sup)
            r = results[name]
            if warm:
                continue
            r["seconds"] += took
            r["supervised"] += sup
            r["real"] += real
            r["positions"] += positions
            r["steps"] += 1
    return results


def useful_flops(rows, lora_params: int) -> float:
    """FLOPs a LoRA pass over `rows` needs (see the module docstring); padding and masked attention excluded."""
    from transformers import AutoConfig

    from simulacra.models.embedded import embedded_model_dir

    c = AutoConfig.from_pretrained(embedded_model_dir())
    d, f, layers = c.hidden_size, c.intermediate_size, c.num_hidden_layers
    kv = c.num_key_value_heads * (d // c.num_attention_heads)
    body = layers * (2 * d * d + 2 * d * kv + 3 * d * f)
    head = d * c.vocab_size
    tokens = sum(len(r["input_ids"]) for r in rows)
    supervised = sum(sum(r["mask"][1:]) for r in rows)
    attention = 6 * d * layers * sum(len(r["input_ids"]) ** 2 for r in rows)
    return 4 * body * tokens + 6 * lora_params * tokens + 4 * head * supervised + attention


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4, help="Optimizer steps each (batch of 8 examples).")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--seed", type=int, default=0, help="Which examples are drawn.")
    parser.add_argument("--no-fast-paths", action="store_true",
                        help="Simulacra with stock SDPA and PEFT (fast_paths=false), to see what they buy.")
    args = parser.parse_args(argv)

    import torch

    with tempfile.TemporaryDirectory(prefix="simulacra-bench-") as tmp:
        run_dir = Path(tmp)
        examples = prepare_sample(run_dir)
        random.Random(args.seed).shuffle(examples)
        rows = [{"input_ids": e.input_ids, "mask": e.mask} for e in examples[:args.steps * args.batch_size]]
        print(f"\n{len(rows)} examples, {sum(len(r['input_ids']) for r in rows)} tokens, "
              f"{sum(sum(r['mask'][1:]) for r in rows)} supervised; torch threads {torch.get_num_threads()}")
        ceiling = matmul_gflops()
        from simulacra.train.fast import keep_freed_memory

        keep_freed_memory()  # what `simulacra train` does; process-wide, so TRL gets it too
        trl_trainer, trl_batch = setup_trl(rows, args.batch_size, args.lr, run_dir / "trl")
        sim_trainer, sim_batch, lora_params = setup_simulacra(rows, args.batch_size, args.lr, run_dir,
                                                              fast_paths=not args.no_fast_paths)
        results = interleaved({"trl": (trl_trainer, trl_batch), "sim": (sim_trainer, sim_batch)}, args.steps)
        trl, sim = results["trl"], results["sim"]
        ceiling = max(ceiling, matmul_gflops())  # best of before and after, as the machine is shared
        flops = useful_flops(rows, lora_params)

    print("\n| trainer | steps | seconds | supervised tok/s | real tok/s | padding | GFLOP/s (useful) |")
    print("|---|---|---|---|---|---|---|")
    for name, r in (("TRL SFTTrainer (padding)", trl), ("Simulacra (packing)", sim)):
        pad = 1 - r["real"] / max(r["positions"], 1)
        print(f"| {name} | {r['steps']} | {r['seconds']:.1f} | {r['supervised'] / r['seconds']:.1f} | "
              f"{r['real'] / r['seconds']:.1f} | {pad:.1%} | {flops / r['seconds'] / 1e9:.1f} |")
    if trl["supervised"] != sim["supervised"]:
        print(f"warning: supervised tokens differ (TRL {trl['supervised']}, Simulacra {sim['supervised']})")
    ratio = (sim["supervised"] / sim["seconds"]) / (trl["supervised"] / trl["seconds"])
    share = flops / sim["seconds"] / 1e9 / ceiling
    print(f"fp32 matmul ceiling: {ceiling:.1f} GFLOP/s (2048x2048, {torch.get_num_threads()} threads); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"train speedup vs TRL default: {ratio:.2f} ({share:.0%} of fp32 ceiling)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
