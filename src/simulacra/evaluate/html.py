"""The report page: one self-contained HTML file (plots inlined as base64 PNG), headline table first."""

from __future__ import annotations

from html import escape

from simulacra.evaluate.headline import headline_table
from simulacra.evaluate.style import FEATURES
from simulacra.report.page import document, nav, section, table_html
from simulacra.report.page import fmt as _fmt
from simulacra.report.plots import grouped_bars, png
from simulacra.report.plots import pyplot as _plt

COLORS = {"real": "#222222", "base": "#d4a017", "tuned": "#2e8b57", "training": "#888888"}


def perplexity_plot(base: list[float], tuned: list[float]) -> str:
    import numpy as np

    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 3.2))
    values = [v for v in base + tuned if v > 0]
    bins = np.logspace(np.log10(min(values)), np.log10(max(values)), 30) if values else 10
    ax.hist(base, bins=bins, alpha=.55, label="base", color=COLORS["base"])
    ax.hist(tuned, bins=bins, alpha=.55, label="tuned", color=COLORS["tuned"])
    ax.set_xscale("log")
    ax.set_xlabel("perplexity of one real turn (log scale)")
    ax.set_ylabel("turns")
    ax.legend()
    return png(fig)


def style_plot(values: dict[str, dict[str, list[float]]]) -> str:
    """values: side -> feature -> list. One small panel per feature, real vs base vs tuned overlaid."""
    import numpy as np

    plt = _plt()
    names = list(FEATURES)
    cols = 3
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(11, 2.6 * rows))
    for ax, name in zip(axes.flat, names):
        data = {side: f[name] for side, f in values.items() if f.get(name)}
        allv = [v for vs in data.values() for v in vs]
        if not allv:
            ax.set_visible(False)
            continue
        lo, hi = min(allv), max(allv)
        bins = np.linspace(lo, hi if hi > lo else lo + 1, 16)
        for side, vs in data.items():
            weights = np.ones(len(vs)) / len(vs)
            ax.hist(vs, bins=bins, weights=weights, histtype="step", linewidth=1.8, label=side,
                    color=COLORS.get(side, None))
        ax.set_title(FEATURES[name][1], fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    return png(fig)


def bars_plot(groups: dict[str, dict[str, float | None]], title: str, ylabel: str) -> str:
    """groups: metric -> side -> value; grouped bars."""
    sides = [s for s in ("base", "tuned", "real") if any(groups[m].get(s) is not None for m in groups)]
    return grouped_bars(groups, sides, title, ylabel, COLORS)


SECTIONS = [("headline", "Headline"), ("perplexity", "Perplexity"), ("speakers", "Who is speaking"),
            ("overlap", "Overlap"), ("style", "Style"), ("who-said-it", "Who said it"), ("judge", "Blind judge"),
            ("loops", "Loops"), ("privacy", "Privacy"), ("samples", "Samples")]


def page(report: dict, rows: list[dict], images: dict[str, str], samples: list[dict], moments=()) -> str:
    """The whole page as a string: the first screen (verdict, headline, three moments), then one section per part,
    each linked from the sticky table of contents."""
    from simulacra.evaluate.summary import first_screen

    title = f"Simulacra evaluation — {', '.join(report['speakers'])}"
    found = dict(_sections(report, rows, images, samples))
    toc = nav([(anchor, name) for anchor, name in SECTIONS if anchor in found])
    intro = (f"<p class='sub'>{report['examples']} held-out examples from the <code>{escape(report['split'])}</code> "
             f"split (sessions the model never saw), {report.get('moments', 0)} generated next turns per model. "
             f"Base = the same model with the adapter switched off, given the same prompt.</p>")
    body = [toc, first_screen(rows, report, moments), intro]
    body += [section(anchor, name, *found[anchor]) for anchor, name in SECTIONS if anchor in found]
    return document(title, body, f"Wall time {report.get('wall_time_s', 0):.0f} s. Numbers: report.json beside "
                    f"this page.")


def _sections(report: dict, rows: list[dict], images: dict[str, str], samples: list[dict]):
    """(anchor, [html parts]) for each part the report holds, in page order."""
    yield "headline", ["<p>Every measure with what it means; ↓ lower is better, ↑ higher is better, ≈ real: closer "
                       "to the person's own value is better.</p>", headline_table(rows)]
    ppl = report.get("perplexity", {})
    if ppl.get("speakers"):
        parts = [table_html(
            ["speaker", "turns", "tokens", "base", "tuned", "turns improved", "tuned turn p10 / median / p90"],
            [[who, s["turns"], s["tokens"], _fmt(s["base"], "{:.2f}"), _fmt(s["tuned"], "{:.2f}"),
              f"{s['turns_improved']:.0%}", " / ".join(f"{v:.1f}" for v in s["tuned_turn_quantiles"].values())]
             for who, s in ppl["speakers"].items()])]
        if "perplexity" in images:
            parts.append(f"<img alt='per-turn perplexity' src='{images['perplexity']}'>")
        yield "perplexity", parts
    identity = report.get("speaker_identity")
    if identity:
        yield "speakers", [f"<p>Each held-out turn's words scored after every trained speaker's header (chance "
                           f"{identity['tuned']['chance']:.0%}): the share likeliest under the true speaker.</p>",
                           table_html(["speaker", "turns", "base", "tuned"],
                                      [[who, s["turns"], _fmt(identity["base"]["speakers"][who]["accuracy"], "{:.0%}"),
                                        _fmt(s["accuracy"], "{:.0%}")]
                                       for who, s in identity["tuned"]["speakers"].items()])]
    if report.get("overlap"):
        ov = report["overlap"]
        s = report.get("sampling", {})
        yield "overlap", [
            f"<p>Sampling: temperature {s.get('temperature')}, top-p {s.get('top_p')}, top-k {s.get('top_k')}, "
            f"repetition penalty {s.get('repetition_penalty')}, at most {s.get('max_new_tokens')} new tokens, "
            f"seed {s.get('seed')} (batch b: seed + b), {s.get('batch_size')} prompts a batch.</p>",
            table_html(["model", "ROUGE-1", "ROUGE-2", "ROUGE-L", "BLEU", "chrF"],
                       [[side] + [_fmt(ov[side].get(k)) for k in ("rouge1", "rouge2", "rougeL", "bleu", "chrf")]
                        for side in ("base", "tuned", "real") if side in ov]),
            "<p>The 'real' row scores each of the person's held-out replies against their next one: a reply "
            "surely in their voice, not to this context. chrF weighs recall twice, so long replies gain on it; "
            "a base model that writes three times as many words can beat the person's own lines.</p>"]
    if report.get("style"):
        yield "style", [part for who, st in report["style"].items() for part in _style(who, st, images)]
    if report.get("who_said_it"):
        w = report["who_said_it"]
        if "skipped" in w:
            yield "who-said-it", [f"<p>Skipped: {escape(w['skipped'])}</p>"]
        else:
            yield "who-said-it", [
                f"<p>Character 1-4-gram TF-IDF + logistic regression trained on the real training-split turns "
                f"of {', '.join(f'{escape(k)} ({v})' for k, v in w['classes'].items())}. Share attributed to "
                f"the intended speaker: real held-out turns {_fmt(w.get('real'), '{:.0%}')}, "
                f"base {_fmt(w.get('base'), '{:.0%}')}, tuned {_fmt(w.get('tuned'), '{:.0%}')}.</p>"]
    if report.get("judge", {}).get("moments"):
        j = report["judge"]
        yield "judge", [
            f"<p>For each held-out moment the real reply, the base reply and the tuned reply; the "
            f"<b>{escape(str(j['judge']))}</b> model picks the one it finds likeliest per token. It found the "
            f"real reply {j['found_real']:.0%} of {j['moments']} times (chance {j['chance']:.0%}); it took the "
            f"base reply for real {j['picked'].get('base', 0):.0%} and the tuned one "
            f"{j['picked'].get('tuned', 0):.0%}. Play it yourself: <code>simulacra evaluate RUN --blind</code>.</p>"]
    if report.get("loops"):
        lp = report["loops"]
        parts = [table_html(["", "repetition (3-grams)", "looping turns", "generic messages", "same turn twice"],
                            [[side] + [_fmt(lp[side][k], "{:.1%}") for k in
                                       ("repetition", "looping", "generic", "duplicate_turns")]
                             for side in ("real", "base", "tuned") if side in lp])]
        if "loops" in images:
            parts.append(f"<img alt='loops' src='{images['loops']}'>")
        yield "loops", parts
    if report.get("memorisation"):
        yield "privacy", _privacy(report["memorisation"])
    if samples:
        yield "samples", [table_html(["context (last turns)", "real", "base", "tuned"],
                                     [[s["context"], s["real"], s.get("base", ""), s.get("tuned", "")]
                                      for s in samples], cls="samples")]


def _style(who: str, st: dict, images: dict) -> list[str]:
    parts = [f"<h3>{escape(who)}</h3>",
             "<p>Distance: 1-Wasserstein between the real held-out values and the other side's, in units of the real "
             "values' standard deviation (0: same distribution). <i>training</i>: the person's own training-split "
             "turns, the floor a perfect imitation would reach.</p>"]
    sides = [k for k in ("base", "tuned", "training") if k in st["summary"]]
    rws = [[f["help"], _fmt(f["mean"]["real"], "{:.2f}")] + [_fmt(f["mean"].get(k), "{:.2f}") for k in sides]
           + [_fmt(f["distance"].get(k), "{:.2f}") for k in sides] for f in st["features"].values()]
    for key, name in (("distinct_1", "distinct-1"), ("distinct_2", "distinct-2"),
                      ("vocabulary_divergence", "word-frequency divergence from real (JS)")):
        rws.append([name, _fmt(st["corpus"]["real"][key], "{:.2f}")]
                   + [_fmt(st["corpus"][k][key], "{:.2f}") for k in sides] + [""] * len(sides))
    rws.append(["summary distance", ""] + [""] * len(sides) + [_fmt(st["summary"][k], "{:.2f}") for k in sides])
    parts.append(table_html(["feature", "real"] + sides + [f"distance {k}" for k in sides], rws))
    if f"style:{who}" in images:
        parts.append(f"<img alt='style distributions' src='{images[f'style:{who}']}'>")
    return parts


def _privacy(m: dict) -> list[str]:
    rws = [[side, split, m[side][split]["n"], _fmt(m[side][split]["exact"], "{:.0%}"),
            _fmt(m[side][split]["near"], "{:.0%}")] for side in ("base", "tuned") for split in ("train", "held_out")]
    pii = m.get("pii", {})
    return ["<p>The history and the first half of a turn, greedy decoding; does the model write the next 20-40 "
            "characters as the person did? Held-out turns are the control.</p>",
            table_html(["model", "turns", "n", "exact", "near-exact (≥90%)"], rws),
            f"<p>PII-looking strings in the model's outputs that also occur in the training data: "
            f"<b>{pii.get('leaked_values', 0)}</b>; placeholders produced: {pii.get('placeholders', 0)}.</p>"]
