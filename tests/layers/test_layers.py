"""The import graph keeps its layers: nothing below the stages imports a stage, and stages never import each other.

    cli ─▶ stages (ingest prepare train evaluate chat converse serve steer attribute analyze export; demo runs them all)
              ─▶ engine ─▶ models ─▶ formats ─▶ rundir, schema, config, io, errors, ui ...

Every import counts, also the lazy ones inside functions, so the rule holds for what runs, not only for
what loads first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "simulacra"
STAGES = {"ingest", "prepare", "train", "evaluate", "chat", "converse", "serve", "steer", "attribute", "analyze",
          "export", "demo"}
# Lower packages, each allowed to import only what sits below it.
LOWER = ["formats", "models", "engine"]


def _unit(module: str) -> str | None:
    """'simulacra.engine.persona' -> 'engine'; top-level modules ('simulacra.io') -> 'io'."""
    parts = module.split(".")
    return parts[1] if parts[0] == "simulacra" and len(parts) > 1 else None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {u for u in map(_unit, out) if u}


def _edges() -> list[tuple[str, str, Path]]:
    edges = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        source = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        edges += [(source, target, rel) for target in _imports(path) if target != source]
    return edges


def test_nothing_below_the_stages_imports_a_stage():
    wrong = [f"{rel} imports simulacra.{target}" for source, target, rel in _edges()
             if source not in STAGES and source != "cli" and target in STAGES]
    assert not wrong, "\n".join(wrong)


def test_stages_do_not_import_each_other():
    wrong = [f"{rel} imports simulacra.{target}" for source, target, rel in _edges()
             if source in STAGES - {"demo"} and target in STAGES]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("package", LOWER)
def test_lower_packages_import_only_what_sits_below_them(package):
    above = set(LOWER[LOWER.index(package) + 1:])
    wrong = [f"{rel} imports simulacra.{target}" for source, target, rel in _edges()
             if source == package and target in above]
    assert not wrong, "\n".join(wrong)
