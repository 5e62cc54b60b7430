"""The `hub` format: a folder ready to upload to a model hub (weights, tokenizer, model card).

    simulacra export runs/ana --format hub [--set hub_weights=merged]
    huggingface-cli upload --private you/ana runs/ana/export/hub .     # the user's step, never automatic

Weights are the LoRA adapter (small; the card names the base model) or the merged model.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from simulacra.export.config import ExportConfig


def export_hub(config: ExportConfig, tmp: Path) -> str:
    from simulacra.export.card import hub_base_id, model_card
    from simulacra.export.merged import load_merged, save_tokenizer, write_merged
    from simulacra.rundir import RunDir

    started = time.time()
    merged = load_merged(config)
    weights = RunDir(config.run_dir).require_weights()
    is_adapter = (weights / "adapter_config.json").is_file()
    kind = config.hub_weights if is_adapter else "merged"  # a full fine-tune has no adapter to ship
    if kind == "adapter":
        for f in weights.iterdir():
            if f.is_file() and f.name.startswith("adapter_"):
                shutil.copy2(f, tmp / f.name)
        _point_adapter_at_hub_base(tmp / "adapter_config.json", hub_base_id(merged.base))
        save_tokenizer(tmp, merged)
    else:
        write_merged(merged, tmp, config, started)
    (tmp / "README.md").write_text(model_card(config.run_dir, merged, kind, merged.names), encoding="utf-8")
    return f"hub folder ({kind}); upload with `huggingface-cli upload`"


def _point_adapter_at_hub_base(path: Path, hub_id: str | None) -> None:
    """A local base path in adapter_config.json means nothing on a hub; use the hub id when we know it."""
    import json

    if hub_id is None or not path.is_file():
        return
    cfg = json.loads(path.read_text(encoding="utf-8"))
    cfg["base_model_name_or_path"] = hub_id
    path.write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
