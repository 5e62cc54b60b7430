"""Ingest throughput and peak memory: Simulacra's streaming parsers against a naive baseline, same run.

    python bench/ingest.py                       # 1M-message Telegram export (~320 MB), 1M-message WhatsApp file
    python bench/ingest.py --telegram 1000000 --whatsapp 1000000

Each measurement runs in a fresh child process, so its peak resident memory (ru_maxrss) is its own;
each is repeated (--repeat, default 3) and the fastest run is kept, as a shared machine only adds time.
The naive baseline is what a first script does: `json.load` the export / read every line and run one
regex per line, collect the messages in a list, dump them. Last line, exactly:
    ingest speedup vs naive: R.RR (peak memory M MB)
where R = naive seconds / Simulacra seconds over both files and M = Simulacra's highest peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAMES = ["Ana Lima", "Ben Ode", "Cy Dee", "Dana Fox"]
WORDS = "the a to see you later ok sure why not lunch at noon tomorrow maybe coffee 😂 👍 great idea".split()


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 14)))


def make_telegram(path: Path, n: int, seed: int = 0) -> None:
    """A single-chat Telegram Desktop export laid out like the app writes it (indent 1)."""
    rng = random.Random(seed)
    start = 1_600_000_000
    with open(path, "w", encoding="utf-8") as f:
        f.write('{\n "name": "Bench Group",\n "type": "private_supergroup",\n "id": 99,\n "messages": [\n')
        for i in range(n):
            who = rng.randrange(len(NAMES))
            t = start + i * 7
            text: object = _sentence(rng)
            if i % 10 == 0:
                text = [text, {"type": "link", "text": "https://example.org"}]
            msg = {"id": i + 1, "type": "message", "date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)),
                   "date_unixtime": str(t), "from": NAMES[who], "from_id": f"user{who}", "text": text,
                   "text_entities": [{"type": "plain", "text": text if isinstance(text, str) else text[0]}]}
            if i % 50 == 0:
                msg["reply_to_message_id"] = max(1, i - 3)
            body = json.dumps(msg, ensure_ascii=False, indent=1).replace("\n", "\n  ")
            f.write(("  " if i == 0 else ",\n  ") + body)
        f.write("\n ]\n}\n")


def make_whatsapp(path: Path, n: int, seed: int = 1) -> None:
    """An iOS-style export: day-first dates, some multi-line messages, media and system lines."""
    rng = random.Random(seed)
    start = 1_600_000_000
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            stamp = time.strftime("%d/%m/%y, %H:%M:%S", time.gmtime(start + i * 7))
            who = NAMES[rng.randrange(len(NAMES))]
            if i % 97 == 0:
                f.write(f"[{stamp}] {who}: \u200eimage omitted\n")
            elif i % 89 == 0:
                f.write(f"[{stamp}] Bench: \u200e{who} added Ben Ode\n")
            elif i % 13 == 0:
                f.write(f"[{stamp}] {who}: {_sentence(rng)}\n{_sentence(rng)}\n")
            else:
                f.write(f"[{stamp}] {who}: {_sentence(rng)}\n")


# ---- the children: each measures one implementation on one file -------------------------------

def child_simulacra(path: Path, out: Path) -> int:
    from rich.console import Console

    from simulacra.ingest import IngestConfig, run
    from simulacra.io import read_json

    run(IngestConfig(inputs=[path], out=out, date_order="dmy"), console=Console(file=open("/dev/null", "w")))
    return read_json(out / "ingest.manifest.json")["counts"]["messages"]


def child_naive_telegram(path: Path, out: Path) -> int:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    messages = []
    for m in data["messages"]:
        text = m["text"] if isinstance(m["text"], str) else "".join(
            p if isinstance(p, str) else p["text"] for p in m["text"])
        messages.append({"speaker": m.get("from"), "text": text, "time": m.get("date"), "source_id": str(m["id"])})
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "conversations.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": data["id"], "messages": messages}, ensure_ascii=False) + "\n")
    return len(messages)


NAIVE_HEADER = re.compile(r"^\[(\d{1,2})/(\d{1,2})/(\d{2}), (\d{1,2}):(\d{2}):(\d{2})\] ([^:]+): (.*)$")


def child_naive_whatsapp(path: Path, out: Path) -> int:
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    messages: list[dict] = []
    for line in lines:
        m = NAIVE_HEADER.match(line)
        if m:
            d, mo, y, h, mi, s, who, text = m.groups()
            messages.append({"speaker": who, "text": text, "time": f"20{y}-{mo}-{d}T{h}:{mi}:{s}"})
        elif messages:
            messages[-1]["text"] += "\n" + line
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "conversations.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": path.stem, "messages": messages}, ensure_ascii=False) + "\n")
    return len(messages)


CHILDREN = {"simulacra": child_simulacra, "naive-telegram": child_naive_telegram,
            "naive-whatsapp": child_naive_whatsapp}


def _child(name: str, path: str, out: str) -> None:
    func = CHILDREN[name]
    if name == "simulacra":
        import simulacra.ingest  # noqa: F401  imports are not part of the timing
    started = time.perf_counter()
    count = func(Path(path), Path(out))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"messages": count, "seconds": seconds, "peak_mb": peak_mb}))


def measure(name: str, path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", name, str(path), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{name} failed on {path}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best_of(repeat: int, child: str, path: Path, out: Path) -> dict:
    """The fastest of `repeat` runs (a shared machine only ever adds time); the highest peak memory."""
    runs = [measure(child, path, out) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r["seconds"])
    return {**fastest, "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--telegram", type=int, default=1_000_000, help="messages in the Telegram export")
    parser.add_argument("--whatsapp", type=int, default=1_000_000, help="messages in the WhatsApp file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is kept")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="simulacra-bench-") as tmp:
        tmp_path = Path(tmp)
        files = {"telegram": tmp_path / "result.json", "whatsapp": tmp_path / "_chat.txt"}
        make_telegram(files["telegram"], args.telegram)
        make_whatsapp(files["whatsapp"], args.whatsapp)
        totals = {"simulacra": 0.0, "naive": 0.0}
        peak = 0.0
        print(f"{'file':<10} {'MB':>7} {'impl':<10} {'messages':>9} {'s':>7} {'msg/s':>9} {'peak MB':>8}")
        for fmt, path in files.items():
            size = path.stat().st_size / 2**20
            for impl, child in (("simulacra", "simulacra"), ("naive", f"naive-{fmt}")):
                r = best_of(args.repeat, child, path, tmp_path / f"out-{impl}-{fmt}")
                totals[impl] += r["seconds"]
                if impl == "simulacra":
                    peak = max(peak, r["peak_mb"])
                print(f"{fmt:<10} {size:7.1f} {impl:<10} {r['messages']:9d} {r['seconds']:7.2f} "
                      f"{r['messages'] / r['seconds']:9.0f} {r['peak_mb']:8.0f}", flush=True)
        print(f"ingest speedup vs naive: {totals['naive'] / totals['simulacra']:.2f} (peak memory {peak:.0f} MB)")


if __name__ == "__main__":
    main()
