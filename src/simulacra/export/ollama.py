"""The `ollama` format: a folder with the GGUF and a Modelfile that `ollama create` reads.

    simulacra export runs/ana --format ollama
    ollama create ana -f runs/ana/export/ollama/Modelfile && ollama run ana

Ollama knows only the roles system/user/assistant, so the TEMPLATE maps them to the trained names
and headers (assistant = the persona, user = the chat partner), merges consecutive messages of one
side like prepare did, and ends with the persona's header; `PARAMETER stop` is the end-of-turn token
and SYSTEM the persona's system text (a request's own system message is added after it).
"""

from __future__ import annotations

from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.export.config import ExportConfig

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
              f"PARAMETER top_p {chat.top_p}", f"PARAMETER repeat_penalty {chat.repetition_penalty}"]
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
