"""Console helpers: one rich console for the whole program, spinners and progress bars, quiet libraries."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from typing import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

console = Console()


@contextlib.contextmanager
def status(message: str) -> Iterator[None]:
    with console.status(message):
        yield
    console.print(f"[green]✓[/] {message}")


def progress() -> Progress:
    """A progress bar with counts and times, the same look for every stage."""
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[info]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                    console=console)


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
