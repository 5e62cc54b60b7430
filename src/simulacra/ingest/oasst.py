"""OpenAssistant message trees (JSONL): every root-to-leaf path becomes one user/assistant conversation.

Siblings are alternative branches, so a tree with two answers to one prompt yields two
conversations that share the prompt. Deleted nodes are dropped with everything below them.
Both the tree layout (`{message_tree_id, prompt: node}`) and flat message rows (`parent_id`) are read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import iso_time
from simulacra.schema import Conversation, Message

ROLES = {"prompter": "user", "assistant": "assistant"}


def sniff(path: Path, head: str) -> bool:
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    return first.lstrip().startswith("{") and '"message_tree_id"' in first or ('"role": "prompter"' in first
                                                                              and '"parent_id"' in first)


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    flat: dict[str, list[dict]] = {}
    for lineno, record in _lines(path):
        if isinstance(record.get("prompt"), dict):
            yield from tree_paths(path, lineno, str(record.get("message_tree_id", lineno)), record["prompt"])
        elif "message_id" in record:
            flat.setdefault(str(record.get("message_tree_id", "")), []).append(record)
        else:
            raise InputError(path, "expected an OASST tree ({message_tree_id, prompt}) or message row", line=lineno)
    for tree_id, rows in flat.items():
        root = _build(rows)
        if root is not None:
            yield from tree_paths(path, 0, tree_id, root)


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8-sig") as f:
        try:
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as e:
                    raise InputError(path, f"malformed JSON line ({e})", line=lineno) from None
                if not isinstance(record, dict):
                    raise InputError(path, "expected a JSON object per line", line=lineno)
                yield lineno, record
        except UnicodeDecodeError as e:
            raise InputError(path, f"expected UTF-8 text ({e.reason})") from None


def _build(rows: list[dict]) -> dict | None:
    """Nest flat rows (each with parent_id) into a tree; the root is the row without a parent."""
    nodes = {str(r["message_id"]): {**r, "replies": []} for r in rows}
    root = None
    for node in nodes.values():
        parent = nodes.get(str(node.get("parent_id")))
        if parent is not None:
            parent["replies"].append(node)
        elif node.get("parent_id") is None:
            root = node
    return root


def tree_paths(path: Path, lineno: int, tree_id: str, root: dict) -> Iterator[Conversation]:
    for n, branch in enumerate(_branches(root)):
        try:
            messages = [_message(node) for node in branch]
        except (TypeError, ValueError, KeyError) as e:
            raise InputError(path, f"expected an OASST message node ({e})", line=lineno or None,
                             record=f"tree {tree_id}") from None
        yield Conversation(id=f"oasst-{tree_id}-{n}", source="oasst", title="", participants=[], messages=messages)


def _branches(root: dict) -> Iterator[list[dict]]:
    """Every root-to-leaf list of live nodes, depth first, siblings in file order (no recursion limit)."""
    if not isinstance(root, dict) or root.get("deleted"):
        return
    stack = [[root]]
    while stack:
        branch = stack.pop()
        replies = [r for r in branch[-1].get("replies") or [] if isinstance(r, dict) and not r.get("deleted")]
        if not replies:
            yield branch
        stack.extend(branch + [r] for r in reversed(replies))


def _message(node: dict) -> Message:
    role = str(node["role"])
    return Message(speaker=ROLES.get(role, role), text=str(node["text"]), time=iso_time(node.get("created_date")),
                   source_id=str(node.get("message_id")), reply_to=_str(node.get("parent_id")))


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
