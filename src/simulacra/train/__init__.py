"""Train stage: dataset/ -> model/ (LoRA adapter or full weights, checkpoints, TensorBoard logs, manifest).

Uses the transformers Trainer with Simulacra's own packing collator and loss: the 0/1 masks from
prepare become targets here, so exactly the chosen speakers' tokens carry loss, and the LM head runs
only on those positions. fp32 on CPU, bf16 on a GPU. `launcher` re-runs this stage as several
processes (see `simulacra.train.launch`).
"""

from __future__ import annotations

import time
from pathlib import Path

from simulacra.io import atomic_dir, remove_stale_temps, write_manifest, write_yaml
from simulacra.rundir import RunDir
from simulacra.train.config import TrainConfig

__all__ = ["TrainConfig", "run"]


def run(config: TrainConfig) -> Path:
    """Fine-tune on the run's training split and write model/weights/ atomically; returns model/."""
    from simulacra.models.load import grow_embeddings
    from simulacra.train.trainer import build_trainer, latest_checkpoint
    from simulacra.ui import console

    if config.launcher != "none":
        from simulacra.train.launch import relaunch

        return relaunch(config)
    started = time.time()
    config = _apply_preset(config)
    run_dir = RunDir(config.run_dir)
    prep = run_dir.dataset_spec()
    tokenizer = run_dir.tokenizer()
    base_name = config.model or prep.model
    train_rows = _rows(run_dir.examples("train"), config.max_train_examples)
    val_rows = _rows(run_dir.examples("validation"), 0)
    if not train_rows:
        from simulacra.errors import SimulacraError

        raise SimulacraError(f"{run_dir.split('train')}: no training examples")

    out = run_dir.model
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(run_dir.weights)  # a killed run's half-written weights go now, not only at the end
    resume = latest_checkpoint(out) if config.resume else None
    if config.resume and resume is None:
        from simulacra.errors import SimulacraError

        raise SimulacraError(f"--resume: no complete checkpoint in {out / 'checkpoints'} "
                             f"(train without --resume to start over)")
    from simulacra.train.fast import keep_freed_memory
    from simulacra.train.model import init_speaker_tokens, load_for_training, wrap

    from transformers import set_seed

    keep_freed_memory()
    set_seed(config.seed)  # LoRA's random init must not depend on what ran before (or on the process)
    model = load_for_training(base_name, config)
    base_vocab = model.get_input_embeddings().num_embeddings
    grow_embeddings(model, len(tokenizer))
    # Speaker tokens may land in rows the base already has but never trained (Qwen pads its matrix).
    speaker_ids = init_speaker_tokens(model, tokenizer, prep.speaker_tokens)
    new_ids = sorted(set(range(base_vocab, len(tokenizer))) | set(speaker_ids))
    model, trainable = wrap(model, config, added_tokens=bool(new_ids), new_token_ids=new_ids)
    callbacks = _sample_callback(config, run_dir, prep, tokenizer)
    trainer, collator, log = build_trainer(model, config, train_rows, val_rows, tokenizer, out, callbacks)
    console.print(f"training {config.method} on {len(train_rows)} examples · {trainable:,} trainable parameters "
                  f"· {planned_steps(trainer, len(train_rows))} steps planned")
    if resume:
        console.print(f"resuming from {resume}")
    result = trainer.train(resume_from_checkpoint=str(resume) if resume else None)
    _sum_counts_over_processes(collator)
    if not trainer.is_world_process_zero():
        return out

    _save_atomically(run_dir.weights, model)
    tokenizer.save(out / "tokenizer")
    write_yaml(out / "config.yaml", config.dump() | {"model": base_name})
    runtime = result.metrics.get("train_runtime", time.time() - started)
    world = trainer.args.world_size
    counted = {"real_tokens": collator.real_tokens, "trained_tokens": collator.trained_tokens,
               "padded_tokens": collator.padded_tokens}
    stopper = next((c for c in trainer.callback_handler.callbacks if hasattr(c, "stopped_at")), None)
    write_manifest(out / "manifest.json", stage="train", inputs=[run_dir.split("train")],
                   counts={"train_examples": len(train_rows), "steps": trainer.state.global_step,
                           **counted, "trainable_parameters": trainable, "processes": world},
                   started=started, train_loss=result.training_loss, train_runtime_s=runtime,
                   tokens_per_second=collator.real_tokens / max(runtime, 1e-9),
                   trained_tokens_per_second=collator.trained_tokens / max(runtime, 1e-9),
                   early_stopped_at=stopper.stopped_at if stopper else None,
                   best_validation_loss=stopper.best if stopper and stopper.best < float("inf") else None,
                   log_history=log.history)
    losses = [e["loss"] for e in log.history if "loss" in e]
    final = losses[-1] if losses else result.training_loss  # the last logged loss, not the run's average
    console.print(f"[green]✓[/] trained {trainer.state.global_step} steps, final loss {final:.3f}, "
                  f"{collator.real_tokens / max(runtime, 1e-9):.0f} tok/s → {run_dir.weights}")
    return out


def planned_steps(trainer, examples: int) -> int:
    """The optimiser steps the run will take: max_steps, or epochs over the examples as the Trainer counts them."""
    import math

    args = trainer.args
    if args.max_steps > 0:
        return args.max_steps
    per_step = args.per_device_train_batch_size * args.world_size
    return max(1, math.ceil(args.num_train_epochs * (math.ceil(examples / per_step) // args.gradient_accumulation_steps
                                                     or 1)))


def _sum_counts_over_processes(collator) -> None:
    """Each process counted its own shard's tokens; the manifest reports the whole run's."""
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return
    import torch

    counts = torch.tensor([collator.real_tokens, collator.trained_tokens, collator.padded_tokens], dtype=torch.long)
    dist.all_reduce(counts)
    collator.real_tokens, collator.trained_tokens, collator.padded_tokens = counts.tolist()


def _rows(examples, limit: int) -> list[dict]:
    rows = [{"input_ids": ex.input_ids, "mask": ex.mask} for ex in examples]
    return rows[:limit] if limit else rows


def _apply_preset(config: TrainConfig) -> TrainConfig:
    """A preset fills the model and target modules the user left at their defaults."""
    if not config.preset:
        return config
    from simulacra.models.presets import preset

    p = preset(config.preset)
    changes = {"model": config.model or p["model"]}
    if config.target_modules == TrainConfig.model_fields["target_modules"].default:
        changes["target_modules"] = p["target_modules"]
    return config.model_copy(update=changes)


def _sample_callback(config: TrainConfig, run_dir: RunDir, prep, tokenizer) -> list:
    """Fixed validation moments (history, the speaker who answers, the real answer) for periodic samples."""
    if not config.sample_steps or not config.sample_prompts:
        return []
    from simulacra.formats.render import renderer_for
    from simulacra.train.callbacks import SampleCallback

    renderer = renderer_for(prep, tokenizer)
    targets = set(prep.speakers)
    prompts = []
    for split in ("validation", "train"):
        for ex in run_dir.examples(split):
            i = next((i for i in range(1, len(ex.turns)) if ex.turns[i].speaker in targets), None)
            if i is None:
                continue
            history, speaker = ex.turns[:i], ex.turns[i].speaker
            speakers = list(dict.fromkeys([t.speaker for t in ex.turns]))
            system = renderer.system_text(None, speakers)
            prompts.append((speaker, renderer.prompt(system, history, speaker), ex.turns[i].text))
            if len(prompts) >= config.sample_prompts:
                break
        if prompts:
            break
    if not config.resume:
        (run_dir.model / "samples.jsonl").unlink(missing_ok=True)
    return [SampleCallback(prompts, tokenizer, renderer.stop_token_id, run_dir.model / "samples.jsonl",
                           config.sample_steps)]


def _save_atomically(target: Path, model) -> None:
    with atomic_dir(target) as tmp:
        if hasattr(model, "peft_config"):
            # Added token rows live in the adapter's token deltas; loading regrows the base matrix first.
            model.save_pretrained(str(tmp), save_embedding_layers=False)
        else:
            model.save_pretrained(str(tmp))
