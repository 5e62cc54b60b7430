"""Export stage: a trained run -> a model to take anywhere, one exporter per format.

    simulacra export runs/ana --format merged            # transformers folder, no PEFT (alias: --merge)
    simulacra export runs/ana --format gguf --quant q8_0 # one .gguf for llama.cpp / LM Studio
    simulacra export runs/ana --format ollama            # GGUF + Modelfile: `ollama create ana -f .../Modelfile`
    simulacra export runs/ana --format hub               # adapter + tokenizer + model card, ready to upload

Everything lands in RUN/export/<format>/ (or --out), written atomically. Every format carries the
chat template that renders OpenAI-style messages exactly like the training prompt (persona = assistant).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from simulacra.errors import SimulacraError
from simulacra.export.config import FORMATS, ExportConfig
from simulacra.io import atomic_dir

__all__ = ["EXPORTERS", "ExportConfig", "run"]


def _gguf(config, tmp):
    from simulacra.export.gguf import export_gguf

    return export_gguf(config, tmp)


def _merged(config, tmp):
    from simulacra.export.merged import export_merged

    return export_merged(config, tmp)


def _ollama(config, tmp):
    from simulacra.export.ollama import export_ollama

    return export_ollama(config, tmp)


def _hub(config, tmp):
    from simulacra.export.hub import export_hub

    return export_hub(config, tmp)


# format -> exporter(config, folder to fill) returning a short description for the summary line
EXPORTERS: dict[str, Callable[[ExportConfig, Path], str]] = {
    "merged": _merged, "gguf": _gguf, "ollama": _ollama, "hub": _hub}


def run(config: ExportConfig) -> Path:
    from simulacra.rundir import RunDir
    from simulacra.ui import console, status

    if config.format is None:
        raise SimulacraError(f"export: say what to export with --format ({'|'.join(FORMATS)}); "
                             "`--merge` is --format merged")
    RunDir(config.run_dir).require_weights()  # "run `simulacra train` first" before any work
    out = config.out_dir()
    with status(f"Exporting {config.format}"), atomic_dir(out) as tmp:
        what = EXPORTERS[config.format](config, tmp)
    console.print(f"[green]✓[/] {what} → {out}")
    return out
