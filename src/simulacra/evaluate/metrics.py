"""Text metrics of generated turns against the real ones: overlap, style, loops and who-said-it (no model needed)."""

from __future__ import annotations

from dataclasses import asdict

from simulacra.engine import SIDES


def text_metrics(moments, train_examples, targets: set[str], config, images: dict, sampling) -> dict:
    """Overlap, style, loops and who-said-it from the moments' real and generated turns; plots go into `images`."""
    from simulacra.evaluate.loops import loop_report
    from simulacra.evaluate.overlap import other_real_replies, overlap_scores

    out: dict = {"sampling": asdict(sampling), "moments": len(moments)}
    real = [m.real for m in moments]
    out["overlap"] = {side: overlap_scores([m.replies[side] for m in moments], real) for side in SIDES}
    out["overlap"]["real"] = overlap_scores(*other_real_replies([m.speaker for m in moments], real))
    from simulacra.evaluate.twosample import two_sample_report

    out["two_sample"] = two_sample_report(moments, SIDES, seed=config.seed)
    out["style"] = style_by_speaker(moments, train_examples, config.html, images)
    out["loops"] = {"real": loop_report(real), **{side: loop_report([m.replies[side] for m in moments])
                                                  for side in SIDES}}
    if config.who_said_it:
        from simulacra.evaluate.whosaid import who_said_it

        train_turns = [(t.speaker, t.text) for ex in train_examples for t in ex.turns]
        out["who_said_it"] = who_said_it(train_turns, [(m.speaker, m.real) for m in moments],
                                         {side: [(m.speaker, m.replies[side]) for m in moments] for side in SIDES})
    if config.html:
        from simulacra.evaluate.html import bars_plot

        images["loops"] = bars_plot({k: {s: out["loops"][s][k] for s in ("base", "tuned", "real")}
                                     for k in ("repetition", "looping", "generic", "duplicate_turns")},
                                    "loops and blandness", "share")
    return out


def style_by_speaker(moments, train_examples, plots: bool, images: dict) -> dict:
    """Style features of each speaker's real, base, tuned (and training) turns, with a plot per speaker."""
    from simulacra.evaluate.style import features, style_report

    out = {}
    for who in sorted({m.speaker for m in moments}):
        mine = [m for m in moments if m.speaker == who]
        training = [t.text for ex in train_examples for t in ex.turns if t.speaker == who]
        sides = {side: [m.replies[side] for m in mine] for side in SIDES}
        if training:
            sides["training"] = training
        out[who] = style_report([m.real for m in mine], sides)
        if plots:
            from simulacra.evaluate.html import style_plot

            images[f"style:{who}"] = style_plot({"real": features([m.real for m in mine]),
                                                 **{side: features(sides[side]) for side in SIDES}})
    return out
