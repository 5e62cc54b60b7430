"""Plot helpers every report uses: matplotlib on the Agg backend, each figure returned as a data: URI PNG."""

from __future__ import annotations

import base64
import io


def pyplot():
    """matplotlib.pyplot drawing into memory (Agg): reports are written on machines without a display."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def png(fig, dpi: int = 90) -> str:
    """A matplotlib figure as a data: URI (the figure is closed)."""
    plt = pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def grouped_bars(groups: dict[str, dict[str, float | None]], series: list[str], title: str, ylabel: str,
                 colors: dict[str, str] | None = None) -> str:
    """groups: x label -> series -> value (None draws as 0); one bar per series side by side."""
    import numpy as np

    plt = pyplot()
    labels = list(groups)
    fig, ax = plt.subplots(figsize=(max(5, 1.3 * len(labels)), 3.2))
    x = np.arange(len(labels))
    width = 0.8 / max(1, len(series))
    for k, name in enumerate(series):
        ax.bar(x + k * width, [groups[g].get(name) or 0 for g in labels], width, label=name,
               color=(colors or {}).get(name))
    ax.set_xticks(x + width * (len(series) - 1) / 2, labels, fontsize=9)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8)
    return png(fig)


def stacked_bars(labels: list[str], series: dict[str, list[float]], title: str, ylabel: str) -> str:
    """One bar per label, stacked by series (e.g. messages per month, one colour per speaker)."""
    import numpy as np

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(min(11, max(6, 0.35 * len(labels) + 2)), 3.4))
    bottom = np.zeros(len(labels))
    for name, values in series.items():
        ax.bar(range(len(labels)), values, bottom=bottom, label=name, width=0.85)
        bottom += np.asarray(values, dtype=float)
    pad = max(0.75, (5 - len(labels)) / 2)  # a chat of one or two months still gets slim bars
    ax.set_xlim(-pad, len(labels) - 1 + pad)
    step = max(1, len(labels) // 18)  # at most ~18 tick labels, so they never overlap
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))  # beside the bars, never over them
    return png(fig)


def heatmap(matrix, xlabels: list[str], ylabels: list[str], title: str, *, cmap: str = "Blues",
            diverging: bool = False, annotate: bool = False, colorbar: str = "",
            figsize: tuple[float, float] = (10, 3.2)) -> str:
    """A labelled matrix; `diverging` centres the colour scale on 0 (for differences)."""
    import numpy as np

    plt = pyplot()
    m = np.asarray(matrix, dtype=float)
    fig, ax = plt.subplots(figsize=figsize)
    limit = float(np.nanmax(np.abs(m))) if m.size else 1.0
    scale = {"vmin": -limit or -1, "vmax": limit or 1} if diverging else {}
    im = ax.imshow(m, cmap="RdBu_r" if diverging else cmap, aspect="auto", **scale)
    ax.set_xticks(range(len(xlabels)), xlabels, fontsize=8, rotation=45 if annotate else 0)
    ax.set_yticks(range(len(ylabels)), ylabels, fontsize=8)
    if annotate:
        for (i, j), v in np.ndenumerate(m):
            shade = im.norm(v)  # white figures on dark cells, black on light ones
            dark = abs(shade - 0.5) > 0.3 if diverging else shade < 0.55
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6.5, color="white" if dark else "black")
    ax.set_title(title, fontsize=10)
    fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02, label=colorbar)
    return png(fig)


def histograms(series: dict[str, list[float]], xlabel: str, ylabel: str, *, log_x: bool = False, bins: int = 30,
               share: bool = False, vline: tuple[float, str] | None = None,
               colors: dict[str, str] | None = None) -> str:
    """Overlaid step histograms on shared bins; `share` plots fractions so unequal series compare."""
    import numpy as np

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    values = [v for vs in series.values() for v in vs if not log_x or v > 0]
    if values:
        lo, hi = min(values), max(values)
        hi = hi if hi > lo else lo + 1
        edges = np.logspace(np.log10(lo), np.log10(hi), bins) if log_x else _linear_edges(values, lo, hi, bins)
        for name, vs in series.items():
            vs = [v for v in vs if not log_x or v > 0]
            if vs:
                weights = np.ones(len(vs)) / len(vs) if share else None
                ax.hist(vs, bins=edges, weights=weights, histtype="step", linewidth=1.8, label=name,
                        color=(colors or {}).get(name))
    if vline:
        ax.axvline(vline[0], color="#b22222", linestyle="--", linewidth=1.2, label=vline[1])
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(series) > 1 or vline:
        ax.legend(fontsize=8)
    return png(fig)


def _linear_edges(values: list[float], lo: float, hi: float, bins: int):
    """Whole-number data (words, turns, tokens) gets bins of whole-number width centred on the values, so no
    bin falls between two integers and shows as a false gap."""
    import numpy as np

    if not all(float(v).is_integer() for v in values):
        return np.linspace(lo, hi, bins)
    width = max(1, int(np.ceil((hi - lo + 1) / bins)))
    return np.arange(lo - 0.5, hi + width + 0.5, width)
