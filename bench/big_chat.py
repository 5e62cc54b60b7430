"""A synthetic WhatsApp group export the size of a real one: eight friends, ~10,000 messages, one writes ~37 %.

Used by bench/evaluate.py to time `evaluate` on a run of realistic size (issue 16: an eight-person
Messenger group of 10,000 messages, the target wrote 3,700). Stdlib only, fixed seed:

    python bench/big_chat.py /tmp/big/chat.txt --messages 10000
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

TARGET = "Sam Reyes"
OTHERS = ["Ana Lima", "Ben Ode", "Cleo Marsh", "Dev Patel", "Eli Stone", "Fay Wong", "Gus Hart"]
TOPICS = {
    "plans": "dinner friday saturday tonight pub cinema booked table 7pm 8pm meet station train bus late early "
             "tomorrow weekend free busy maybe sure sounds good who is coming".split(),
    "work": "meeting boss deadline project email office laptop shift report client call monday tired "
            "promotion interview team lunch break overtime".split(),
    "football": "match goal ref score won lost draw striker keeper penalty league table season ticket "
                "highlights league cup final derby pitch".split(),
    "food": "pizza curry tacos burger ramen noodles cake coffee breakfast brunch recipe oven burnt "
            "delicious spicy takeaway order chips cheese".split(),
    "holiday": "flight hotel beach passport booked airport sun rain lisbon paris rome packing luggage "
               "delayed week trip villa pool tickets".split(),
    "games": "console level boss patch update online squad headset controller weekend stream rank "
             "server lag quest map win loss".split(),
}
FILLER = "i you we it that this the a to and but so just really lol haha ok yeah no what why how is are was " \
         "gonna can not have had got think know mean".split()


def style(rng: random.Random, who: str, text: str) -> str:
    """Each person's surface habits: the target is lowercase, 'lol', no full stops, sometimes asks back."""
    if who == TARGET:
        text = text.lower() + rng.choice(["", "", " lol", " haha", " 😂", "?"])
        return text
    k = OTHERS.index(who)
    if k % 3 == 0:
        return text.capitalize() + rng.choice([".", "!", "."])
    if k % 3 == 1:
        return text.upper() if rng.random() < 0.1 else text + rng.choice(["", " 👍", "!!"])
    return text.capitalize()


def sentence(rng: random.Random, topic: str, who: str) -> str:
    words = TOPICS[topic]
    short = who == TARGET or rng.random() < 0.3
    n = rng.randint(2, 7) if short else rng.randint(5, 16)
    return " ".join(rng.choice(words) if rng.random() < 0.45 else rng.choice(FILLER) for _ in range(n))


def make_chat(path: Path, messages: int = 10_000, seed: int = 16) -> int:
    """Write the export; returns how many messages the target wrote."""
    rng = random.Random(seed)
    t, written, mine = datetime(2023, 1, 2, 18, 0), 0, 0
    lines = []
    while written < messages:
        topic = rng.choice(list(TOPICS))
        present = [TARGET] + rng.sample(OTHERS, rng.randint(2, 6))
        who = rng.choice(present)
        for _ in range(rng.randint(8, 40)):
            if written >= messages:
                break
            # The target answers 37 % of the time; the rest share what is left, sometimes in bursts.
            if rng.random() > 0.35:
                who = TARGET if rng.random() < 0.37 else rng.choice(present[1:])
            t += timedelta(seconds=rng.randint(10, 600))
            lines.append(f"[{t:%d/%m/%y, %H:%M:%S}] {who}: {style(rng, who, sentence(rng, topic, who))}")
            written += 1
            mine += who == TARGET
        t += timedelta(hours=rng.randint(3, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return mine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    mine = make_chat(args.out, args.messages)
    print(f"{args.out}: {args.messages} messages, {mine} by {TARGET}")


if __name__ == "__main__":
    main()
