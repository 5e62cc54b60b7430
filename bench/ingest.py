"""Ingest throughput and peak memory: Simulacra's WhatsApp parser against public parsers, same file, same run.

    python bench/ingest.py                    # a 200,000-message WhatsApp iOS export (~17 MB)
    python bench/ingest.py --whatsapp 1000000 --telegram 1000000 --repeat 1

Public parsers from PyPI (`pip install -e .[bench]`): whatstk (header format given by hand), chat-miner
and whatsapp-parse (its line regex given by hand). They are timed up to their in-memory result and write
nothing; Simulacra is timed for the whole `ingest` (parse, label, count, write conversations.jsonl and the
manifest). A naive baseline (one regex per line into a list, then json.dumps) is measured too, and
`--telegram N` adds a Telegram export against `json.load`. Each measurement runs in a fresh child process,
so its peak resident memory (ru_maxrss) is its own; each is repeated (--repeat, default 3) and the fastest
run is kept, as a shared machine only adds time. Speeds are compared in CPU seconds of the child
(time.process_time, all its threads counted), which other jobs on a
shared machine disturb far less than wall time; wall seconds are printed too. `--flat K` also runs
Simulacra once on a file K times bigger, to show its memory does not grow with the file. Last line, exactly:
    ingest speedup vs best public parser: R.RR (NAME, peak memory M MB)
where R = the fastest public parser's CPU seconds / Simulacra's, NAME that parser, M Simulacra's peak RSS.
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
WORDS = ("the a to see you later ok sure why not lunch at noon tomorrow maybe coffee 😂 👍 great idea "
         "café ça va? 👨‍👩‍👧 שלום *bold* _it_ 10:30 ok!").split()
MEDIA = ["image", "video", "audio", "sticker", "GIF", "document"]


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
    """An iOS export as the app writes it: day-first dates, multi-line messages, media, LRM-flagged system
    lines (some with LRM before the bracket), deleted and edited messages, links, emoji, a non-contact name."""
    rng = random.Random(seed)
    start = 1_600_000_000
    names = NAMES + ["~\u202fZoë 🌸"]
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"[{time.strftime('%d/%m/%y, %H:%M:%S', time.gmtime(start))}] Bench: \u200eMessages and calls are "
                "end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n")
        for i in range(1, n):
            stamp = time.strftime("%d/%m/%y, %H:%M:%S", time.gmtime(start + i * 7))
            who = names[rng.randrange(len(names))]
            roll = i % 100
            if roll in (3, 47):
                f.write(f"[{stamp}] {who}: \u200e{rng.choice(MEDIA)} omitted\n")
            elif roll == 11:
                f.write(f"\u200e[{stamp}] Bench: \u200e{who} added Ben Ode\n")
            elif roll == 29:
                f.write(f"[{stamp}] {who}: \u200eThis message was deleted.\n")
            elif roll == 61:
                f.write(f"[{stamp}] {who}: {_sentence(rng)} \u200e<This message was edited>\n")
            elif roll == 73:
                f.write(f"[{stamp}] {who}: look https://example.org/a/{i}?ref=chat {_sentence(rng)}\n")
            elif roll % 9 == 0:
                lines = "\n".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
                f.write(f"[{stamp}] {who}: {lines}\n")
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


# The public parsers, each given the file's header format by hand where it takes one (no auto-detection
# cost), timed up to their own in-memory result (a DataFrame or a list): they write nothing, Simulacra does.
IOS_HFORMAT = "[%d/%m/%y, %H:%M:%S] %name:"  # whatstk's notation for '[13/09/20, 12:26:40] Ana: '


def child_whatstk(path: Path, out: Path) -> int:
    from whatstk.whatsapp.parser import df_from_whatsapp

    return len(df_from_whatsapp(str(path), hformat=IOS_HFORMAT))


def child_chat_miner(path: Path, out: Path) -> int:
    import logging

    from chatminer.chatparsers import WhatsAppParser

    logging.disable(logging.INFO)  # it logs every system line; the timing is the parse, not the log
    parser = WhatsAppParser(str(path))
    parser.parse_file()
    return len(parser.parsed_messages._parsed_messages)


def child_whatsapp_parse(path: Path, out: Path) -> int:
    from whatsapp_parser import parser

    parser.update_pattern(r"\[(\d{1,2}/\d{1,2}/\d{2,4}, \d{1,2}:\d{2}:\d{2})\] (.*?): (.*)")
    with open(path, encoding="utf-8") as f:
        return len(parser.chat_to_dataframe(f.read().splitlines()))


PUBLIC = {"whatstk": child_whatstk, "chat-miner": child_chat_miner, "whatsapp-parse": child_whatsapp_parse}
CHILDREN = {"simulacra": child_simulacra, "naive-telegram": child_naive_telegram,
            "naive-whatsapp": child_naive_whatsapp, **PUBLIC}
# What each child imports before its clock starts: imports are not part of the timing.
PRELOAD = {"simulacra": ["simulacra.ingest", "simulacra.ingest.whatsapp", "rich.console"],
           "whatstk": ["whatstk.whatsapp.parser"], "chat-miner": ["chatminer.chatparsers"],
           "whatsapp-parse": ["whatsapp_parser.parser"]}


def _child(name: str, path: str, out: str) -> None:
    import importlib

    func = CHILDREN[name]
    for module in PRELOAD.get(name, []):
        importlib.import_module(module)
    started, cpu = time.perf_counter(), time.process_time()
    count = func(Path(path), Path(out))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"messages": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def measure(name: str, path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", name, str(path), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{name} failed on {path}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best_of(repeat: int, child: str, path: Path, out: Path) -> dict:
    """The fastest of `repeat` runs (a shared machine only ever adds time); the highest peak memory."""
    runs = [measure(child, path, out) for _ in range(repeat)]
    return {"messages": runs[0]["messages"], "seconds": min(r["seconds"] for r in runs),
            "cpu": min(r["cpu"] for r in runs), "peak_mb": max(r["peak_mb"] for r in runs)}


def _row(fmt: str, size: float, impl: str, r: dict) -> None:
    print(f"{fmt:<10} {size:7.1f} {impl:<15} {r['messages']:9d} {r['seconds']:7.2f} {r['cpu']:7.2f} "
          f"{r['messages'] / r['cpu']:9.0f} {r['peak_mb']:8.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--whatsapp", type=int, default=200_000, help="messages in the WhatsApp file")
    parser.add_argument("--telegram", type=int, default=0, help="messages in a Telegram export (0: skip it)")
    parser.add_argument("--flat", type=int, default=5, help="also run Simulacra on a file this many times "
                        "bigger, to show its memory stays flat (0: skip)")
    parser.add_argument("--public", default=",".join(PUBLIC), help="public parsers to run, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest is kept")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="simulacra-bench-") as tmp:
        tmp_path = Path(tmp)
        print(f"{'file':<10} {'MB':>7} {'impl':<15} {'messages':>9} {'wall s':>7} {'CPU s':>7} {'msg/CPU s':>9} "
              f"{'peak MB':>8}")
        if args.telegram:
            telegram = tmp_path / "result.json"
            make_telegram(telegram, args.telegram)
            for impl in ("simulacra", "naive-telegram"):
                r = best_of(args.repeat, impl, telegram, tmp_path / f"out-{impl}-telegram")
                _row("telegram", telegram.stat().st_size / 2**20, impl, r)
            telegram.unlink()
        chat = tmp_path / "_chat.txt"
        make_whatsapp(chat, args.whatsapp)
        size = chat.stat().st_size / 2**20
        results = {}
        for impl in ["simulacra", "naive-whatsapp", *filter(None, args.public.split(","))]:
            results[impl] = best_of(args.repeat, impl, chat, tmp_path / f"out-{impl}")
            _row("whatsapp", size, impl, results[impl])
        ours = results.pop("simulacra")
        if args.flat:
            big = tmp_path / "big.txt"
            make_whatsapp(big, args.whatsapp * args.flat)
            _row("whatsapp", big.stat().st_size / 2**20, "simulacra", best_of(1, "simulacra", big, tmp_path / "big"))
        print(f"ingest speedup vs naive: {results.pop('naive-whatsapp')['cpu'] / ours['cpu']:.2f}")
        if results:
            name, best = min(results.items(), key=lambda kv: kv[1]["cpu"])
            print(f"ingest speedup vs best public parser: {best['cpu'] / ours['cpu']:.2f} "
                  f"({name}, peak memory {ours['peak_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
