"""Export stage: model/ -> a merged full model folder (model/merged/) that loads with plain transformers.

    simulacra export runs/ana --merge
    >>> AutoModelForCausalLM.from_pretrained("runs/ana/model/merged")   # no PEFT, tokenizer included

The folder holds the merged weights (speaker-token rows included), the run's tokenizer with its end
token as EOS, a generation config that stops at the end of a turn, and for the `roles` style a chat
template that renders names as roles exactly like training.
"""

from __future__ import annotations

import time
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.export.config import ExportConfig
from simulacra.io import MODEL, atomic_dir, write_manifest, write_yaml

__all__ = ["ExportConfig", "run"]

ROLES_TEMPLATE = ("{% for m in messages %}{{ '<|im_start|>' + (m['name'] if m.get('name') else m['role']) + '\\n' + "
                  "m['content'] + '<|im_end|>\\n' }}{% endfor %}{% if add_generation_prompt %}"
                  "{{ '<|im_start|>' + (speaker if speaker is defined else 'assistant') + '\\n' }}{% endif %}")


def run(config: ExportConfig) -> Path:
    if not config.merge:
        raise SimulacraError("export: say what to export; `--merge` writes a merged full model")
    return merge(config)


def merge(config: ExportConfig) -> Path:
    import yaml

    from simulacra.models.load import load_tuned_model
    from simulacra.rundir import RunDir
    from simulacra.formats.render import renderer_for
    from simulacra.ui import console, status

    started = time.time()
    run_dir = RunDir(config.run_dir)
    weights = run_dir.require_weights()
    prep = run_dir.dataset_spec()
    tokenizer = run_dir.tokenizer()
    renderer = renderer_for(prep, tokenizer)
    train_cfg = config.run_dir / MODEL / "config.yaml"
    base = (yaml.safe_load(train_cfg.read_text(encoding="utf-8")) or {}).get("model") if train_cfg.is_file() else None
    out = Path(config.out) if config.out else config.run_dir / MODEL / "merged"
    with status("Merging the adapter into the base weights"):
        model = load_tuned_model(config.run_dir, base or prep.model, len(tokenizer))
        if hasattr(model, "merge_and_unload"):
            model = model.merge_and_unload()
        model.generation_config.eos_token_id = renderer.stop_token_id
        model.generation_config.pad_token_id = renderer.stop_token_id
        with atomic_dir(out) as tmp:
            model.save_pretrained(str(tmp))
            _save_tokenizer(tmp, tokenizer, renderer, prep.style)
            write_yaml(tmp / "simulacra.yaml", {"style": prep.style, "speakers": prep.speakers,
                                                "speaker_tokens": prep.speaker_tokens, "base_model": base or prep.model})
            write_manifest(tmp / "manifest.json", stage="export", inputs=list(weights.glob("*.safetensors")),
                           counts={"parameters": sum(p.numel() for p in model.parameters())}, started=started)
    console.print(f"[green]✓[/] merged model → {out}")
    return out


def _save_tokenizer(folder: Path, tokenizer, renderer, style: str) -> None:
    from transformers import PreTrainedTokenizerFast

    fast = PreTrainedTokenizerFast(tokenizer_object=tokenizer.tokenizer, eos_token=renderer.end,
                                   pad_token=renderer.end)
    if style == "roles":
        fast.chat_template = ROLES_TEMPLATE
    fast.save_pretrained(str(folder))
