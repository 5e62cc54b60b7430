"""One setting of the defaults grid: ingest -> prepare -> train -> evaluate, then the headline row.

Each stage runs as the CLI would (`simulacra <verb>` in a child process); the extra flags of each stage
come from --prepare/--train/--evaluate. A finished stage is reused when its output exists (so a sampling
change re-runs only evaluate: pass --fresh-report). Usage:

  python bench/tune.py INPUT --as NAME --out /tmp/tune/run1 [--prepare "--max-turns 12"] \
      [--train "--epochs 2 --lr 3e-4"] [--evaluate "--temperature 0.7"] [--fresh-report]
  python bench/tune.py --table RUN_DIR [RUN_DIR ...]     # the rows of finished runs
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

COLUMNS = ("ppl", "who", "2s", "chrF", "rougeL", "loop", "rep", "words")


def stage(verb: str, args: list[str], log: Path) -> float:
    """Run `simulacra VERB ARGS`, appending its output to `log`; the wall seconds it took."""
    started = time.time()
    with log.open("a") as f:
        f.write(f"\n$ simulacra {verb} {shlex.join(args)}\n")
        f.flush()
        done = subprocess.run([sys.executable, "-m", "simulacra.cli", verb, *args], stdout=f, stderr=subprocess.STDOUT)
    if done.returncode:
        raise SystemExit(f"{verb} failed (exit {done.returncode}); see {log}")
    return time.time() - started


def summary(run: Path) -> dict:
    """The numbers the targets of issue 16 name, per side (base, tuned, real) from report/report.json."""
    r = json.loads((run / "report" / "report.json").read_text())
    loops, over, two, who = r["loops"], r["overlap"], r["two_sample"], r["who_said_it"]
    style = next(iter(r["style"].values()))
    out = {}
    for side in ("base", "tuned", "real"):
        row = {"who": who[side], "loop": loops[side]["looping"], "rep": loops[side]["repetition"]}
        if side != "real":
            row.update(ppl=r["perplexity"][side], chrF=over[side]["chrf"], rougeL=over[side]["rougeL"],
                       **{"2s": two[side]["accuracy"]})
        row["words"] = style["features"]["words_per_message"]["mean"].get(side)
        out[side] = row
    out["moments"] = r.get("moments")
    out["eval_s"] = r.get("wall_time_s")
    return out


def table(runs: list[Path]) -> None:
    """Print one line per run and side: the headline numbers side by side."""
    print("run".ljust(28) + "side  " + "".join(c.rjust(8) for c in COLUMNS))
    for run in runs:
        s = summary(run)
        for side in ("base", "tuned", "real"):
            cells = "".join((f"{s[side][c]:8.3f}" if isinstance(s[side].get(c), float) else " " * 7 + "-")
                            for c in COLUMNS)
            print(run.name[:27].ljust(28) + side.ljust(6) + cells)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input", nargs="?")
    ap.add_argument("--as", dest="person")
    ap.add_argument("--out")
    ap.add_argument("--ingest", default="")
    ap.add_argument("--prepare", default="")
    ap.add_argument("--train", default="")
    ap.add_argument("--evaluate", default="")
    ap.add_argument("--fresh-report", action="store_true", help="Re-run evaluate even if a report exists.")
    ap.add_argument("--table", nargs="+", metavar="RUN_DIR")
    args = ap.parse_args()
    if args.table:
        table([Path(p) for p in args.table])
        return
    run = Path(args.out)
    run.mkdir(parents=True, exist_ok=True)
    log = run / "tune.log"
    times = {}
    if not (run / "conversations.jsonl").exists():
        times["ingest"] = stage("ingest", [args.input, "--out", str(run), *shlex.split(args.ingest)], log)
    if not (run / "dataset" / "manifest.json").exists():
        times["prepare"] = stage("prepare", [str(run), "--as", args.person, *shlex.split(args.prepare)], log)
    if not (run / "model" / "manifest.json").exists():
        times["train"] = stage("train", [str(run), *shlex.split(args.train)], log)
    if args.fresh_report and (run / "report").exists():
        shutil.rmtree(run / "report")
    if not (run / "report" / "report.json").exists():
        times["evaluate"] = stage("evaluate", [str(run), "--judge", "none", "--no-html",
                                               *shlex.split(args.evaluate)], log)
    print(json.dumps({"run": str(run), "times_s": {k: round(v) for k, v in times.items()}}))
    table([run])


if __name__ == "__main__":
    main()
