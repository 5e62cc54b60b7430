"""File helpers every stage uses: atomic writes, manifests and the run-directory layout."""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

import orjson
import yaml

# The run directory: runs/<name>/ holds every stage's output under one fixed name.
CONVERSATIONS = "conversations.jsonl"
DATASET = "dataset"
MODEL = "model"
REPORT = "report"


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[Any]:
    """Write to a temp file beside `path` and rename it into place only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temp folder beside `target`; on success it replaces `target`, on failure it is removed."""
    import shutil

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        yield tmp
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, data: Any) -> None:
    with atomic_write(path, "wb") as f:
        f.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def read_json(path: Path) -> Any:
    return orjson.loads(Path(path).read_bytes())


def write_yaml(path: Path, data: Any) -> None:
    with atomic_write(path) as f:
        yaml.safe_dump(data, f, sort_keys=False, allow_unicode=True)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("simulacra", "torch", "transformers", "peft", "trl", "tokenizers"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    return out


def write_manifest(path: Path, *, stage: str, inputs: list[Path], counts: dict, started: float, **extra: Any) -> None:
    """Record what a stage read (with hashes), what it produced, package versions and wall time."""
    write_json(path, {
        "stage": stage,
        "inputs": [{"path": str(p), "sha256": file_sha256(p)} for p in inputs if Path(p).is_file()],
        "counts": counts,
        "versions": _versions(),
        "wall_time_s": round(time.time() - started, 3),
        **extra,
    })
