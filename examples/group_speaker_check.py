"""Does a model trained on a group chat (`prepare --as all`) know who is speaking? The per-speaker table.

    python examples/group_speaker_check.py runs/group        # after ingest, prepare --as all, train

`simulacra evaluate` reports the overall figure ("Turns likeliest under their true speaker"); this
prints it per speaker, for the base and the tuned model. For every held-out turn by a trained speaker,
the real words are scored after each trained speaker's header in turn (same history, same system text);
the model "answers as the one asked" when the true speaker's header makes the real words likeliest.
Chance is one in the number of speakers. See `simulacra.evaluate.speakers`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--split", default="test")
    args = parser.parse_args(argv)

    from simulacra.engine import Persona
    from simulacra.evaluate.speakers import identity_of_both
    from simulacra.rundir import RunDir

    persona = Persona(RunDir(args.run_dir))
    speakers = persona.speakers
    both = identity_of_both(persona, persona.run.examples(args.split), speakers, 8)
    base, tuned = both["base"], both["tuned"]
    print(f"\n{tuned['turns']} held-out turns, {len(speakers)} candidate headers each (chance {tuned['chance']:.0%})")
    print("| speaker | turns | base picks the true speaker | tuned picks the true speaker |")
    print("|---|---|---|---|")
    for who in speakers:
        b, t = base["speakers"][who], tuned["speakers"][who]
        print(f"| {who} | {t['turns']} | {b['accuracy']:.0%} | {t['accuracy']:.0%} |")
    print(f"| all | {tuned['turns']} | {base['accuracy']:.0%} | {tuned['accuracy']:.0%} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
