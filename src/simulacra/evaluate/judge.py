"""The automatic blind judge: the run's own tuned or base side, or any local model, picks the likeliest reply."""

from __future__ import annotations

from simulacra.engine import SIDES


def run_judge(persona, moments, judge: str) -> dict:
    """'tuned' or 'base' judge with the run's own model (prompts exactly as trained); anything else is a model
    folder or id loaded beside it, reading ChatML prompts with the speakers' names as roles."""
    from simulacra.evaluate.blind import judge_picks, score_candidates

    labels = list(SIDES)
    if judge in SIDES:
        side = persona.side(judge)
        result = judge_picks(moments, labels, lambda rows: score_candidates(side, persona.renderer, rows),
                             lambda m: m.prompt)
        return {"judge": judge, **result}
    from simulacra.engine.torch_backend import TorchBackend
    from simulacra.formats.render import RolesRenderer
    from simulacra.formats.tokenizer import ChatTokenizer
    from simulacra.models.embedded import resolve_tokenizer
    from simulacra.models.load import load_base_model

    renderer = RolesRenderer(ChatTokenizer.load(resolve_tokenizer(judge)))
    backend = TorchBackend(load_base_model(judge, len(renderer.tok)).eval(), renderer.stop_token_id)
    result = judge_picks(moments, labels, lambda rows: score_candidates(backend, renderer, rows),
                         lambda m: renderer.prompt(m.system, m.history, m.speaker))
    return {"judge": judge, **result}
