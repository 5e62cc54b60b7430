"""What a steering vector does: replies to held-out moments at several strengths, scored two ways.

Sentiment comes from VADER (a lexicon that ships offline in `vadersentiment`, compound score -1…1);
the projection is how far the reply's own state at the vector's layer lies along the vector. Both
should rise with the strength for a "happy" vector. Writes NAME.measure.json and NAME.measure.png.
"""

from __future__ import annotations

from simulacra.errors import SimulacraError


def held_out_prompts(persona, limit: int) -> list[list[int]]:
    """The prompt of the first trained turn that answers someone, in each test example (then validation)."""
    prompts = []
    for split in ("test", "validation", "train"):
        for ex in persona.run.examples(split):
            for i in range(1, len(ex.turns)):
                turn = ex.turns[i]
                if turn.speaker in persona.speakers and ex.turns[i - 1].speaker != turn.speaker:
                    prompts.append(persona.prompt(None, ex.turns[:i], turn.speaker))
                    break
            if len(prompts) >= limit:
                return prompts
    return prompts


def sentiment(texts: list[str]) -> list[float]:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise SimulacraError("steer --measure needs the VADER lexicon: pip install vadersentiment") from None
    analyzer = SentimentIntensityAnalyzer()
    return [analyzer.polarity_scores(t)["compound"] for t in texts]


def measure(persona, config) -> dict:
    """Mean sentiment and projection of replies at each strength; saved with a plot beside the vector."""
    from simulacra.engine import Sampling
    from simulacra.engine.steering import load_vector, read_states
    from simulacra.io import write_json
    from simulacra.ui import progress

    vec = load_vector(persona.run.steering, config.name)
    prompts = held_out_prompts(persona, config.measure_prompts)
    if not prompts:
        raise SimulacraError(f"{persona.run.dataset}: no held-out moments to answer")
    sampling = Sampling(max_new_tokens=config.max_new_tokens, temperature=0.7, seed=config.seed)
    unit = vec.vector / vec.vector.norm().clamp(min=1e-9)
    rows = []
    with progress() as bar:
        task = bar.add_task("Replies at each strength", total=len(config.strengths) * len(prompts), info="")
        for strength in config.strengths:
            persona.backend.steering = [(vec, strength)] if strength else []
            side = persona.side("tuned" if persona.tuned else "base")
            replies = side.generate(prompts, sampling, on_batch=lambda n: bar.advance(task, n))
            persona.backend.steering = []
            states = read_states(persona.backend.model, [p + persona.tokenizer.encode(r) for p, r in zip(prompts, replies)],
                                 vec.layer, persona.renderer.stop_token_id)
            scores = sentiment(replies)
            rows.append({"strength": strength, "sentiment": sum(scores) / len(scores),
                         "projection": float((states @ unit).mean()), "examples": replies[:3]})
    result = {"name": vec.name, "layer": vec.layer, "prompts": len(prompts), "rows": rows}
    write_json(persona.run.steering / f"{vec.name}.measure.json", result)
    _plot(rows, persona.run.steering / f"{vec.name}.measure.png", vec.name)
    _print(rows)
    return result


def _plot(rows: list[dict], path, name: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [r["strength"] for r in rows]
    fig, left = plt.subplots(figsize=(6, 3.5))
    left.plot(x, [r["sentiment"] for r in rows], "o-", color="tab:green", label="sentiment (VADER)")
    left.set_xlabel(f"strength of {name!r}")
    left.set_ylabel("mean sentiment", color="tab:green")
    right = left.twinx()
    right.plot(x, [r["projection"] for r in rows], "s--", color="tab:blue", label="projection")
    right.set_ylabel("projection on the vector", color="tab:blue")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _print(rows: list[dict]) -> None:
    from simulacra.ui import console

    for r in rows:
        sample = (r["examples"][0] if r["examples"] else "").replace("\n", " ⏎ ")[:70]
        console.print(f"strength {r['strength']:+5.1f}: sentiment {r['sentiment']:+.3f}, projection "
                      f"{r['projection']:+.2f}   e.g. {sample!r}", highlight=False)
