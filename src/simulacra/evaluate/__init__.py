"""Evaluate stage: does the tuned model sound like the person? Held-out sessions, tuned vs base vs real -> report/.

report/ holds report.json (every number, the sampling settings), generations.jsonl (each held-out
moment with the real, base and tuned next turn), index.html (headline table, plots) and manifest.json.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterable

from simulacra.errors import SimulacraError
from simulacra.evaluate.config import EvaluateConfig
from simulacra.io import CONVERSATIONS, REPORT, read_json, write_json, write_manifest, write_yaml

__all__ = ["EvaluateConfig", "run", "base_model", "compare", "blind_game"]

SIDES = ("base", "tuned")
GENERATIONS = "generations.jsonl"


def run(config: EvaluateConfig) -> Path:
    """Score perplexity (and, with several trained speakers, who is speaking), generate next turns, measure
    overlap, style, loops, who-said-it, the blind judge (and, with memorisation, the privacy audit); write
    report/ and print the headline table."""
    from simulacra.evaluate.headline import headline, print_headline
    from simulacra.evaluate.perplexity import perplexity, perplexity_report, speaker_nll
    from simulacra.models.persona import Persona
    from simulacra.prepare.dataset import dataset_dir, load_examples
    from simulacra.ui import console, status

    started = time.time()
    examples = load_examples(config.run_dir, config.split)
    if config.max_examples:
        examples = examples[:config.max_examples]
    if not examples:
        raise SimulacraError(f"{dataset_dir(config.run_dir) / (config.split + '.jsonl')}: no examples to evaluate")
    timings: dict[str, float] = {}
    with status("Loading the tuned model"), _timer(timings, "load"):
        persona = Persona(config.run_dir, tuned=True)
    targets = set(persona.prepare_config.speakers)
    pad = persona.renderer.stop_token_id
    with _timer(timings, "perplexity"):
        with status(f"Scoring {len(examples)} held-out examples with the tuned model"):
            tuned = speaker_nll(persona.model, examples, pad, config.batch_size, targets)
        with status("Scoring them with the base model"), base_model(persona) as base:
            base_result = speaker_nll(base, examples, pad, config.batch_size, targets)
    report: dict = {
        "split": config.split, "examples": len(examples), "speakers": persona.prepare_config.speakers,
        "perplexity": {"base": perplexity(base_result), "tuned": perplexity(tuned), "tokens": tuned["tokens"],
                       "speakers": perplexity_report(base_result, tuned)},
    }
    if config.speaker_identity and len(report["speakers"]) > 1:
        from simulacra.evaluate.speakers import identity_of_both

        with _timer(timings, "speaker_identity"):
            report["speaker_identity"] = identity_of_both(persona, examples, report["speakers"], config.batch_size,
                                                          base_model)
    images: dict[str, str] = {}
    moments, train_examples = [], None
    if config.generate:
        from simulacra.evaluate.generate import held_out_moments

        moments = held_out_moments(examples, persona.renderer, targets, config.max_moments)
        with _timer(timings, "generate"):
            generate_replies(persona, moments, config)
        train_examples = load_examples(config.run_dir, "train")
        with _timer(timings, "text_metrics"):
            report.update(text_metrics(moments, train_examples, targets, config, images))
        if config.judge and config.judge.lower() != "none" and moments:
            with status(f"Blind judge ({config.judge}) reading {len(moments)} moments"), _timer(timings, "judge"):
                report["judge"] = run_judge(persona, moments, config.judge)
    if config.memorisation:
        if train_examples is None:
            train_examples = load_examples(config.run_dir, "train")
        with _timer(timings, "memorisation"):
            report["memorisation"] = memorisation_audit(persona, train_examples, examples, targets, moments, config)
    report["headline"] = rows = headline(report)

    out = config.run_dir / REPORT
    write_generations(out / GENERATIONS, moments)
    report["timings_s"] = timings
    report["wall_time_s"] = round(time.time() - started, 1)  # before the page, which shows it
    if config.html:
        with _timer(timings, "html"):
            write_html(out / "index.html", report, rows, base_result, tuned, images, moments)
    report["timings_s"] = timings
    report["wall_time_s"] = round(time.time() - started, 1)
    write_json(out / "report.json", report)
    write_yaml(out / "config.yaml", config.dump())
    write_manifest(out / "manifest.json", stage="evaluate", inputs=[dataset_dir(config.run_dir) / f"{config.split}.jsonl"],
                   counts={"examples": len(examples), "scored_tokens": tuned["tokens"], "moments": len(moments)},
                   started=started)
    print_headline(rows)
    ppl = report["perplexity"]
    console.print(f"held-out perplexity of {', '.join(report['speakers'])} ({ppl['tokens']} tokens): "
                  f"base {ppl['base']:.2f} → tuned {ppl['tuned']:.2f}   ·   report: {out / 'index.html'}")
    return out


def generate_replies(persona, moments, config: EvaluateConfig) -> None:
    """Fill each moment's replies["tuned"] and replies["base"], with a progress bar."""
    from simulacra.evaluate.generate import generate
    from simulacra.ui import progress

    sampling = sampling_of(config)
    prompts = [m.prompt for m in moments]
    with progress() as bar:
        for side in ("tuned", "base"):
            task = bar.add_task(f"Generating {side} next turns", total=len(prompts), info="")
            ctx = base_model(persona) if side == "base" else _nullcontext(persona.model)
            with ctx as model:
                replies = generate(model, prompts, persona.renderer.stop_token_id, persona.tokenizer, sampling,
                                   on_batch=lambda n, t=task: bar.advance(t, n))
            for m, reply in zip(moments, replies):
                m.replies[side] = reply


def sampling_of(config: EvaluateConfig):
    from simulacra.evaluate.generate import Sampling

    return Sampling(max_new_tokens=config.max_new_tokens, temperature=config.temperature, top_p=config.top_p,
                    top_k=config.top_k, repetition_penalty=config.repetition_penalty, seed=config.seed,
                    batch_size=config.gen_batch_size)


def text_metrics(moments, train_examples, targets: set[str], config: EvaluateConfig, images: dict) -> dict:
    """Overlap, style, loops and who-said-it from the moments' real and generated turns (no model needed)."""
    from dataclasses import asdict

    from simulacra.evaluate.loops import loop_report
    from simulacra.evaluate.overlap import overlap_scores
    from simulacra.evaluate.style import features, style_report

    out: dict = {"sampling": asdict(sampling_of(config)), "moments": len(moments)}
    real = [m.real for m in moments]
    out["overlap"] = {side: overlap_scores([m.replies[side] for m in moments], real) for side in SIDES}
    out["style"] = {}
    for who in sorted({m.speaker for m in moments}):
        mine = [m for m in moments if m.speaker == who]
        training = [t.text for ex in train_examples for t in ex.turns if t.speaker == who]
        sides = {side: [m.replies[side] for m in mine] for side in SIDES}
        if training:
            sides["training"] = training
        out["style"][who] = style_report([m.real for m in mine], sides)
        if config.html:
            from simulacra.evaluate.html import style_plot

            images[f"style:{who}"] = style_plot({"real": features([m.real for m in mine]),
                                                 **{side: features(sides[side]) for side in SIDES}})
    out["loops"] = {"real": loop_report(real), **{side: loop_report([m.replies[side] for m in moments])
                                                  for side in SIDES}}
    if config.who_said_it:
        from simulacra.evaluate.whosaid import who_said_it

        train_turns = [(t.speaker, t.text) for ex in train_examples for t in ex.turns]
        out["who_said_it"] = who_said_it(train_turns, [(m.speaker, m.real) for m in moments],
                                         {side: [(m.speaker, m.replies[side]) for m in moments] for side in SIDES})
    if config.html:
        from simulacra.evaluate.html import bars_plot

        images["loops"] = bars_plot({k: {s: out["loops"][s][k] for s in ("base", "tuned", "real")}
                                     for k in ("repetition", "looping", "generic", "duplicate_turns")},
                                    "loops and blandness", "share")
    return out


def run_judge(persona, moments, judge: str) -> dict:
    """The blind judge: 'tuned' or 'base' (the run's own model) or any local model, by likelihood."""
    from simulacra.evaluate.blind import judge_picks, score_candidates

    labels = list(SIDES)
    if judge in ("tuned", "base"):
        renderer = persona.renderer
        ctx = base_model(persona) if judge == "base" else _nullcontext(persona.model)
        with ctx as model:
            result = judge_picks(moments, labels, lambda rows: score_candidates(model, renderer, rows),
                                 lambda m: m.prompt)
    else:
        from simulacra.models.embedded import resolve_tokenizer
        from simulacra.models.load import load_base_model
        from simulacra.formats.tokenizer import ChatTokenizer
        from simulacra.formats.render import RolesRenderer

        renderer = RolesRenderer(ChatTokenizer.load(resolve_tokenizer(judge)))
        model = load_base_model(judge, len(renderer.tok)).eval()
        result = judge_picks(moments, labels, lambda rows: score_candidates(model, renderer, rows),
                             lambda m: renderer.prompt(m.system, m.history, m.speaker))
    return {"judge": judge, **result}


def memorisation_audit(persona, train_examples, held_out_examples, targets, moments, config: EvaluateConfig) -> dict:
    """Greedy completion of training turns vs held-out turns, tuned and base; PII in everything generated."""
    from simulacra.evaluate.generate import Sampling, generate
    from simulacra.evaluate.memorisation import audit_rows, match_rates, pii_findings
    from simulacra.schema import read_conversations
    from simulacra.ui import status

    greedy = Sampling(max_new_tokens=32, temperature=0, repetition_penalty=1.0, batch_size=config.gen_batch_size)
    rows = {"train": audit_rows(train_examples, persona.renderer, targets, config.memorisation_samples),
            "held_out": audit_rows(held_out_examples, persona.renderer, targets, config.memorisation_samples)}
    out: dict = {"settings": {"decoding": "greedy", "max_new_tokens": 32, "target_chars": "20-40"}}
    generated: list[str] = [r for m in moments for r in m.replies.values()]
    with status(f"Privacy audit: completing {sum(map(len, rows.values()))} turns from their first half"):
        for side in SIDES:
            out[side] = {}
            ctx = base_model(persona) if side == "base" else _nullcontext(persona.model)
            with ctx as model:
                for split, rs in rows.items():
                    texts = generate(model, [p for p, _, _ in rs], persona.renderer.stop_token_id, persona.tokenizer,
                                     greedy) if rs else []
                    out[side][split] = match_rates([(g, t) for g, (_, _, t) in zip(texts, rs)])
                    if side == "tuned":
                        generated += texts
    # Compare with the raw chat (before prepare's scrubbing): a value found there came from the person's data.
    raw = config.run_dir / CONVERSATIONS
    source = ("\n".join(m.text for c in read_conversations(raw) for m in c.messages) if raw.is_file()
              else "\n".join(t.text for ex in train_examples for t in ex.turns))
    out["pii"] = pii_findings(generated, source)
    return out


def write_generations(path: Path, moments) -> None:
    import orjson

    from simulacra.io import atomic_write

    with atomic_write(path, "wb") as f:
        for m in moments:
            f.write(orjson.dumps({"speaker": m.speaker, "system": m.system,
                                  "history": [[t.speaker, t.text] for t in m.history],
                                  "real": m.real, "replies": m.replies}) + b"\n")


def read_generations(path: Path):
    import orjson

    from simulacra.evaluate.generate import Moment
    from simulacra.schema import Turn

    moments = []
    for line in Path(path).read_bytes().splitlines():
        if line.strip():
            d = orjson.loads(line)
            moments.append(Moment(-1, -1, d["speaker"], [Turn(s, t) for s, t in d["history"]], d["real"], [],
                                  d["replies"], d.get("system")))
    return moments


def write_html(path: Path, report: dict, rows, base_result, tuned_result, images: dict, moments) -> None:
    from simulacra.evaluate.html import page, perplexity_plot
    from simulacra.evaluate.perplexity import turn_perplexities
    from simulacra.io import atomic_write

    if tuned_result["turns"]:
        images["perplexity"] = perplexity_plot(turn_perplexities(base_result), turn_perplexities(tuned_result))
    samples = [{"context": "\n".join(f"{t.speaker}: {t.text}" for t in m.history[-3:]), "real": m.real,
                **m.replies} for m in moments[:12]]
    with atomic_write(path) as f:
        f.write(page(report, rows, images, samples))


def compare(run_dirs: list[Path]) -> list[dict]:
    """Print the headline metrics of several evaluated runs side by side (tuned values; base of each in brackets)."""
    from rich.table import Table

    from simulacra.evaluate.headline import ARROWS, cell
    from simulacra.ui import console

    reports = []
    for d in run_dirs:
        path = Path(d) / REPORT / "report.json"
        if not path.is_file():
            raise SimulacraError(f"{path}: no report (run `simulacra evaluate {d}` first)")
        reports.append(read_json(path))
    metrics: dict[str, dict] = {}
    for i, rep in enumerate(reports):
        for row in rep.get("headline", []):
            metrics.setdefault(row["metric"], {"row": row, "runs": {}})["runs"][i] = row
    table = Table(title="Runs compared (tuned; base in brackets)", title_justify="left")
    table.add_column("metric")
    table.add_column("better", justify="center")
    for d in run_dirs:
        table.add_column(str(d), justify="right")
    table.add_column("real", justify="right")
    out = []
    for name, entry in metrics.items():
        cells = []
        for i in range(len(reports)):
            row = entry["runs"].get(i)
            cells.append("—" if row is None else f"{cell(row, 'tuned')} ({cell(row, 'base')})")
        table.add_row(name, ARROWS[entry["row"]["better"]], *cells, cell(entry["row"], "real"))
        out.append({"metric": name, "runs": {str(run_dirs[i]): r.get("tuned") for i, r in entry["runs"].items()}})
    console.print(table)
    return out


def blind_game(config: EvaluateConfig, lines: Iterable[str] | None = None, rounds: int = 10,
               emit: Callable[[str], None] | None = None) -> dict:
    """The terminal game on report/generations.jsonl (made first if missing); `lines` replaces the keyboard."""
    from simulacra.evaluate.blind import play
    from simulacra.ui import console

    path = config.run_dir / REPORT / GENERATIONS
    moments = read_generations(path) if path.is_file() else []
    if not moments:
        from simulacra.evaluate.generate import held_out_moments
        from simulacra.models.persona import Persona
        from simulacra.prepare.dataset import load_examples

        persona = Persona(config.run_dir, tuned=True)
        examples = load_examples(config.run_dir, config.split)
        moments = held_out_moments(examples, persona.renderer, set(persona.prepare_config.speakers),
                                   config.max_moments or rounds)
        generate_replies(persona, moments, config)
    if not moments:
        raise SimulacraError(f"{config.run_dir}: no held-out moments to play with")
    emit = emit or (lambda text: console.print(text, end="", highlight=False, markup=False, soft_wrap=True))
    result = play(moments, list(SIDES), _keyboard() if lines is None else lines, emit, seed=config.seed, rounds=rounds)
    if result.get("moments"):
        write_json(config.run_dir / REPORT / "blind_game.json", result)
    return result


def _keyboard():
    while True:
        try:
            yield input()
        except EOFError:
            return


class _timer:
    """Adds the block's wall time (seconds) to `timings[name]`."""

    def __init__(self, timings: dict, name: str):
        self.timings, self.name = timings, name

    def __enter__(self):
        self.start = time.time()

    def __exit__(self, *exc):
        self.timings[self.name] = round(self.timings.get(self.name, 0) + time.time() - self.start, 1)
        return False


class _nullcontext:
    def __init__(self, value):
        self.value = value

    def __enter__(self):
        return self.value

    def __exit__(self, *exc):
        return False


class base_model:
    """Context manager giving the base model: the same weights with the LoRA adapter switched off."""

    def __init__(self, persona):
        self.persona, self.ctx, self.model = persona, None, None

    def __enter__(self):
        model = self.persona.model
        if hasattr(model, "disable_adapter"):
            self.ctx = model.disable_adapter()
            self.ctx.__enter__()
            return model
        from simulacra.models.load import load_base_model

        self.model = load_base_model(self.persona.prepare_config.model, len(self.persona.tokenizer)).eval()
        return self.model

    def __exit__(self, *exc):
        if self.ctx is not None:
            self.ctx.__exit__(*exc)
        self.model = None
        return False
