"""Attribution scores plain against centred: the top-10 cosines of a few queries on one run's cache.

    python bench/attribute_spread.py RUN [--layer -4]

Plain is the cosine of the unit message vectors; centred subtracts the training messages' mean first
(what `simulacra attribute` shows). Also prints where the messages that share the query's key word rank.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# (speaker, query, a word whose messages should rank high) for the bundled group sample
QUERIES = [("Ben Okafor", "anyone up for porto in june?", "porto"),
           ("Ana Souza", "omg the cat ate my sock", "sock"), ("Cleo Martin", "running late, save me a seat", "late"),
           ("Ben Okafor", "did you see the match last night", "match"),
           ("Ana Souza", "happy birthday!! 🎉", "birthday")]


def main() -> None:
    from simulacra.engine import Persona
    from simulacra.engine import attribution as A
    from simulacra.rundir import RunDir

    parser = argparse.ArgumentParser()
    parser.add_argument("run", type=Path)
    parser.add_argument("--layer", type=int, default=-4)
    args = parser.parse_args()
    persona = Persona(RunDir(args.run))
    cache, _ = A.build_cache(persona, args.layer)
    dim = int(persona.backend.model.config.hidden_size)
    matrix, mean, records = cache.matrix(dim), cache.mean(dim), cache.records()
    quoted = records[len(records) // 2]
    queries = QUERIES + [(quoted["speaker"], quoted["text"], None)]
    print(f"{len(records)} cached messages, layer {args.layer}, norm of their mean {np.linalg.norm(mean):.3f}")
    for (speaker, text, word), q in zip(queries, A.embed(persona, [(s, t) for s, t, _ in queries], args.layer)):
        print(f"{speaker}: {text[:60]!r}")
        for name, m in (("plain", None), ("centred", mean)):
            ranked = A.nearest(matrix, q, len(records), m)
            top = [score for _, score in ranked[:10]]
            rows = [row for row, _ in ranked]
            ranks = sorted(rows.index(i) + 1 for i, r in enumerate(records) if word and word in r["text"].lower())
            print(f"  {name:8} top-10 {top[0]:.3f}..{top[-1]:.3f} (spread {top[0] - top[-1]:.3f})"
                  + (f"  ranks of the messages with {word!r}: {ranks[:8]}" if word else ""))
    sample = np.asarray(matrix[:200], dtype=np.float32)
    off = ~np.eye(len(sample), dtype=bool)
    for name, x in (("plain", sample), ("centred", A.centred(sample, mean))):
        pairs = (x @ x.T)[off]
        print(f"pairs of {len(sample)} messages, {name}: {np.percentile(pairs, 5):.3f}..{np.percentile(pairs, 95):.3f} "
              "(5th-95th percentile)")


if __name__ == "__main__":
    main()
