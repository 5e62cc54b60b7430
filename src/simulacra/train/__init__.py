"""Train stage: dataset/ -> model/ (LoRA adapter or full weights, checkpoints, TensorBoard logs, manifest).

Uses the transformers Trainer with Simulacra's own collator: the 0/1 masks from prepare become -100
labels here, so exactly the chosen speakers' tokens carry loss. fp32 on CPU, bf16 on a GPU.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from simulacra.io import MODEL, write_manifest, write_yaml
from simulacra.train.config import TrainConfig

__all__ = ["TrainConfig", "run"]


def run(config: TrainConfig) -> Path:
    """Fine-tune on the run's training split and write model/weights/ atomically; returns model/."""
    from simulacra.models.load import WEIGHTS, grow_embeddings, load_base_model
    from simulacra.prepare.dataset import dataset_dir, load_examples, load_prepare_config, load_tokenizer
    from simulacra.train.trainer import build_trainer, latest_checkpoint
    from simulacra.ui import console

    started = time.time()
    prep = load_prepare_config(config.run_dir)
    tokenizer = load_tokenizer(config.run_dir)
    base_name = config.model or prep.model
    train_rows = _rows(load_examples(config.run_dir, "train"), config.max_train_examples)
    val_rows = _rows(load_examples(config.run_dir, "validation"), 0)
    if not train_rows:
        from simulacra.errors import SimulacraError

        raise SimulacraError(f"{dataset_dir(config.run_dir)}/train.jsonl: no training examples")

    out = config.run_dir / MODEL
    model = load_base_model(base_name)
    model, trainable = _wrap(model, config, added_tokens=grow_embeddings(model, len(tokenizer)))
    trainer, collator, log = build_trainer(model, config, train_rows, val_rows, tokenizer, out)
    console.print(f"training {config.method} on {len(train_rows)} examples · {trainable:,} trainable parameters "
                  f"· {trainer.args.max_steps if trainer.args.max_steps > 0 else 'epoch-based'} steps")
    resume = latest_checkpoint(out) if config.resume else None
    result = trainer.train(resume_from_checkpoint=str(resume) if resume else None)

    _save_atomically(out / WEIGHTS, model)
    tokenizer.save(out / "tokenizer")
    write_yaml(out / "config.yaml", config.dump() | {"model": base_name})
    runtime = result.metrics.get("train_runtime", time.time() - started)
    write_manifest(out / "manifest.json", stage="train", inputs=[dataset_dir(config.run_dir) / "train.jsonl"],
                   counts={"train_examples": len(train_rows), "steps": trainer.state.global_step,
                           "real_tokens": collator.real_tokens, "trained_tokens": collator.trained_tokens,
                           "trainable_parameters": trainable},
                   started=started, train_loss=result.training_loss, train_runtime_s=runtime,
                   tokens_per_second=collator.real_tokens / max(runtime, 1e-9), log_history=log.history)
    console.print(f"[green]✓[/] trained {trainer.state.global_step} steps, final loss {result.training_loss:.3f}, "
                  f"{collator.real_tokens / max(runtime, 1e-9):.0f} tok/s → {out / WEIGHTS}")
    return out


def _rows(examples, limit: int) -> list[dict]:
    rows = [{"input_ids": ex.input_ids, "mask": ex.mask} for ex in examples]
    return rows[:limit] if limit else rows


def _wrap(model, config: TrainConfig, added_tokens: bool):
    """Apply LoRA (training new token rows too when the tokenizer grew) or unfreeze everything."""
    if config.method == "full":
        return model, sum(p.numel() for p in model.parameters())
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(
        r=config.lora_r, lora_alpha=config.lora_alpha, lora_dropout=config.lora_dropout,
        target_modules=config.target_modules, task_type="CAUSAL_LM",
        # New tokens need trainable embedding rows; saving whole matrices is simple and works with tied weights.
        modules_to_save=["embed_tokens", "lm_head"] if added_tokens else None,
    )
    model = get_peft_model(model, lora)
    return model, sum(p.numel() for p in model.parameters() if p.requires_grad)


def _save_atomically(target: Path, model) -> None:
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        model.save_pretrained(str(tmp))
        if target.exists():
            shutil.rmtree(target)
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
