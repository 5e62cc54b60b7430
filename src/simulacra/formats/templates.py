"""Chat templates that render OpenAI-style messages into exactly the training prompt of a style.

    jinja_template(renderer, names)   # transformers' `apply_chat_template`, GGUF `tokenizer.chat_template`
    go_template(renderer, names)      # Ollama's TEMPLATE (Go text/template over .Messages)

Both follow `formats.messages.to_turns`: the assistant is the persona, the user is the chat partner
(or a message's `name`, Jinja only: Ollama has no names), consecutive messages of one speaker are one
turn joined by newlines, and a system message adds a line to the persona's system text. The names
and the system text are fixed at export time (`ChatNames`). Every template is one state machine over
the messages (no look-ahead), written once per language with the style's pieces filled in.
"""

from __future__ import annotations

import json

from simulacra.formats.messages import ChatNames
from simulacra.formats.render import IM_END, IM_START, INSTRUCT_QUESTION, Renderer

# style -> (system open, system close, header prefix, header suffix); the end of a turn is renderer.end + "\n".
TURN_LAYOUTS = {
    "roles": (f"{IM_START}system\n", f"{IM_END}\n", IM_START, "\n"),
    "speaker-tokens": ("", "\n", "[", "]"),
    "segments": ("", "\n\n", "", ": "),
}
INSTRUCT = (f"{IM_START}system\n", f"{IM_END}\n")
COMPLETION = ("", "\n\n")


def q(text: str) -> str:
    """A string literal valid in Jinja (unicode-escape decoding) and in Go (interpreted string)."""
    return json.dumps(text, ensure_ascii=False)


# --- Jinja --------------------------------------------------------------------------------------
def jinja_template(renderer: Renderer, names: ChatNames) -> str:
    """A Jinja chat template; `add_generation_prompt` ends it with the persona's header."""
    style = renderer.style
    if style in TURN_LAYOUTS:
        so, sc, hp, hs = TURN_LAYOUTS[style]
        body = ("{%- if who == ns.prev -%}{{ '\\n' + m['content'] }}"
                "{%- else -%}{%- if ns.prev is not none -%}{{ END }}{%- endif -%}"
                "{{ HP + who + HS + m['content'] }}{%- endif -%}")
        tail = "{%- if ns.prev is not none -%}{{ END }}{%- endif -%}\n" \
               "{%- if add_generation_prompt -%}{{ HP + P + HS }}{%- endif -%}"
        consts = {"HP": hp, "HS": hs, "END": renderer.end + "\n"}
    elif style == "instruct":
        (so, sc), consts = INSTRUCT, {"Q": INSTRUCT_QUESTION}
        body = ("{%- if who == ns.prev -%}{%- set ns.text = ns.text + '\\n' + m['content'] -%}"
                "{%- elif ns.text -%}{%- set ns.text = ns.text + '\\n' + who + ': ' + m['content'] -%}"
                "{%- else -%}{%- set ns.text = who + ': ' + m['content'] -%}{%- endif -%}")
        tail = ("{{ '" + IM_START + "user\\n' }}{%- if ns.text -%}{{ ns.text + '\\n\\n' }}{%- endif -%}"
                "{{ Q + '" + IM_END + "\\n' }}\n"
                "{%- if add_generation_prompt -%}{{ '" + IM_START + "assistant\\n' + P + ': ' }}{%- endif -%}")
    elif style == "completion":
        (so, sc), consts = COMPLETION, {}
        body = ("{%- if who == ns.prev -%}{%- set ns.text = ns.text + '\\n' + m['content'] -%}"
                "{%- else -%}{%- set ns.text = who + ': ' + m['content'] -%}{%- endif -%}")
        tail = ("{%- if ns.prev is not none -%}{{ ns.text + '\\n' }}{%- endif -%}\n"
                "{%- if add_generation_prompt -%}{{ P + ':' }}{%- endif -%}")
    else:
        raise ValueError(f"no chat template for style {renderer.style!r}")
    consts = {"P": names.persona, "U": names.user, "S": names.system or "", "SO": so, "SC": sc, **consts}
    lines = ["{%- set " + k + " = " + q(v) + " -%}" for k, v in consts.items()]
    lines += [
        "{%- set ns = namespace(sys=S, prev=none, text='') -%}",
        "{%- for m in messages -%}{%- if m['role'] == 'system' and m['content'] != S -%}"
        "{%- set ns.sys = ns.sys + '\\n' + m['content'] if ns.sys else m['content'] -%}{%- endif -%}{%- endfor -%}",
        "{%- if ns.sys -%}{{ SO + ns.sys + SC }}{%- endif -%}",
        "{%- for m in messages -%}{%- if m['role'] != 'system' -%}",
        "{%- set who = P if m['role'] == 'assistant' else (m.get('name') or U) -%}",
        body,
        "{%- set ns.prev = who -%}",
        "{%- endif -%}{%- endfor -%}",
        tail,
    ]
    return "\n".join(lines)


# --- Go text/template (Ollama) ------------------------------------------------------------------
def go_template(renderer: Renderer, names: ChatNames) -> str:
    """Ollama's TEMPLATE: always ends with the persona's header (Ollama appends the reply there)."""
    style = renderer.style
    if style in TURN_LAYOUTS:
        so, sc, hp, hs = TURN_LAYOUTS[style]
        consts = {"HP": hp, "HS": hs, "END": renderer.end + "\n"}
        body = ('{{- if eq $who $prev }}{{ "\\n" }}{{ .Content }}'
                "{{- else }}{{ if $prev }}{{ $END }}{{ end }}{{ $HP }}{{ $who }}{{ $HS }}{{ .Content }}{{ end }}")
        tail = "{{- if $prev }}{{ $END }}{{ end }}{{ $HP }}{{ $P }}{{ $HS }}"
    elif style == "instruct":
        (so, sc), consts = INSTRUCT, {"Q": INSTRUCT_QUESTION, "UO": f"{IM_START}user\n",
                                      "AO": f"{IM_END}\n{IM_START}assistant\n"}
        body = ('{{- if eq $who $prev }}{{ $text = print $text "\\n" .Content }}'
                '{{- else if $text }}{{ $text = print $text "\\n" $who ": " .Content }}'
                '{{- else }}{{ $text = print $who ": " .Content }}{{ end }}')
        tail = '{{- $UO }}{{ if $text }}{{ $text }}{{ "\\n\\n" }}{{ end }}{{ $Q }}{{ $AO }}{{ $P }}{{ ": " }}'
    elif style == "completion":
        (so, sc), consts = COMPLETION, {}
        body = ('{{- if eq $who $prev }}{{ $text = print $text "\\n" .Content }}'
                '{{- else }}{{ $text = print $who ": " .Content }}{{ end }}')
        tail = '{{- if $prev }}{{ $text }}{{ "\\n" }}{{ end }}{{ $P }}{{ ":" }}'
    else:
        raise ValueError(f"no chat template for style {renderer.style!r}")
    consts = {"P": names.persona, "U": names.user, "S": names.system or "", "SO": so, "SC": sc, **consts}
    lines = ["{{- $" + k + " := " + q(v) + " }}" for k, v in consts.items()]
    lines += [
        '{{- $sys := $S }}{{ $prev := "" }}{{ $text := "" }}',
        '{{- range .Messages }}{{ if and (eq .Role "system") (ne .Content $S) }}'
        '{{ if $sys }}{{ $sys = print $sys "\\n" .Content }}{{ else }}{{ $sys = .Content }}{{ end }}{{ end }}{{ end }}',
        "{{- if $sys }}{{ $SO }}{{ $sys }}{{ $SC }}{{ end }}",
        '{{- range .Messages }}{{ if ne .Role "system" }}',
        '{{- $who := $U }}{{ if eq .Role "assistant" }}{{ $who = $P }}{{ end }}',
        body,
        "{{- $prev = $who }}{{ end }}{{ end }}",
        tail,
    ]
    return "\n".join(lines)
