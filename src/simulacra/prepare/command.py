"""`simulacra prepare RUN_DIR --as NAME`: options come from PrepareConfig; calls prepare.run."""

from __future__ import annotations

from pathlib import Path

import typer

from simulacra.cli_options import Settings, settings_command
from simulacra.prepare.config import PrepareConfig


@settings_command(PrepareConfig)
def prepare(
    settings: Settings,
    no_scrub: bool = typer.Option(False, "--no-scrub", help="Keep phone numbers, e-mails, cards, IBANs and "
                                  "secret URLs (same as an empty --scrub list)."),
    preview: int = typer.Option(0, help="Print this many training examples with trained tokens highlighted."),
) -> None:
    """Split into sessions and windows, render with a loss mask on the chosen speakers, split by time."""
    from simulacra.prepare import run
    from simulacra.rundir import RunDir
    from simulacra.prepare.preview import print_preview

    run_dir = Path(settings.values["run_dir"])
    saved = _saved_settings(run_dir) if not settings.values.get("speakers") else {}
    out = run(settings.build(base=saved, **({"scrub": []} if no_scrub else {})))
    if preview:
        prepared = RunDir(out.parent)
        print_preview(prepared.examples("train"), prepared.tokenizer(), preview)


def _saved_settings(run_dir: Path) -> dict:
    """Re-running prepare on a run directory reuses its last settings, so --as need not be retyped."""
    import yaml

    saved = run_dir / "dataset" / "config.yaml"
    return yaml.safe_load(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
