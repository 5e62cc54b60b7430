"""Slack workspace exports (zip or folder): users.json, channels.json and <channel>/<YYYY-MM-DD>.json days.

Days are read in file-name order and each day's array in its own order; joins, bot additions and
bot messages are labelled (system, bot) so they stay out of training.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from simulacra.errors import InputError
from simulacra.ingest.common import clean_name, from_epoch
from simulacra.ingest.tree import Tree, is_zip, zip_names
from simulacra.schema import Conversation, Message

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SYSTEM = {"channel_join", "channel_leave", "bot_add", "bot_remove", "channel_topic", "channel_purpose", "channel_name",
           "channel_archive", "channel_unarchive", "group_join", "group_leave", "pinned_item", "file_comment",
           "tombstone", "joiner_notification", "sh_room_created", "huddle_thread", "reminder_add",
           "channel_convert_to_private", "group_topic", "group_purpose", "group_name"}
_CHANNEL_LISTS = ("channels.json", "groups.json", "dms.json", "mpims.json")


def sniff(path: Path, head: str) -> bool:
    if path.is_dir():
        return (path / "users.json").is_file() and (path / "channels.json").is_file()
    return is_zip(path) and _root(zip_names(path)) is not None


def _root(names: list[str]) -> str | None:
    """The export's top inside a zip or folder: where users.json and channels.json sit, at most one
    folder down (zips often wrap everything in one folder). Deeper ones belong to a bigger folder."""
    found = set(names)
    for name in names:
        if name.count("/") <= 1 and (name == "users.json" or name.endswith("/users.json")):
            prefix = name[: -len("users.json")]
            if prefix + "channels.json" in found:
                return prefix
    return None


def parse(path: Path, config: Any) -> Iterator[Conversation]:
    top = Tree(path)
    prefix = _root(top.names())
    if prefix is None:
        raise InputError(path, "expected a Slack export holding users.json and channels.json")
    tree = top.sub(prefix)
    users = _users(tree)
    folders = {n.split("/")[0] for n in tree.names() if "/" in n and _DAY.fullmatch(n.split("/")[-1])}
    for listing in _CHANNEL_LISTS:
        for channel in _channel_list(tree, listing):
            folder = str(channel.get("name") or channel.get("id") or "")
            if folder in folders:
                folders.discard(folder)
                yield _channel(tree, folder, channel, users)
    for folder in sorted(folders):  # day folders no listing names
        yield _channel(tree, folder, {"id": folder, "name": folder}, users)


def _channel_list(tree: Tree, listing: str) -> list[dict]:
    items = tree.json(listing, default=[])
    if not isinstance(items, list):
        raise InputError(tree.label(listing), "expected a list of channels")
    return [c for c in items if isinstance(c, dict)]


def _users(tree: Tree) -> dict[str, str]:
    users = tree.json("users.json")
    if not isinstance(users, list):
        raise InputError(tree.label("users.json"), "expected a list of users")
    names = {}
    for user in users:
        if isinstance(user, dict) and "id" in user:
            profile = user.get("profile") or {}
            names[user["id"]] = clean_name(str(profile.get("display_name") or user.get("real_name")
                                               or profile.get("real_name") or user.get("name") or user["id"]))
    return names


def _channel(tree: Tree, folder: str, channel: dict, users: dict[str, str]) -> Conversation:
    members = [users.get(m, m) for m in channel.get("members") or [] if isinstance(m, str)]
    title = str(channel.get("name") or ", ".join(members) or folder)
    conv = Conversation(id=f"slack-{folder}", source="slack", title=title, participants=[])
    conv.messages = _messages(tree, folder, users)
    return conv


def _messages(tree: Tree, folder: str, users: dict[str, str]) -> Iterator[Message]:
    days = sorted(n for n in tree.names() if n.startswith(folder + "/") and _DAY.fullmatch(n[len(folder) + 1:]))
    for day in days:
        items = tree.json(day)
        if not isinstance(items, list):
            raise InputError(tree.label(day), "expected a list of messages")
        for i, raw in enumerate(items):
            try:
                yield convert(raw, users)
            except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
                raise InputError(tree.label(day), f"expected a Slack message ({e})", record=f"[{i}]") from None


def convert(raw: dict, users: dict[str, str]) -> Message:
    """One Slack message: `<@U1>` mentions become `@Name`, subtypes become kinds."""
    if not isinstance(raw, dict):
        raise TypeError(f"a JSON object, not {type(raw).__name__}")
    subtype = raw.get("subtype")
    user = raw.get("user")
    speaker = users.get(user) if user else None
    bot_name = (raw.get("bot_profile") or {}).get("name")
    speaker = speaker or str(raw.get("username") or bot_name or user or raw.get("bot_id") or "")
    text = _MENTION.sub(lambda m: "@" + users.get(m.group(1), m.group(1)), str(raw.get("text") or ""))
    if subtype in _SYSTEM:
        kind = "system"
    elif subtype == "bot_message" or (raw.get("bot_id") and not user):
        kind = "bot"
    elif not text and (raw.get("files") or raw.get("file")):
        kind, text = "media", " ".join(f"<{f.get('name', 'file')}>" for f in raw.get("files") or [raw["file"]])
    else:
        kind = "text"
    ts, thread = str(raw["ts"]), raw.get("thread_ts")
    return Message(speaker=clean_name(speaker), text=text, time=slack_time(ts), source_id=ts,
                   reply_to=str(thread) if thread and thread != ts else None, kind=kind, edited=bool(raw.get("edited")))


def slack_time(ts: str) -> datetime:
    """'1450000000.000100' → aware UTC, exact to the microsecond (a float would round it)."""
    seconds, _, fraction = ts.partition(".")
    return from_epoch(int(seconds)).replace(microsecond=int((fraction + "000000")[:6]))
