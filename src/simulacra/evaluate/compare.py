"""`simulacra evaluate --compare A B ...`: the headline metrics of several evaluated runs side by side."""

from __future__ import annotations

from pathlib import Path

from simulacra.io import read_json
from simulacra.rundir import RunDir


def compare(run_dirs: list[Path]) -> list[dict]:
    """Print the headline metrics of several evaluated runs side by side (tuned values; base of each in brackets)."""
    from rich.table import Table

    from simulacra.evaluate.headline import ARROWS, cell
    from simulacra.ui import console

    reports = [read_json(RunDir(d).require_report()) for d in run_dirs]
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
