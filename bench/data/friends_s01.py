"""Friends season 1 (public transcript, thinkwee/iAgents data/FriendsTV/s01.csv) -> a chat CSV Simulacra ingests.

The source repeats each line once per listener and restarts its clock every episode; this keeps each line
once, drops stage directions in parentheses, and gives each episode its own day (an episode is a session),
its lines 20 seconds apart. Usage: python bench/data/friends_s01.py s01.csv out.csv
"""

from __future__ import annotations

import csv
import re
import sys
from datetime import datetime, timedelta

DIRECTION = re.compile(r"\([^)]*\)")


def lines(path: str):
    """(episode, speaker, text) per spoken line, in order, without the per-listener copies."""
    episode, last_clock, seen = 0, None, set()
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            clock = row["timestamp"]
            if last_clock is not None and clock < last_clock:
                episode, seen = episode + 1, set()  # the clock restarts: a new episode
            last_clock = clock
            key = (row["sender"], row["message"], clock)
            if key in seen:
                continue
            seen.add(key)
            text = " ".join(DIRECTION.sub(" ", row["message"]).split())
            if text:
                yield episode, row["sender"].strip().title(), text


def main(src: str, out: str) -> None:
    start = datetime(2024, 1, 1, 20, 0)
    n = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["conversation", "time", "speaker", "text"])
        index, current = 0, None
        for episode, speaker, text in lines(src):
            if episode != current:
                current, index = episode, 0
            when = start + timedelta(days=episode, seconds=20 * index)
            w.writerow(["friends-s01", when.isoformat(sep=" "), speaker, text])
            index += 1
            n += 1
    print(f"{out}: {n} lines, {current + 1} episodes")


if __name__ == "__main__":
    main(*sys.argv[1:3])
