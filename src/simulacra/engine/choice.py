"""Which decoder runs a persona: `auto` takes CTranslate2 when installed (and no hidden states are needed), else torch."""

from __future__ import annotations

ENGINES = ("auto", "torch", "ctranslate2")


def pick_engine(engine: str, needs_hidden_states: bool = False, announce: bool = True) -> str:
    """Resolve `auto`, check the choice can run, and print it (one line) so a user knows which one answered."""
    from simulacra.engine.ctranslate2_backend import available
    from simulacra.errors import SimulacraError

    if engine not in ENGINES:
        raise SimulacraError(f"--engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if engine == "ctranslate2" and not available():
        raise SimulacraError("--engine ctranslate2: not installed (pip install 'simulacra[fast]')")
    why = ""
    if engine == "auto":
        if needs_hidden_states:
            engine, why = "torch", " (hidden states needed)"
        elif available():
            engine = "ctranslate2"
        else:
            engine, why = "torch", " (ctranslate2 not installed)"
    if announce:
        from simulacra.ui import console

        console.print(f"[dim]engine: {engine}{why}[/]")
    return engine


def ctranslate2_backend(persona, compute_type: str):
    """A CTranslate2 backend for a persona, converting (once, cached by weights hash) what is not converted yet."""
    from simulacra.engine.ctranslate2_backend import CTranslate2Backend, folder_hash

    run, vocab, base_name = persona.run, len(persona.tokenizer), persona.run.base_model_name()
    stop = persona.renderer.end

    def base_dir():
        out = run.converted("ctranslate2-base", _text_hash(f"{base_name}|{vocab}"))
        return out if out.is_dir() else _convert(persona, out, tuned=False)

    if persona.tuned:
        tuned = run.converted("ctranslate2", folder_hash(run.require_weights(), base_name or ""))
        tuned = tuned if tuned.is_dir() else _convert(persona, tuned, tuned=True)
    else:
        tuned = base_dir()
    return CTranslate2Backend(tuned, base_dir, persona.renderer.stop_token_id, persona.torch_backend,
                              compute_type=compute_type)


def _convert(persona, out, tuned: bool):
    from simulacra.engine.ctranslate2_backend import convert
    from simulacra.models.load import load_base_model, load_tuned_model
    from simulacra.ui import status

    vocab, base_name = len(persona.tokenizer), persona.run.base_model_name()
    with status(f"Converting the {'tuned' if tuned else 'base'} model for CTranslate2 (once)"):
        if tuned:
            model = load_tuned_model(persona.run, base_name, vocab)
            if hasattr(model, "merge_and_unload"):
                model = model.merge_and_unload()
        else:
            model = load_base_model(base_name, vocab).eval()
        return convert(model, persona.tokenizer, persona.renderer.end, out)


def _text_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()
