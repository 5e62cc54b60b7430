"""Render turns as ChatML with speakers' names as roles, building ids and the loss mask together.

Each part is encoded on its own and concatenated, so the mask boundary never depends on how BPE
merges across it:

    <|im_start|>system\\nA chat between Ana and Ben.<|im_end|>\\n      mask 0
    <|im_start|>Ben\\n  where are you?<|im_end|>  \\n                 mask 0
    <|im_start|>Ana\\n                                              mask 0
                      on my way<|im_end|>                           mask 1  (Ana is trained)
                                         \\n                         mask 0
"""

from __future__ import annotations

from simulacra.models.tokenizer import ChatTokenizer
from simulacra.schema import Turn

IM_START, IM_END = "<|im_start|>", "<|im_end|>"


class RolesRenderer:
    """ChatML with names as roles; `stop_token_id` ends a generated turn."""

    def __init__(self, tokenizer: ChatTokenizer):
        tokenizer.ensure_special_tokens([IM_START, IM_END])
        self.tok = tokenizer
        self.stop_token_id = tokenizer.token_id(IM_END)

    def header(self, role: str) -> list[int]:
        return self.tok.encode(f"{IM_START}{role}\n")

    def turn(self, role: str, text: str, trained: bool) -> tuple[list[int], list[int]]:
        """One turn: header (masked), content plus end token (trained if `trained`), newline (masked)."""
        head, body, tail = self.header(role), self.tok.encode(text + IM_END), self.tok.encode("\n")
        flag = 1 if trained else 0
        return head + body + tail, [0] * len(head) + [flag] * len(body) + [0] * len(tail)

    def system(self, text: str | None) -> list[int]:
        return self.turn("system", text, False)[0] if text else []

    def prompt(self, system_text: str | None, history: list[Turn], next_speaker: str) -> list[int]:
        """Ids that make a model continue as `next_speaker`: the history, then that speaker's header."""
        ids = self.system(system_text)
        for t in history:
            ids += self.turn(t.speaker, t.text, False)[0]
        return ids + self.header(next_speaker)


def default_system_prompt(participants: list[str]) -> str:
    names = [p for p in participants if p]
    if len(names) <= 1:
        return f"A chat with {names[0]}." if names else "A chat."
    return f"A chat between {', '.join(names[:-1])} and {names[-1]}."
