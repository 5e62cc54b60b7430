"""Render turns in one of five prompt styles, building ids and the loss mask together.

Each part is encoded on its own and concatenated, so the mask boundary never depends on how BPE
merges across it. The default `roles` style is ChatML with speakers' names as roles:

    <|im_start|>system\\nA chat between Ana and Ben.<|im_end|>\\n      mask 0
    <|im_start|>Ben\\n  where are you?<|im_end|>  \\n                 mask 0
    <|im_start|>Ana\\n                                              mask 0
                      on my way<|im_end|>                           mask 1  (Ana is trained)
                                         \\n                         mask 0

The other styles (`make_renderer(style, ...)`):

    speaker-tokens  A chat between Ana and Ben.\\n[Ben]where are you?<|im_end|>\\n[Ana]on my way<|im_end|>\\n
                    ([Ana] and [Ben] are new special tokens, one per speaker)
    instruct        <|im_start|>system\\nYou are a chat model trained to simulate conversations between Ana
                    and Ben.<|im_end|>\\n<|im_start|>user\\nBen: where are you?\\n\\nHow does the conversation
                    continue?<|im_end|>\\n<|im_start|>assistant\\nAna: on my way<|im_end|>\\n
                    (the response is the window's last run of trained speakers' turns)
    segments        template-free text: the system text (e.g. `--persona-file`), then `Name: text<eos>\\n`
                    per turn; spans are labelled trained or not (axolotl's `input_output`)
    completion      prompt/completion pairs: `Ben: where are you?\\nAna:` then ` on my way<eos>`

In every style only the trained speakers' words plus the end-of-turn token carry loss, and the
generation prompt (`prompt()`) ends by naming the speaker who talks next.
"""

from __future__ import annotations

from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.schema import Turn

IM_START, IM_END = "<|im_start|>", "<|im_end|>"
EOS_CANDIDATES = ("<|endoftext|>", "</s>", "<eos>", "<|end_of_text|>")
STYLES = ("roles", "speaker-tokens", "instruct", "segments", "completion")
INSTRUCT_QUESTION = "How does the conversation continue?"

Ids = list[int]


def default_system_prompt(participants: list[str]) -> str:
    names = [p for p in participants if p]
    if len(names) <= 1:
        return f"A chat with {names[0]}." if names else "A chat."
    return f"A chat between {', '.join(names[:-1])} and {names[-1]}."


def speaker_token(name: str) -> str:
    return f"[{name}]"


class Renderer:
    """Base: a system part, then one part per turn; subclasses choose the header and end token.

    `personas` ({"Ana": "29, nurse in Porto"}) are appended to the system text for the speakers
    present, in training and at generation alike. `windowing` tells prepare how to cut sessions.
    """

    style = "base"
    windowing = "windows"  # or "pairs" (one example per trained turn and the turn before it)

    def __init__(self, tokenizer: ChatTokenizer, personas: dict[str, str] | None = None,
                 system_prompt: str | None = None):
        self.tok = tokenizer
        self.personas = dict(personas or {})
        self.system_prompt = system_prompt
        self.end = self._end_token()
        self.stop_token_id = tokenizer.token_id(self.end)

    def _end_token(self) -> str:
        self.tok.ensure_special_tokens([IM_START, IM_END])
        return IM_END

    # --- system text -------------------------------------------------------------------------
    def default_system(self, speakers: list[str]) -> str | None:
        return default_system_prompt(speakers)

    def system_text(self, given: str | None, speakers: list[str]) -> str | None:
        """The system text for these speakers: the configured prompt, else `given`, else the style's
        default; plus the persona lines of the speakers present."""
        base = self.system_prompt or given
        if base is None:
            base = self.default_system(speakers)
        lines = [f"{name}: {self.personas[name]}" for name in speakers if name in self.personas]
        if lines:
            base = "\n".join(([base] if base else []) + lines)
        return base

    def system(self, text: str | None) -> Ids:
        return self.turn("system", text, False)[0] if text else []

    # --- turns -------------------------------------------------------------------------------
    def header(self, speaker: str) -> Ids:
        return self.tok.encode(f"{IM_START}{speaker}\n")

    def turn(self, speaker: str, text: str, trained: bool) -> tuple[Ids, Ids]:
        """One turn: header (masked), content plus end token (trained if `trained`), newline (masked)."""
        head, body, tail = self.header(speaker), self.tok.encode(text + self.end), self.tok.encode("\n")
        flag = 1 if trained else 0
        return head + body + tail, [0] * len(head) + [flag] * len(body) + [0] * len(tail)

    def render(self, system_text: str | None, turns: list[Turn], targets: set[str]) -> tuple[Ids, Ids]:
        """A whole example: ids and the 0/1 mask (1 on the targets' words and end tokens)."""
        ids = self.system(system_text)
        mask = [0] * len(ids)
        for t in turns:
            t_ids, t_mask = self.turn(t.speaker, t.text, t.speaker in targets)
            ids += t_ids
            mask += t_mask
        return ids, mask

    def prompt(self, system_text: str | None, history: list[Turn], next_speaker: str) -> Ids:
        """Ids that make a model continue as `next_speaker`: the history, then that speaker's header."""
        ids = self.system(system_text)
        for t in history:
            ids += self.turn(t.speaker, t.text, False)[0]
        return ids + self.header(next_speaker)

    def new_tokens(self) -> list[str]:
        return []


class RolesRenderer(Renderer):
    """ChatML with names as roles; `stop_token_id` ends a generated turn."""

    style = "roles"


class SpeakerTokensRenderer(Renderer):
    """`[Name]` special tokens mark who speaks; the system text is plain text on the first line."""

    style = "speaker-tokens"

    def __init__(self, tokenizer: ChatTokenizer, speakers: list[str], **kw):
        super().__init__(tokenizer, **kw)
        self.names = list(speakers)
        tokenizer.ensure_special_tokens([speaker_token(n) for n in self.names])

    def add_speaker(self, name: str) -> None:
        if name not in self.names:
            self.names.append(name)
            self.tok.ensure_special_tokens([speaker_token(name)])

    def header(self, speaker: str) -> Ids:
        token_id = self.tok.token_id(speaker_token(speaker))
        if token_id is None:  # a name the model never saw: spell it (generation only)
            return self.tok.encode(speaker_token(speaker))
        return [token_id]

    def system(self, text: str | None) -> Ids:
        return self.tok.encode(text + "\n") if text else []

    def new_tokens(self) -> list[str]:
        return [speaker_token(n) for n in self.names]


class SegmentsRenderer(Renderer):
    """Template-free: plain system text, then `Name: text<eos>` lines; trained spans are labelled."""

    style = "segments"

    def _end_token(self) -> str:
        return _eos(self.tok)

    def header(self, speaker: str) -> Ids:
        return self.tok.encode(f"{speaker}: ")

    def system(self, text: str | None) -> Ids:
        return self.tok.encode(text + "\n\n") if text else []


class InstructRenderer(Renderer):
    """The seeds' system + user wrapping: the history as `Name: text` lines in one user message,
    the trained speakers' next turn(s) as the assistant's answer."""

    style = "instruct"
    windowing = "ending"

    def default_system(self, speakers: list[str]) -> str:
        names = [s for s in speakers if s]
        who = default_system_prompt(names).removeprefix("A chat ").rstrip(".")
        return f"You are a chat model trained to simulate conversations {who}."

    def _wrap(self, role: str, text: str) -> Ids:
        return self.tok.encode(f"{IM_START}{role}\n{text}{IM_END}\n")

    def _user(self, history: list[Turn]) -> Ids:
        lines = "\n".join(f"{t.speaker}: {t.text}" for t in history)
        return self._wrap("user", f"{lines}\n\n{INSTRUCT_QUESTION}" if lines else INSTRUCT_QUESTION)

    def header(self, speaker: str) -> Ids:
        return self.tok.encode(f"{IM_START}assistant\n{speaker}: ")

    def system(self, text: str | None) -> Ids:
        return self._wrap("system", text) if text else []

    def render(self, system_text, turns, targets):
        end = len(turns)
        while end > 0 and turns[end - 1].speaker not in targets:
            end -= 1  # later turns by others have no answer to train in this window
        split = end
        while split > 0 and turns[split - 1].speaker in targets:
            split -= 1
        if end == 0:
            ids = self.system(system_text) + self._user(turns)
            return ids, [0] * len(ids)
        context, response = turns[:split], turns[split:end]
        ids = self.prompt(system_text, context, response[0].speaker)
        mask = [0] * len(ids)
        text = response[0].text + "".join(f"\n{t.speaker}: {t.text}" for t in response[1:])
        body, tail = self.tok.encode(text + IM_END), self.tok.encode("\n")
        return ids + body + tail, mask + [1] * len(body) + [0] * len(tail)

    def prompt(self, system_text, history, next_speaker):
        return self.system(system_text) + self._user(history) + self.header(next_speaker)


class CompletionRenderer(Renderer):
    """Prompt/completion pairs: `Ben: where are you?\\nAna:` (masked) then ` on my way<eos>` (trained).

    Only a configured system prompt or persona lines are prepended; the default has none.
    """

    style = "completion"
    windowing = "pairs"

    def _end_token(self) -> str:
        return _eos(self.tok)

    def default_system(self, speakers):
        return None

    def system(self, text: str | None) -> Ids:
        return self.tok.encode(text + "\n\n") if text else []

    def render(self, system_text, turns, targets):
        *context, last = turns
        ids = self.prompt(system_text, context, last.speaker)
        body = self.tok.encode(f" {last.text}{self.end}")
        return ids + body, [0] * len(ids) + [1 if last.speaker in targets else 0] * len(body)

    def prompt(self, system_text, history, next_speaker):
        prev = f"{history[-1].speaker}: {history[-1].text}\n" if history else ""
        return self.system(system_text) + self.tok.encode(f"{prev}{next_speaker}:")


def _eos(tok: ChatTokenizer) -> str:
    """The tokenizer's own end-of-text token, or <|im_end|> added as one."""
    for candidate in EOS_CANDIDATES:
        if tok.token_id(candidate) is not None:
            return candidate
    tok.ensure_special_tokens([IM_END])
    return IM_END


def make_renderer(style: str, tokenizer: ChatTokenizer, *, speakers: list[str] | None = None,
                  personas: dict[str, str] | None = None, system_prompt: str | None = None) -> Renderer:
    """The renderer of a style; `speakers` (everyone who talks) is needed by speaker-tokens."""
    kw = {"personas": personas, "system_prompt": system_prompt}
    if style == "speaker-tokens":
        return SpeakerTokensRenderer(tokenizer, speakers or [], **kw)
    classes = {"roles": RolesRenderer, "instruct": InstructRenderer, "segments": SegmentsRenderer,
               "completion": CompletionRenderer}
    if style not in classes:
        raise ValueError(f"unknown style {style!r}; expected one of {', '.join(STYLES)}")
    return classes[style](tokenizer, **kw)


def renderer_for(config, tokenizer: ChatTokenizer) -> Renderer:
    """The renderer a prepared dataset was made with (from its saved PrepareConfig)."""
    return make_renderer(getattr(config, "style", "roles"), tokenizer, speakers=list(config.speaker_tokens),
                         personas=config.personas, system_prompt=config.system_prompt)
