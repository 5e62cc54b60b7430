"""OpenAI chat messages -> the turns a persona was trained on (system text, history, who speaks next).

The persona is the assistant; a user message is the chat's other person unless its `name` says who
(in group chats, any member); an assistant message is the persona unless its `name` names another
member. Consecutive messages of one speaker merge into one turn joined by newlines, the way prepare
merged them, and `system` messages add to the persona's system text.

    [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"},
     {"role": "user", "content": "you there?"}]
    -> system "A chat between Ben and Ana.\\nBe brief.", [Turn("Ben", "hi\\nyou there?")], next "Ana"
"""

from __future__ import annotations

from dataclasses import dataclass

from simulacra.schema import Turn


@dataclass
class Conversation:
    system_extra: str | None
    history: list[Turn]


def to_turns(messages: list[dict], speaker: str, user: str) -> Conversation:
    """Map already-validated messages ({"role", "content", "name"?}) to merged turns."""
    extra: list[str] = []
    turns: list[Turn] = []
    for m in messages:
        text = (m.get("content") or "").strip()
        if m["role"] == "system":
            if text:
                extra.append(text)
            continue
        who = m.get("name") or (speaker if m["role"] == "assistant" else user)
        if not text:
            continue
        if turns and turns[-1].speaker == who:
            turns[-1] = Turn(who, turns[-1].text + "\n" + text)
        else:
            turns.append(Turn(who, text))
    return Conversation("\n".join(extra) or None, turns)


def system_text(base: str | None, extra: str | None) -> str | None:
    """The persona's system text with the request's system messages appended."""
    parts = [p for p in (base, extra) if p]
    return "\n".join(parts) or None
