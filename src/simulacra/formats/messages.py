"""OpenAI-style chat messages -> the training prompt: who speaks, merged turns, system text, prompt ids.

    prompt_messages(renderer, [{"role": "user", "content": "where are you?"},
                               {"role": "user", "content": "??"}], persona="Ana", user="Ben")
    == renderer.prompt(system, [Turn("Ben", "where are you?\\n??")], "Ana")

The persona (the trained speaker) is the assistant; the user is the chat partner, or the message's
`name` when one is given (group chats). Consecutive messages of one speaker become one turn joined
by newlines, exactly as prepare merged a burst of messages. A system message adds a line to the
persona's system text (a message repeating that text adds nothing), so the training prefix is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulacra.formats.render import Renderer
from simulacra.schema import Turn


@dataclass(frozen=True)
class ChatNames:
    """The names an exported chat template fixes: `system` is the persona's system text (None: none)."""

    persona: str
    user: str
    system: str | None


def chat_names(renderer: Renderer, persona: str, user: str, speakers: list[str] | None = None) -> ChatNames:
    """The names plus the system text training used for a chat of `speakers` (in order of first message)."""
    return ChatNames(persona, user, renderer.system_text(None, speakers or [persona, user]))


def speaker_of(message: dict, names: ChatNames, assistant_names: bool = False) -> str:
    if message.get("role") == "assistant":
        return (message.get("name") if assistant_names else None) or names.persona
    return message.get("name") or names.user


def to_turns(messages: list[dict], names: ChatNames, assistant_names: bool = False,
             clean: bool = False) -> tuple[str | None, list[Turn]]:
    """(system text, merged turns) for OpenAI-style messages; unknown roles count as the user.

    The defaults are what exported chat templates do (they see only role and content). The server asks for
    more: `assistant_names` lets an assistant message's `name` say which member spoke (group chats), and
    `clean` strips each message and skips empty ones, so a client's stray blank message adds no empty turn."""
    system = names.system
    turns: list[Turn] = []
    for m in messages:
        content = m.get("content") or ""
        if clean:
            content = content.strip()
            if not content:
                continue
        if m.get("role") == "system":
            if content != names.system:
                system = f"{system}\n{content}" if system else content
            continue
        who = speaker_of(m, names, assistant_names)
        if turns and turns[-1].speaker == who:
            turns[-1] = Turn(who, turns[-1].text + "\n" + content)  # prepare's merge_turns join
        else:
            turns.append(Turn(who, content))
    return system, turns


def prompt_messages(renderer: Renderer, messages: list[dict], persona: str, user: str,
                    speakers: list[str] | None = None) -> list[int]:
    """Prompt ids that make the model answer `messages` as `persona`, rendered exactly as in training."""
    system, turns = to_turns(messages, chat_names(renderer, persona, user, speakers))
    return renderer.prompt(system, turns, persona)
