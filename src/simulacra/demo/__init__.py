"""Demo stage: ingest the sample chat, prepare, LoRA-train the embedded model, evaluate, and show replies."""

from __future__ import annotations

import time
from pathlib import Path

from simulacra.demo.config import DemoConfig

__all__ = ["DemoConfig", "run"]


def run(config: DemoConfig) -> Path:
    """Run every stage on one run directory and print base-vs-tuned perplexity and sample exchanges."""
    from simulacra import evaluate, ingest, prepare, train
    from simulacra.ui import console

    started = time.time()
    console.rule("1/5 ingest")
    ingest.run(ingest.IngestConfig(inputs=[config.input], out=config.run_dir))
    console.rule("2/5 prepare")
    prepare.run(prepare.PrepareConfig(run_dir=config.run_dir, speakers=[config.speaker]))
    console.rule("3/5 train")
    train.run(train.TrainConfig(run_dir=config.run_dir, epochs=config.epochs, max_steps=config.max_steps,
                                learning_rate=config.learning_rate, save_steps=1000))
    console.rule("4/5 evaluate")
    report = evaluate.run(evaluate.EvaluateConfig(run_dir=config.run_dir, max_moments=config.eval_moments))
    console.rule("5/5 chat: held-out moments, real vs base vs tuned")
    show_exchanges(config)
    from simulacra.evaluate.headline import print_headline
    from simulacra.io import read_json

    result = read_json(report / "report.json")
    console.print()
    print_headline(result["headline"], title=f"Does it sound like {config.speaker}? (held-out sessions)")
    ppl = result["perplexity"]
    console.print(f"\n[bold]held-out perplexity of {config.speaker}[/]: base {ppl['base']:.2f} → "
                  f"tuned {ppl['tuned']:.2f}   ·   demo wall time {time.time() - started:.0f} s")
    console.print(f"Report with plots: [bold]{report / 'index.html'}[/]")
    console.print(f"Chat with it yourself: [bold]simulacra chat {config.run_dir}[/]")
    return config.run_dir


def show_exchanges(config: DemoConfig) -> None:
    """For a few test-split turns of the speaker: the context, then the real, base and tuned replies."""
    from simulacra.engine import Persona, Sampling
    from simulacra.rundir import RunDir
    from simulacra.ui import console

    run_dir = RunDir(config.run_dir)
    persona = Persona(run_dir, tuned=True)
    system = persona.spec.system_prompt
    sampling = Sampling(max_new_tokens=48, temperature=0.7, top_p=0.9, seed=0, batch_size=1)
    moments = held_out_moments(run_dir.examples("test"), config.speaker, config.exchanges)
    for history, real in moments:
        for turn in history[-3:]:
            console.print(f"[dim]{turn.speaker}:[/] {_one_line(turn.text)}", highlight=False)
        tuned = persona.side("tuned").reply(system, history, config.speaker, sampling)
        base = persona.side("base").reply(system, history, config.speaker, sampling)
        console.print(f"  [bold]real [/] {_one_line(real)}", highlight=False)
        console.print(f"  [yellow]base [/] {_one_line(base)}", highlight=False)
        console.print(f"  [green]tuned[/] {_one_line(tuned)}\n", highlight=False)


def held_out_moments(examples, speaker: str, limit: int):
    """(history, real reply) pairs where `speaker` answers someone else, at most one per example."""
    moments = []
    for ex in examples:
        for i in range(1, len(ex.turns)):
            if ex.turns[i].speaker == speaker and ex.turns[i - 1].speaker != speaker:
                moments.append((ex.turns[:i], ex.turns[i].text))
                break
        if len(moments) >= limit:
            break
    return moments


def _one_line(text: str) -> str:
    return text.replace("\n", " ⏎ ")
