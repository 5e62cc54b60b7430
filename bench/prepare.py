"""Prepare's peak memory: streaming `simulacra prepare` against holding the chat in memory, same file, same run.

    python bench/prepare.py              # a generated ~20 MB conversations.jsonl, two speakers
    python bench/prepare.py --mb 5 --mb 20

The baseline does what prepare did before it streamed: read every conversation into memory, split all
sessions, make every example into one list, then write them. Both run in fresh child processes with the
embedded model's tokenizer; each one's peak resident memory is its own VmHWM (Linux). Last line:
    prepare peak memory on N MB: S MB streaming vs B MB holding the chat (R.RRx less)
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

WORDS = "so i was thinking we could meet at the usual place after work maybe around seven if that works lol".split()

STREAMING = """
import sys
from simulacra.prepare import PrepareConfig, run
run(PrepareConfig(run_dir=sys.argv[1], speakers=["Ana"]))
"""
# What prepare did before it streamed (minus scrubbing, which only adds to it): everything in memory at once.
IN_MEMORY = """
import sys
from datetime import timedelta
from pathlib import Path
import orjson
from simulacra.formats.render import make_renderer
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.models.embedded import resolve_tokenizer
from simulacra.prepare.windows import session_examples
from simulacra.schema import read_conversations
from simulacra.sessions import split_sessions
from collections import Counter
run_dir = Path(sys.argv[1])
conversations = list(read_conversations(run_dir / "conversations.jsonl"))
tokenizer = ChatTokenizer.load(resolve_tokenizer(None))
renderer = make_renderer("roles", tokenizer, speakers=["Ana", "Ben"], personas={}, system_prompt=None)
sessions = [s for c in conversations for s in split_sessions(c, timedelta(minutes=60), {"text"})]
counts = Counter()
examples = [ex for s in sessions for ex in session_examples(s, renderer, {"Ana"}, renderer.system_text(None, ["Ana", "Ben"]), 8, 384, counts)]
with open(run_dir / "in-memory.jsonl", "wb") as f:
    for ex in examples:
        f.write(orjson.dumps(ex.to_dict()) + b"\\n")
"""
PEAK = "\nprint(re.search(r'VmHWM:\\s*(\\d+)', open('/proc/self/status').read()).group(1))"


def make_run(folder: Path, megabytes: float, seed: int = 0) -> Path:
    """A two-person chat of about `megabytes` of conversations.jsonl, sessions of 20 messages 5 hours apart."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from simulacra.schema import Conversation, Message, write_conversations

    rng, t, messages, size = random.Random(seed), datetime(2020, 1, 1, 9), [], 0
    while size < megabytes * 1_000_000:
        t += timedelta(hours=5) if len(messages) % 20 == 0 else timedelta(minutes=rng.randint(1, 9))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25)))
        messages.append(Message(rng.choice(["Ana", "Ben"]), text, t, str(len(messages))))
        size += len(text) + 135  # the record's JSON around the text
    folder.mkdir(parents=True)
    write_conversations(folder / "conversations.jsonl", [Conversation("chat-1", "bench", "Ana", ["Ana", "Ben"],
                                                                      messages)])
    return folder


def peak_mb(code: str, run_dir: Path) -> tuple[float, float]:
    """(peak resident MB, wall seconds) of `code` run in a fresh child."""
    started = time.time()
    out = subprocess.run([sys.executable, "-c", "import re\n" + code + PEAK, str(run_dir)], capture_output=True,
                         text=True)
    if out.returncode:
        sys.exit(out.stderr[-2000:])
    return int(out.stdout.strip().splitlines()[-1]) / 1024, time.time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, action="append", help="conversations.jsonl size(s) in MB (default 20)")
    args = parser.parse_args()
    sizes = args.mb or [20.0]
    with tempfile.TemporaryDirectory() as tmp:
        for n, mb in enumerate(sizes):
            run_dir = make_run(Path(tmp) / f"run{n}", mb)
            real = (run_dir / "conversations.jsonl").stat().st_size / 1e6
            streaming, t_s = peak_mb(STREAMING, run_dir)
            held, t_h = peak_mb(IN_MEMORY, run_dir)
            print(f"{real:.1f} MB: streaming prepare {streaming:.0f} MB peak ({t_s:.0f} s), holding the chat "
                  f"{held:.0f} MB ({t_h:.0f} s)", flush=True)
    print(f"prepare peak memory on {real:.0f} MB: {streaming:.0f} MB streaming vs {held:.0f} MB holding the chat "
          f"({held / streaming:.2f}x less)")


if __name__ == "__main__":
    main()
