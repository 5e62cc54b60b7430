"""Exports that are a tree of files (Slack, the Discord package), read alike from a folder or a zip."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from pathlib import Path
from typing import IO, Any

from simulacra.errors import InputError


class Tree:
    """Files under a root, named by relative POSIX paths; `prefix` narrows to a sub-folder."""

    def __init__(self, path: Path, prefix: str = ""):
        self.path, self.prefix = Path(path), prefix.strip("/")
        try:
            self.zip = zipfile.ZipFile(path) if self.path.is_file() else None
        except (zipfile.BadZipFile, OSError) as e:
            raise InputError(path, f"expected a folder or a zip archive ({e})") from None
        self._names = self._list()

    def _list(self) -> set[str]:
        if self.zip is not None:
            return {n for n in self.zip.namelist() if not n.endswith("/")}
        return {p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file()}

    def sub(self, prefix: str) -> "Tree":
        tree = Tree.__new__(Tree)
        tree.path, tree.zip, tree._names, tree.prefix = self.path, self.zip, self._names, prefix.strip("/")
        return tree

    def full(self, name: str) -> str:
        return posixpath.normpath(posixpath.join(self.prefix, name)) if self.prefix else posixpath.normpath(name)

    def label(self, name: str) -> str:
        return f"{self.path}/{self.full(name)}"

    def exists(self, name: str) -> bool:
        return self.full(name) in self._names

    def names(self) -> list[str]:
        """Every file under the prefix, relative to it, sorted."""
        start = f"{self.prefix}/" if self.prefix else ""
        return sorted(n[len(start):] for n in self._names if n.startswith(start))

    def open_text(self, name: str) -> IO[str]:
        if self.zip is not None:
            return io.TextIOWrapper(self.zip.open(self.full(name)), encoding="utf-8-sig", newline="")
        return open(self.path / self.full(name), encoding="utf-8-sig", newline="")

    def json(self, name: str, default: Any = ...) -> Any:
        if default is not ... and not self.exists(name):
            return default
        try:
            with self.open_text(name) as f:
                return json.loads(f.read())
        except json.JSONDecodeError as e:
            raise InputError(self.label(name), f"malformed JSON: {e.msg} (column {e.colno})", line=e.lineno) from None
        except (UnicodeDecodeError, KeyError, OSError) as e:
            raise InputError(self.label(name), f"cannot read ({e})") from None


def is_zip(path: Path) -> bool:
    return Path(path).is_file() and zipfile.is_zipfile(path)


def zip_names(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as z:
            return z.namelist()
    except (zipfile.BadZipFile, OSError):
        return []
