"""Console helpers: one rich console for the whole program, spinners and progress bars, quiet libraries.

On a terminal they animate; piped into a file or a CI log they print plain lines instead (a line when a
step starts and ends, and one per quarter of a progress bar), so long work is never silent.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import warnings
from typing import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console()


@contextlib.contextmanager
def status(message: str) -> Iterator[None]:
    started = time.time()
    if not console.is_terminal:
        console.print(f"… {message}", highlight=False)
    with console.status(message):
        yield
    console.print(f"[green]✓[/] {message} [dim]({time.time() - started:.0f} s)[/]", highlight=False)


def progress():
    """A progress bar with counts and times, the same look for every stage (plain lines when not on a terminal)."""
    if not console.is_terminal:
        return LineProgress()
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[info]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=console)


class LineProgress:
    """The part of rich's Progress the stages use, printing one line per quarter done and one at the end."""

    def __init__(self):
        self.tasks: dict[int, dict] = {}

    def __enter__(self) -> "LineProgress":
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def add_task(self, description: str, total: float | None = None, info: str = "", **_) -> int:
        task = len(self.tasks)
        self.tasks[task] = {"description": description, "total": total or 0, "done": 0, "shown": 0,
                            "started": time.time()}
        console.print(f"… {description}: 0/{total or '?'}", highlight=False)
        return task

    def advance(self, task: int, advance: float = 1) -> None:
        t = self.tasks[task]
        t["done"] += advance
        if not t["total"]:
            return
        quarter = int(4 * t["done"] / t["total"])
        if quarter > t["shown"]:
            t["shown"] = quarter
            elapsed = time.time() - t["started"]
            left = elapsed * (t["total"] - t["done"]) / t["done"]
            console.print(f"  {t['description']}: {t['done']:.0f}/{t['total']:.0f} ({elapsed:.0f} s"
                          + (f", ~{left:.0f} s left)" if t["done"] < t["total"] else ")"), highlight=False)

    def update(self, task: int, **fields) -> None:
        if "completed" in fields:
            self.advance(task, fields["completed"] - self.tasks[task]["done"])


# Libraries whose warnings, log lines and progress bars are theirs, not the user's (shown with --verbose).
LIBRARIES = ("transformers", "peft", "accelerate", "torch", "datasets", "trl", "huggingface_hub", "tokenizers",
             "bitsandbytes", "safetensors", "sklearn", "matplotlib")


def quiet_libraries() -> None:
    """Silence third-party warnings, info logs and progress bars, so the lines that matter stand out.

    Environment variables reach libraries imported later and child processes (train --launcher);
    a library already imported is told directly. Simulacra's own warnings (e.g. IngestWarning) stay.
    """
    env = {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "HF_DATASETS_DISABLE_PROGRESS_BARS": "1",
           "TRANSFORMERS_VERBOSITY": "error", "TRANSFORMERS_NO_ADVISORY_WARNINGS": "1",
           "PYTHONWARNINGS": "ignore::FutureWarning,ignore::DeprecationWarning"}
    for key, value in env.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", module="|".join(rf"{name}(\.|$)" for name in LIBRARIES))
    for name in LIBRARIES:
        logging.getLogger(name).setLevel(logging.ERROR)
    if "transformers" in sys.modules:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    if "huggingface_hub" in sys.modules:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
