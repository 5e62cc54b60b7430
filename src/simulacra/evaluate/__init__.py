"""Evaluate stage: does the tuned model sound like the person? Held-out sessions, tuned vs base vs real -> report/.

report/ holds report.json (every number, the sampling settings), generations.jsonl (each held-out
moment with the real, base and tuned next turn), index.html (headline table, plots) and manifest.json.
The parts live beside this orchestration: perplexity, speakers (who is speaking), generate (moments),
metrics (overlap, style, loops, who-said-it), judge, memorisation, report, compare and game (--blind).
"""

from __future__ import annotations

import time
from pathlib import Path

from simulacra.errors import SimulacraError
from simulacra.evaluate.compare import compare
from simulacra.evaluate.config import EvaluateConfig
from simulacra.evaluate.game import blind_game
from simulacra.io import write_json, write_manifest, write_yaml
from simulacra.rundir import RunDir

__all__ = ["EvaluateConfig", "run", "compare", "blind_game"]


def run(config: EvaluateConfig) -> Path:
    """Score perplexity (and, with several trained speakers, who is speaking), generate next turns, measure
    overlap, style, loops, who-said-it, the blind judge (and, with memorisation, the privacy audit); write
    report/ and print the headline table."""
    from simulacra.engine import Persona
    from simulacra.evaluate.headline import headline, print_headline
    from simulacra.evaluate.report import GENERATIONS, timer, write_generations, write_html
    from simulacra.ui import console, status

    started = time.time()
    run_dir = RunDir(config.run_dir)
    examples = run_dir.examples(config.split)
    if config.max_examples:
        examples = examples[:config.max_examples]
    if not examples:
        raise SimulacraError(f"{run_dir.split(config.split)}: no examples to evaluate")
    timings: dict[str, float] = {}
    with status("Loading the tuned model"), timer(timings, "load"):
        persona = Persona(run_dir, tuned=True, engine=config.engine, compute_type=config.compute_type)
    with timer(timings, "perplexity"):
        report, base_result, tuned = score_perplexity(persona, examples, config)
    if config.speaker_identity and len(report["speakers"]) > 1:
        from simulacra.evaluate.speakers import identity_of_both

        with timer(timings, "speaker_identity"):
            report["speaker_identity"] = identity_of_both(persona, examples, report["speakers"], config.batch_size)
    images: dict[str, str] = {}
    moments = generated_parts(persona, run_dir, examples, config, report, images, timings)
    report["headline"] = rows = headline(report)

    out = run_dir.report
    write_generations(out / GENERATIONS, moments)
    report["timings_s"] = timings
    report["wall_time_s"] = round(time.time() - started, 1)  # before the page, which shows it
    if config.html:
        with timer(timings, "html"):
            write_html(out / "index.html", report, rows, base_result, tuned, images, moments)
    report["timings_s"] = timings
    report["wall_time_s"] = round(time.time() - started, 1)
    write_json(out / "report.json", report)
    write_yaml(out / "config.yaml", config.dump())
    write_manifest(out / "manifest.json", stage="evaluate", inputs=[run_dir.split(config.split)],
                   counts={"examples": len(examples), "scored_tokens": tuned["tokens"], "moments": len(moments)},
                   started=started)
    print_headline(rows)
    ppl = report["perplexity"]
    console.print(f"held-out perplexity of {', '.join(report['speakers'])} ({ppl['tokens']} tokens): "
                  f"base {ppl['base']:.2f} → tuned {ppl['tuned']:.2f}   ·   report: {out / 'index.html'}")
    return out


def score_perplexity(persona, examples, config: EvaluateConfig) -> tuple[dict, dict, dict]:
    """The report's first part (perplexity of the real turns, base and tuned) and both sides' raw results."""
    from simulacra.evaluate.perplexity import perplexity, perplexity_report, speaker_nll
    from simulacra.ui import status

    targets = set(persona.speakers)
    with status(f"Scoring {len(examples)} held-out examples with the tuned model"):
        tuned = speaker_nll(persona.side("tuned"), examples, config.batch_size, targets)
    with status("Scoring them with the base model"):
        base = speaker_nll(persona.side("base"), examples, config.batch_size, targets)
    report = {"split": config.split, "examples": len(examples), "speakers": persona.speakers,
              "perplexity": {"base": perplexity(base), "tuned": perplexity(tuned), "tokens": tuned["tokens"],
                             "speakers": perplexity_report(base, tuned)}}
    return report, base, tuned


def generated_parts(persona, run_dir: RunDir, examples, config: EvaluateConfig, report: dict, images: dict,
                    timings: dict) -> list:
    """Generate next turns for held-out moments and measure them (text metrics, judge, memorisation audit)."""
    from simulacra.evaluate.generate import generate_replies, held_out_moments, sampling_of
    from simulacra.evaluate.report import timer
    from simulacra.ui import status

    targets = set(persona.speakers)
    moments, train_examples = [], None
    if config.generate:
        from simulacra.evaluate.judge import run_judge
        from simulacra.evaluate.metrics import text_metrics

        moments = held_out_moments(examples, persona.renderer, targets, config.max_moments)
        with timer(timings, "generate"):
            generate_replies(persona, moments, sampling_of(config))
        train_examples = run_dir.examples("train")
        with timer(timings, "text_metrics"):
            report.update(text_metrics(moments, train_examples, targets, config, images, sampling_of(config)))
        if config.judge and config.judge.lower() != "none" and moments:
            with status(f"Blind judge ({config.judge}) reading {len(moments)} moments"), timer(timings, "judge"):
                report["judge"] = run_judge(persona, moments, config.judge)
    if config.memorisation:
        from simulacra.evaluate.memorisation import memorisation_audit

        train_examples = train_examples if train_examples is not None else run_dir.examples("train")
        with timer(timings, "memorisation"):
            report["memorisation"] = memorisation_audit(persona, train_examples, examples, targets, moments, config)
    return moments
