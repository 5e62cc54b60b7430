"""The merged model (adapter folded into the base weights) and the `merged` format: a transformers folder.

    simulacra export runs/ana --format merged      # or --merge
    >>> AutoModelForCausalLM.from_pretrained("runs/ana/export/merged")   # no PEFT, tokenizer included

The folder holds the merged weights (speaker-token rows included), the run's tokenizer with its end
token as EOS, a generation config that stops at the end of a turn, and the chat template that renders
OpenAI-style messages exactly like training (persona = assistant).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from simulacra.export.config import ExportConfig
from simulacra.formats.messages import ChatNames
from simulacra.io import write_manifest, write_yaml
from simulacra.rundir import RunDir


@dataclass
class MergedRun:
    """A run's tuned model merged in memory, with what every exporter needs to describe it."""

    model: object
    tokenizer: object  # ChatTokenizer
    renderer: object
    prep: object  # PrepareConfig
    base: str
    names: ChatNames


def load_merged(config: ExportConfig) -> MergedRun:
    from simulacra.export.names import pick_names
    from simulacra.formats.render import renderer_for
    from simulacra.models.load import load_tuned_model

    run_dir = RunDir(config.run_dir)
    prep = run_dir.dataset_spec()
    tokenizer = run_dir.tokenizer()
    renderer = renderer_for(prep, tokenizer)
    names = pick_names(config.run_dir, prep, renderer, config.persona, config.user)
    base = run_dir.base_model_name()
    model = load_tuned_model(config.run_dir, base, len(tokenizer))
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    model = model.to("cpu").float().eval()
    model.generation_config.eos_token_id = renderer.stop_token_id
    model.generation_config.pad_token_id = renderer.stop_token_id
    return MergedRun(model, tokenizer, renderer, prep, base, names)


def save_tokenizer(folder: Path, merged: MergedRun) -> None:
    """The run's tokenizer as a transformers folder: end of turn = EOS, the training chat template."""
    from transformers import PreTrainedTokenizerFast

    from simulacra.formats.templates import jinja_template

    end = merged.renderer.end
    fast = PreTrainedTokenizerFast(tokenizer_object=merged.tokenizer.tokenizer, eos_token=end, pad_token=end)
    fast.chat_template = jinja_template(merged.renderer, merged.names)
    fast.save_pretrained(str(folder))


def write_merged(merged: MergedRun, folder: Path, config: ExportConfig, started: float) -> None:
    merged.model.save_pretrained(str(folder))
    save_tokenizer(folder, merged)
    prep = merged.prep
    write_yaml(folder / "simulacra.yaml", {"style": prep.style, "speakers": prep.speakers,
                                           "speaker_tokens": prep.speaker_tokens, "base_model": merged.base,
                                           "persona": merged.names.persona, "user": merged.names.user})
    write_manifest(folder / "manifest.json", stage="export", inputs=list(RunDir(config.run_dir).require_weights()
                                                                         .glob("*.safetensors")),
                   counts={"parameters": sum(p.numel() for p in merged.model.parameters())}, started=started)


def export_merged(config: ExportConfig, tmp: Path) -> str:
    started = time.time()
    write_merged(load_merged(config), tmp, config, started)
    return "merged model"
