"""evaluate's wall time, before and after its fast paths, on the same run in one process.

    PYTHONPATH=src python bench/evaluate.py /tmp/demo_run
    PYTHONPATH=src python bench/evaluate.py /tmp/big --max-examples 40      # a quicker sample of a big run

Before = what evaluate did until 2026-12-02: generation on torch, every held-out moment, the LM head over
every position when scoring, and speaker identity re-reading the history once per turn (the per-turn
scorer, still in the code as the reference). After = today's defaults: generation on the fast engine
(CTranslate2 when installed), at most 200 moments, the head only where a score is read, and each example
read once for speaker identity. The run is copied to a temporary folder first (its report/ is left
alone); the CTranslate2 conversion (once per weights, cached in the run) is made and timed before either
measurement. Last line, exactly:

    evaluate speedup: R.RR (before B s, after A s)
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
import time
from pathlib import Path


@contextlib.contextmanager
def before_paths():
    """The slow paths the fast ones replaced: full-vocabulary logits everywhere, speaker identity per turn."""
    from simulacra.engine import branches
    from simulacra.evaluate import speakers

    saved = branches.split_head, speakers.trees
    branches.split_head = lambda model: None
    speakers.trees = lambda *args: None
    try:
        yield
    finally:
        branches.split_head, speakers.trees = saved


def evaluate(run: Path, **settings) -> dict:
    from simulacra.evaluate import EvaluateConfig, run as evaluate_run
    from simulacra.io import read_json

    started, cpu = time.time(), time.process_time()
    evaluate_run(EvaluateConfig(run_dir=run, **settings))
    report = read_json(run / "report" / "report.json")
    return {"wall": time.time() - started, "cpu": time.process_time() - cpu, "timings": report["timings_s"], "moments": report.get("moments", 0),
            "estimate": report.get("estimate_s", {}), "headline": report["headline"]}


def convert(run: Path) -> float:
    """Make (or find) the CTranslate2 copies of both sides; seconds taken."""
    from simulacra.engine import Persona
    from simulacra.engine.ctranslate2_backend import available

    if not available():
        return 0.0
    started = time.time()
    persona = Persona(run, engine="ctranslate2")
    persona.side("base").warm()
    return time.time() - started


def identity_only(run: Path, examples: int) -> None:
    """Only the speaker-identity pass (group runs), per-turn scorer against one read per example; same picks."""
    from simulacra.engine import Persona
    from simulacra.evaluate.speakers import identity_of_both
    from simulacra.rundir import RunDir

    persona = Persona(run, engine="torch")
    held_out = RunDir(run).examples("test")[:examples]
    speakers = persona.speakers
    times, reports = [], []
    for slow in (True, False):
        started = time.time()
        with before_paths() if slow else contextlib.nullcontext():
            reports.append(identity_of_both(persona, held_out, speakers, 8))
        times.append(time.time() - started)
    same = all(reports[0][s]["accuracy"] == reports[1][s]["accuracy"] for s in ("base", "tuned"))
    print(f"speaker identity, {len(held_out)} examples, {reports[1]['tuned']['turns']} turns, {len(speakers)} "
          f"speakers: tuned {reports[1]['tuned']['accuracy']:.1%} (same picks both ways: {same})")
    print(f"speaker identity speedup: {times[0] / times[1]:.2f} (before {times[0]:.0f} s, after {times[1]:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--max-examples", type=int, default=0, help="score at most this many examples (0: all)")
    parser.add_argument("--identity-examples", type=int, default=0,
                        help="time only the speaker-identity pass on this many examples (group runs)")
    args = parser.parse_args()
    from simulacra.ui import quiet_libraries

    quiet_libraries()
    if args.identity_examples:
        return identity_only(args.run, args.identity_examples)
    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        shutil.copytree(args.run, run, ignore=shutil.ignore_patterns("report", "checkpoints"))
        conversion = convert(run)
        with before_paths():
            before = evaluate(run, engine="torch", max_moments=0, max_examples=args.max_examples)
        after = evaluate(run, max_examples=args.max_examples)
    print(f"\nrun {args.run}: conversion for CTranslate2 (once per weights) {conversion:.0f} s")
    for name, r in (("before", before), ("after", after)):
        parts = ", ".join(f"{k} {v:.0f} s" for k, v in r["timings"].items())
        print(f"{name}: {r['wall']:.0f} s wall, {r['cpu']:.0f} CPU s (all threads) for {r['moments']} moments ({parts})")
    if after["estimate"]:
        print(f"after: estimated {sum(after['estimate'].values()):.0f} s up front "
              f"({', '.join(f'{k} {v:.0f} s' for k, v in after['estimate'].items())})")
    for row in after["headline"][:1]:
        print(f"{row['metric']}: before run base {before['headline'][0]['base']:.2f} tuned "
              f"{before['headline'][0]['tuned']:.2f}; after run base {row['base']:.2f} tuned {row['tuned']:.2f}")
    print(f"CPU-time ratio (less disturbed by other jobs on a shared machine): {before['cpu'] / after['cpu']:.2f}")
    print(f"evaluate speedup: {before['wall'] / after['wall']:.2f} (before {before['wall']:.0f} s, "
          f"after {after['wall']:.0f} s)")


if __name__ == "__main__":
    main()
