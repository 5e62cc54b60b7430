"""The `simulacra` command: one verb per stage, each defined in `simulacra/<stage>/command.py`.

The CLI only parses flags and calls the stage's `run(config)`; errors a user can fix print as one
line and exit with code 2. Importing this module never imports torch, so `--help` stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys

import typer
from rich.console import Console
from rich.markup import escape

from simulacra.errors import SimulacraError

# verb -> "module:function". Commands are plain typer functions living beside their stage.
VERBS = {
    "ingest": "simulacra.ingest.command:ingest",
    "prepare": "simulacra.prepare.command:prepare",
    "train": "simulacra.train.command:train",
    "evaluate": "simulacra.evaluate.command:evaluate",
    "chat": "simulacra.chat.command:chat",
    "converse": "simulacra.converse.command:converse",
    "demo": "simulacra.demo.command:demo",
    "export": "simulacra.export.command:export",
    "steer": "simulacra.steer.command:steer",
    "attribute": "simulacra.attribute.command:attribute",
    "analyze": "simulacra.analyze.command:analyze",
    "serve": "simulacra.serve.command:serve",
}

COMMANDS: dict = {}  # verb -> its command function, once registered

app = typer.Typer(
    help="Fine-tune a language model on chat history so it talks like a chosen person.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Also show the libraries' warnings, "
                                       "log lines and progress bars (hidden by default).")) -> None:
    """Fine-tune a language model on chat history so it talks like a chosen person."""
    if not verbose:
        from simulacra.ui import quiet_libraries

        quiet_libraries()


@app.command("config")
def _config(verb: str = typer.Argument(..., metavar="VERB", help="The verb whose settings to print, "
                                        "e.g. train.")) -> None:
    """Print every setting of a verb with its default and help, as commented YAML for --config."""
    from simulacra.config import settings_yaml

    stages = {name: command.config_class for name, command in COMMANDS.items() if hasattr(command, "config_class")}
    if verb not in stages:
        raise SimulacraError(f"config {verb!r}: choose one of {', '.join(stages)}")
    sys.stdout.write(settings_yaml(stages[verb], verb))


def _register() -> None:
    for verb, target in VERBS.items():
        module_name, func_name = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith(module_name.rsplit(".", 1)[0]):
                continue  # stage not built yet
            raise
        COMMANDS[verb] = getattr(module, func_name)
        app.command(verb)(COMMANDS[verb])


_register()


def main() -> None:
    """Entry point: run the typer app and turn user errors into one line plus exit code 2."""
    # Before torch loads (it reads this once): tensors of 2 MB and more go on transparent huge pages,
    # so the activations a training step allocates cost a few page faults instead of thousands.
    os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")
    try:
        app()
    except SimulacraError as e:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(str(e))}", highlight=False)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
