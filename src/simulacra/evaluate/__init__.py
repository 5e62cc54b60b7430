"""Evaluate stage: score the tuned model against the base model on held-out sessions -> report/."""

from __future__ import annotations

import time
from pathlib import Path

from simulacra.evaluate.config import EvaluateConfig
from simulacra.io import REPORT, write_json, write_manifest, write_yaml

__all__ = ["EvaluateConfig", "run"]


def run(config: EvaluateConfig) -> Path:
    """Per-token perplexity of the trained speakers' held-out turns, tuned vs base; writes report/report.json."""
    from simulacra.evaluate.perplexity import perplexity, speaker_nll
    from simulacra.models.persona import Persona
    from simulacra.prepare.dataset import dataset_dir, load_examples
    from simulacra.ui import console, status

    started = time.time()
    examples = load_examples(config.run_dir, config.split)
    if config.max_examples:
        examples = examples[:config.max_examples]
    with status("Loading the tuned model"):
        persona = Persona(config.run_dir, tuned=True)
    pad = persona.renderer.stop_token_id
    with status(f"Scoring {len(examples)} held-out examples with the tuned model"):
        tuned = speaker_nll(persona.model, examples, pad, config.batch_size)
    with status("Scoring them with the base model"), base_model(persona) as base:
        base_result = speaker_nll(base, examples, pad, config.batch_size)
    report = {
        "split": config.split, "examples": len(examples), "speakers": persona.prepare_config.speakers,
        "perplexity": {"base": perplexity(base_result), "tuned": perplexity(tuned), "tokens": tuned["tokens"]},
    }
    out = config.run_dir / REPORT
    write_json(out / "report.json", report)
    write_yaml(out / "config.yaml", config.dump())
    write_manifest(out / "manifest.json", stage="evaluate", inputs=[dataset_dir(config.run_dir) / f"{config.split}.jsonl"],
                   counts={"examples": len(examples), "scored_tokens": tuned["tokens"]}, started=started)
    ppl = report["perplexity"]
    console.print(f"held-out perplexity of {', '.join(report['speakers'])} ({ppl['tokens']} tokens): "
                  f"base {ppl['base']:.2f} → tuned {ppl['tuned']:.2f}")
    return out


class base_model:
    """Context manager giving the base model: the same weights with the LoRA adapter switched off."""

    def __init__(self, persona):
        self.persona, self.ctx, self.model = persona, None, None

    def __enter__(self):
        model = self.persona.model
        if hasattr(model, "disable_adapter"):
            self.ctx = model.disable_adapter()
            self.ctx.__enter__()
            return model
        from simulacra.models.load import load_base_model

        self.model = load_base_model(self.persona.prepare_config.model, len(self.persona.tokenizer)).eval()
        return self.model

    def __exit__(self, *exc):
        if self.ctx is not None:
            self.ctx.__exit__(*exc)
        self.model = None
        return False
