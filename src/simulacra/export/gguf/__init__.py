"""The `gguf` format: one .gguf file (llama.cpp, LM Studio, Ollama) from the run's merged model.

    simulacra export runs/ana --format gguf --quant q8_0     # -> runs/ana/export/gguf/ana-q8_0.gguf

Written with the `gguf` package (GGUFWriter, TensorNameMap, gguf.quants); the vocabulary keeps every
speaker token as one control token, the end of turn is the EOS, and the embedded chat template
renders OpenAI-style messages exactly like the training prompt.
"""

from __future__ import annotations

import re
from pathlib import Path

from simulacra.export.config import ExportConfig


def slug(persona: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", persona.lower()).strip("-") or "persona"


def gguf_name(persona: str, quant: str) -> str:
    return f"{slug(persona)}-{quant}.gguf"


def write_gguf(merged, path: Path, quant: str) -> Path:
    """Write `merged` (a MergedRun) as one GGUF file at `path`."""
    import gguf

    from simulacra.export.gguf.arch import add_hparams, add_tensors, gguf_arch
    from simulacra.export.gguf.vocab import add_vocab
    from simulacra.formats.templates import jinja_template

    model = merged.model
    arch, permute = gguf_arch(model.config)
    n_vocab = model.get_input_embeddings().num_embeddings
    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_name(merged.names.persona)
    add_hparams(writer, model.config, n_vocab, quant)
    bos = merged.tokenizer.token_id("<|endoftext|>") if getattr(model.config, "bos_token_id", None) is None \
        else model.config.bos_token_id
    add_vocab(writer, merged.tokenizer, n_vocab, merged.renderer.stop_token_id, bos,
              jinja_template(merged.renderer, merged.names))
    add_tensors(writer, model, arch, permute, quant)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def export_gguf(config: ExportConfig, tmp: Path) -> str:
    from simulacra.export.merged import load_merged

    merged = load_merged(config)
    path = write_gguf(merged, tmp / gguf_name(merged.names.persona, config.quant), config.quant)
    return f"GGUF {config.quant} ({path.stat().st_size / 1e6:.0f} MB)"
