"""Does a model trained on a group chat (`prepare --as all`) know who is speaking? A likelihood check.

    python examples/group_speaker_check.py runs/group        # after ingest, prepare --as all, train

For every held-out turn by a trained speaker, the real words are scored after each trained speaker's
header in turn (same history, same system text). The model "answers as the one asked" when the true
speaker's header makes the real words likeliest. Printed for the base and the tuned model, per
speaker; chance is one in the number of speakers.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path


def candidate_rows(persona, examples, speakers: list[str]) -> tuple[list[dict], list[str]]:
    """One row per (held-out turn, candidate speaker); the mask covers the turn's words and end token."""
    from simulacra.schema import Turn

    renderer, rows, truth = persona.renderer, [], []
    for ex in examples:
        system = renderer.system_text(None, list(dict.fromkeys(t.speaker for t in ex.turns)))
        for i, turn in enumerate(ex.turns):
            if i == 0 or turn.speaker not in speakers:
                continue
            truth.append(turn.speaker)
            for who in speakers:
                prompt = renderer.prompt(system, ex.turns[:i], who)
                ids, _ = renderer.render(system, ex.turns[:i] + [Turn(who, turn.text)], set())
                rows.append({"input_ids": ids, "mask": [0] * len(prompt) + [1] * (len(ids) - len(prompt))})
    return rows, truth


def picks(model, rows, truth, speakers, pad_id) -> Counter:
    """Counter of (true speaker, correct?) over held-out turns."""
    from simulacra.evaluate.perplexity import masked_nll

    total = [0.0] * len(rows)
    for i, nll, trained in masked_nll(model, rows, pad_id):
        total[i] = float(nll[trained].sum())
    out: Counter = Counter()
    for k, real in enumerate(truth):
        scores = total[k * len(speakers):(k + 1) * len(speakers)]
        out[real, speakers[scores.index(min(scores))] == real] += 1
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--split", default="test")
    args = parser.parse_args(argv)

    from simulacra.models.persona import Persona
    from simulacra.prepare.dataset import load_examples

    persona = Persona(args.run_dir)
    speakers = list(persona.prepare_config.speakers)
    rows, truth = candidate_rows(persona, load_examples(args.run_dir, args.split), speakers)
    pad_id = persona.renderer.stop_token_id
    tuned = picks(persona.model, rows, truth, speakers, pad_id)
    with persona.model.disable_adapter():
        base = picks(persona.model, rows, truth, speakers, pad_id)
    print(f"\n{len(truth)} held-out turns, {len(speakers)} candidate headers each (chance {1 / len(speakers):.0%})")
    print("| speaker | turns | base picks the true speaker | tuned picks the true speaker |")
    print("|---|---|---|---|")
    for who in speakers + ["all"]:
        n = sum(v for (s, _), v in tuned.items() if who in ("all", s))
        right = [sum(v for (s, ok), v in c.items() if ok and who in ("all", s)) / max(n, 1) for c in (base, tuned)]
        print(f"| {who} | {n} | {right[0]:.0%} | {right[1]:.0%} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
