"""Ollama export: a Modelfile whose TEMPLATE, run with Go template semantics, is the training prompt."""

from __future__ import annotations

import re

import pytest

from formats.gotemplate import render as go_render
from simulacra import export
from simulacra.errors import SimulacraError

CHAT = [{"role": "user", "content": "where are you?"}, {"role": "assistant", "content": "on my way"},
        {"role": "assistant", "content": "ngl i forgot"}, {"role": "user", "content": "ok"}]


def parse_modelfile(text: str) -> dict:
    """Instruction -> values, reading triple-quoted values the way Ollama's parser does."""
    out: dict[str, list[str]] = {}
    for m in re.finditer(r'^(FROM|TEMPLATE|SYSTEM|PARAMETER) (?:"""(.*?)"""|([^\n]*))$', text, re.M | re.S):
        out.setdefault(m.group(1), []).append(m.group(2) if m.group(2) is not None else m.group(3))
    return out


@pytest.mark.parametrize("run_name", ["tiny_run", "tokens_run"])
def test_modelfile_template_renders_the_training_prompt(request, run_name):
    from simulacra.formats.render import renderer_for
    from simulacra.rundir import RunDir
    from simulacra.schema import Turn

    run = request.getfixturevalue(run_name)
    folder = export.run(export.ExportConfig(run_dir=run, format="ollama"))
    assert folder == run / "export" / "ollama"
    assert sorted(p.name for p in folder.iterdir()) == ["Modelfile", "ana-q8_0.gguf"]
    mf = parse_modelfile((folder / "Modelfile").read_text(encoding="utf-8"))
    assert mf["FROM"] == ["./ana-q8_0.gguf"]
    assert mf["PARAMETER"] == ['stop "<|im_end|>"', "temperature 0.8", "top_p 0.9", "top_k 50", "repeat_penalty 1.0"]
    # Ollama's penalty would cover the prompt's last tokens too, so it is off, and the file says why
    text = (folder / "Modelfile").read_text(encoding="utf-8")
    assert "repeat_last_n" in text and "# No repetition penalty" in text
    renderer = renderer_for(RunDir(run).dataset_spec(), RunDir(run).tokenizer())
    system = renderer.system_text(None, ["Ben", "Ana"])
    assert mf["SYSTEM"] == [system]
    history = [Turn("Ben", "where are you?"), Turn("Ana", "on my way\nngl i forgot"), Turn("Ben", "ok")]
    # Ollama puts the Modelfile's SYSTEM first when the request has no system message
    messages = [{"Role": "system", "Content": system}] + [{"Role": m["role"], "Content": m["content"]} for m in CHAT]
    text = go_render(mf["TEMPLATE"][0], {"Messages": messages})
    assert text == renderer.tok.decode(renderer.prompt(system, history, "Ana"))
    # a request's own system message adds to the persona's text
    messages[0]["Content"] = "Be brief."
    text = go_render(mf["TEMPLATE"][0], {"Messages": messages})
    assert text == renderer.tok.decode(renderer.prompt(f"{system}\nBe brief.", history, "Ana"))


def test_triple_quotes_cannot_reach_the_modelfile():
    from simulacra.export.ollama import modelfile

    with pytest.raises(SimulacraError, match='SYSTEM contains """'):
        modelfile("a.gguf", "{{ .Prompt }}", 'say """hi"""', "<|im_end|>")
