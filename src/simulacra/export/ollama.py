"""The `ollama` format: a folder with the GGUF and a Modelfile that `ollama create` reads.

    simulacra export runs/ana --format ollama
    ollama create ana -f runs/ana/export/ollama/Modelfile && ollama run ana

Ollama knows only the roles system/user/assistant, so the TEMPLATE maps them to the trained names
and headers (assistant = the persona, user = the chat partner), merges consecutive messages of one
side like prepare did, and ends with the persona's header; `PARAMETER stop` is the end-of-turn token
and SYSTEM the persona's system text (a request's own system message is added after it). Sampling is
`simulacra chat`'s, except the repetition penalty, which Ollama cannot keep off the prompt (see NO_PENALTY).
"""

from __future__ import annotations

from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.export.config import ExportConfig

# Ollama's runner feeds every prompt token to its sampler, so repeat_penalty (default 1.1, over the last
# repeat_last_n = 64 tokens) covers the previous turn and its end-of-turn token, and no setting limits it to the
# reply. Penalising the history that way gave 15.6 % looping turns on the demo, against 9.4 % with no penalty and
# 0 % with our reply-only one (docs/benchmarks.md), so the Modelfile turns it off rather than leave Ollama's 1.1.
NO_PENALTY = 1.0
PENALTY_NOTE = ["# No repetition penalty: `simulacra chat` penalises only the reply's own tokens (1.1), but Ollama's",
                "# repeat_penalty also covers the prompt's last repeat_last_n tokens (the previous turn and its end",
                "# token), and penalising those made replies run on and loop."]


def modelfile(gguf_file: str, template: str, system: str | None, stop: str) -> str:
    """The Modelfile text; triple quotes hold multi-line values, so they may not appear inside them."""
    from simulacra.engine.sampling import Sampling

    for label, text in (("TEMPLATE", template), ("SYSTEM", system or "")):
        if '"""' in text:
            raise SimulacraError(f'export --format ollama: the {label} contains """, which a Modelfile cannot hold')
    chat = Sampling()  # the engine's defaults, so Ollama samples like `simulacra chat`
    lines = ["# Written by `simulacra export --format ollama`. Create the model with:",
             "#   ollama create NAME -f Modelfile", f"FROM ./{gguf_file}", f'TEMPLATE """{template}"""']
    if system:
        lines.append(f'SYSTEM """{system}"""')
    lines += [f'PARAMETER stop "{stop}"', f"PARAMETER temperature {chat.temperature}",
              f"PARAMETER top_p {chat.top_p}", f"PARAMETER top_k {chat.top_k}", *PENALTY_NOTE,
              f"PARAMETER repeat_penalty {NO_PENALTY}"]
    return "\n".join(lines) + "\n"


def export_ollama(config: ExportConfig, tmp: Path) -> str:
    from simulacra.export.gguf import gguf_name, slug, write_gguf
    from simulacra.export.merged import load_merged
    from simulacra.formats.templates import go_template

    merged = load_merged(config)
    name = gguf_name(merged.names.persona, config.quant)
    write_gguf(merged, tmp / name, config.quant)
    text = modelfile(name, go_template(merged.renderer, merged.names), merged.names.system, merged.renderer.end)
    (tmp / "Modelfile").write_text(text, encoding="utf-8")
    return f"Ollama model ({config.quant}); run `ollama create {slug(merged.names.persona)} -f {config.out_dir() / 'Modelfile'}`"
