"""File helpers every stage uses: atomic writes, folder swaps, stale-temp cleanup and manifests."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import platform
import re
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator

import orjson
import yaml


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[Any]:
    """Write to a temp file beside `path` and rename it into place only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())  # the rename must never publish a file whose bytes are still in flight
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield a temp folder beside `target`; on success it replaces `target`, on failure it is removed."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=_temp_prefix(target), suffix=".tmp"))
    try:
        yield tmp
        fsync_tree(tmp)
        pause_for_test("atomic-dir-swap")
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def replace_dir(src: Path, target: Path) -> None:
    """Move folder `src` to `target` so that at every instant one of them is there, whole.

    Linux swaps the two names in one step (renameat2 RENAME_EXCHANGE). Elsewhere the old folder is first
    renamed aside to a hidden `.NAME.PID.*.old`, which `remove_stale_temps` puts back if we die before
    the new one is renamed in. The old folder is deleted last.
    """
    src, target = Path(src), Path(target)
    if not target.exists():
        os.replace(src, target)
    elif _exchange(src, target):
        shutil.rmtree(src, ignore_errors=True)  # now the old output, under a temp name the next run removes
    else:
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=_temp_prefix(target), suffix=".old"))
        os.replace(target, old)  # onto the empty folder mkdtemp made: a name nobody else can take
        pause_for_test("atomic-dir-gap")
        os.replace(src, target)
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(target.parent)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system or filesystem cannot."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _temp_prefix(target: Path) -> str:
    # The writer's PID in the name lets the next run tell a killed writer's leftovers from a live one's.
    return f".{target.name}.{os.getpid()}."


def remove_stale_temps(target: Path) -> list[Path]:
    """Delete the hidden temps that killed writers left beside `target`; restore `target` from a stale
    `.old` if the kill came between the two renames of `replace_dir`. Returns what was removed.

    Only names this module creates are touched: `.NAME.PID.XXXX.tmp` / `.old` whose PID is not alive, and
    `.NAME.XXXX.tmp` (files) or `.NAME.XXXX` (folders) from versions before PIDs, once unchanged for
    an hour (nothing says who wrote them, so only age shows the writer is gone).
    """
    target = Path(target)
    stale = _stale_temps(target)
    olds = sorted((p for p in stale if p.name.endswith(".old")), key=lambda p: p.stat().st_mtime, reverse=True)
    if olds and not target.exists():
        os.replace(olds[0], target)  # the swap died between its renames: the old output is whole, put it back
        stale.remove(olds[0])
    for entry in stale:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
    return stale


def _stale_temps(target: Path) -> list[Path]:
    if not target.parent.is_dir():
        return []
    pattern = re.compile(_TEMP.format(name=re.escape(target.name)))
    stale = []
    for entry in target.parent.iterdir():
        m = pattern.match(entry.name)
        if m and (not _alive(int(m["pid"])) if m["pid"] else _untouched_for(entry, LEGACY_TEMP_AGE_S)):
            stale.append(entry)
    return stale


# .NAME.PID.RANDOM.tmp|.old (this version) or .NAME.RANDOM[.tmp] (mkstemp/mkdtemp before PIDs: 8 chars).
_TEMP = r"^\.{name}\.(?:(?P<pid>\d+)\.[a-z0-9_]+\.(?:tmp|old)|[a-z0-9_]{{8}}(?:\.tmp)?)$"
LEGACY_TEMP_AGE_S = 3600


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would end the process: keep its temps
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _untouched_for(path: Path, seconds: float) -> bool:
    newest = path.lstat().st_mtime
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                with contextlib.suppress(OSError):
                    newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    return time.time() - newest > seconds


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder` to disk, so a rename never publishes half-written data."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some filesystems cannot fsync a folder; the rename still holds
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def pause_for_test(point: str) -> None:
    """Test hook: with SIMULACRA_TEST_PAUSE_AT=point, write `<point>.paused` in SIMULACRA_TEST_PAUSE_DIR
    and sleep, so a test can `kill -9` the process at exactly this moment; SIMULACRA_TEST_PAUSE_SKIP=N
    passes the point N times first (e.g. to die while writing the third checkpoint)."""
    if os.environ.get("SIMULACRA_TEST_PAUSE_AT") != point:
        return
    _passed[point] = _passed.get(point, 0) + 1
    if _passed[point] <= int(os.environ.get("SIMULACRA_TEST_PAUSE_SKIP", "0")):
        return
    folder = Path(os.environ.get("SIMULACRA_TEST_PAUSE_DIR", "."))
    (folder / f"{point}.paused").write_text(str(os.getpid()))
    time.sleep(600)


_passed: dict[str, int] = {}


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
