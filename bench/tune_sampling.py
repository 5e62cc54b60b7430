"""Sampling sweep on a trained run: the same held-out moments answered under several sampling settings.

Loads the run once, generates base and tuned replies per setting and prints the headline metrics that
sampling moves (loops, repetition, words per message, chrF, ROUGE-L, who-said-it, two-sample accuracy).
Usage: python bench/tune_sampling.py RUN_DIR [--moments N] [--grid 'T,P,RP,MAX[,prompt];...'] [--base-every]
"""

from __future__ import annotations

import argparse
import json
import time
from types import SimpleNamespace


def row(moments, train_examples, targets, sampling) -> dict:
    """The headline numbers for one set of generated replies (the moments' replies are filled in)."""
    from simulacra.evaluate.metrics import text_metrics

    cfg = SimpleNamespace(seed=0, html=False, who_said_it=True)
    m = text_metrics(moments, train_examples, targets, cfg, {}, sampling)
    out = {}
    for side in ("base", "tuned", "real"):
        loops = m["loops"][side]
        out[side] = {"looping": loops["looping"], "repetition": loops["repetition"],
                     "who": m["who_said_it"][side]}
        if side != "real":
            out[side].update(chrf=m["overlap"][side]["chrf"], rougeL=m["overlap"][side]["rougeL"],
                             two_sample=m["two_sample"][side]["accuracy"])
        texts = [mo.real if side == "real" else mo.replies[side] for mo in moments]
        words = [len(t.split()) for t in texts]
        out[side]["words"] = sum(words) / max(1, len(words))
    return out


def _old_sampling():
    from simulacra.engine import Sampling

    class OldSampling(Sampling):
        """The penalty over prompt and reply alike, as before the reply-only penalty."""

        def generate_kwargs(self, prompt_len=None):
            return super().generate_kwargs(None)

    return OldSampling


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("run_dir")
    ap.add_argument("--moments", type=int, default=64)
    ap.add_argument("--max-examples", type=int, default=0, help="Only the first N test examples (as evaluate's).")
    ap.add_argument("--grid", default="0.8,0.9,1.1,48;0.7,0.9,1.0,48;0.6,0.9,1.0,48")
    ap.add_argument("--base-every", action="store_true", help="Generate base replies for every setting "
                    "(default: for the first only; later rows reuse them and print no base figures).")
    args = ap.parse_args()
    from simulacra.engine import Persona, Sampling
    from simulacra.evaluate.generate import held_out_moments
    from simulacra.rundir import RunDir

    OldSampling = _old_sampling()
    run = RunDir(args.run_dir)
    persona = Persona(run, tuned=True)
    targets = set(persona.speakers)
    examples = run.examples("test")
    moments = held_out_moments(examples[:args.max_examples or None], persona.renderer, targets, args.moments)
    train = run.examples("train")
    first = True
    for spec in args.grid.split(";"):
        t, p, rp, mx, *flags = spec.split(",")
        kind = OldSampling if "prompt" in flags else Sampling  # "prompt": penalise the prompt too (the old way)
        s = kind(max_new_tokens=int(mx), temperature=float(t), top_p=float(p), repetition_penalty=float(rp))
        started = time.time()
        for side in ("tuned", "base") if (args.base_every or first) else ("tuned",):
            for m, reply in zip(moments, persona.side(side).generate([m.prompt for m in moments], s)):
                m.replies[side] = reply
        r = row(moments, train, targets, s)
        if not (args.base_every or first):
            r.pop("base")  # the first setting's base replies were reused
        first = False
        print(json.dumps({"setting": spec, "moments": len(moments), "s": round(time.time() - started), **r}),
              flush=True)
        for m in moments[:4]:
            print("   ", repr(m.replies["tuned"])[:120], flush=True)


if __name__ == "__main__":
    main()
