"""`simulacra evaluate RUN_DIR`: options come from EvaluateConfig; calls evaluate.run (or compare, or blind)."""

from __future__ import annotations

from pathlib import Path

import typer

from simulacra.cli_options import Settings, settings_command
from simulacra.errors import SimulacraError
from simulacra.evaluate.config import EvaluateConfig


@settings_command(EvaluateConfig, skip=("run_dir",))
def evaluate(
    settings: Settings,
    run_dirs: list[str] = typer.Argument(..., metavar="RUN_DIRS", show_default=False,
                                         help="Run directory with a trained model/ (several with --compare)."),
    compare: bool = typer.Option(False, "--compare", help="Put the reports of several evaluated runs side by side."),
    blind: bool = typer.Option(False, "--blind", help="Play the blind game: spot the real reply among generated ones."),
    rounds: int = typer.Option(10, help="Rounds of the blind game."),
) -> None:
    """Does the model sound like the person? Held-out perplexity, next-turn overlap, style, who-said-it and a
    classifier two-sample test, tuned vs base vs real; writes report/ (report.json and index.html)."""
    from simulacra.evaluate import blind_game, compare as compare_runs, run

    if compare:
        if len(run_dirs) < 2:
            raise SimulacraError("--compare: name two or more run directories")
        compare_runs([Path(d) for d in run_dirs])
        return
    if len(run_dirs) != 1:
        raise SimulacraError("name one run directory (or use --compare for several)")
    cfg = settings.build(run_dir=run_dirs[0])
    if blind:
        blind_game(cfg, rounds=rounds)
        return
    run(cfg)
