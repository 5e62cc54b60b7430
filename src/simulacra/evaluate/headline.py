"""The headline table: each metric for base, tuned and the real person, with the direction that is better.

    {"metric": "ROUGE-1", "better": "up", "base": 0.08, "tuned": 0.15, "real": None}

`better` is "down" (lower is better), "up" (higher is better) or "real" (closer to the real person's
own value is better). `winner` names whichever of base and tuned is better ("tie" or None otherwise).
"""

from __future__ import annotations

ARROWS = {"down": "↓", "up": "↑", "real": "≈ real"}


def _row(metric: str, better: str, base, tuned, real=None, help_: str = "", fmt: str = "{:.3f}") -> dict:
    return {"metric": metric, "better": better, "base": base, "tuned": tuned, "real": real, "help": help_,
            "fmt": fmt, "winner": winner(better, base, tuned, real)}


def winner(better: str, base, tuned, real=None) -> str | None:
    if base is None or tuned is None:
        return None
    if better == "real":
        if real is None:
            return None
        base, tuned = abs(base - real), abs(tuned - real)
        better = "down"
    if abs(base - tuned) < 1e-12:
        return "tie"
    return ("tuned" if tuned < base else "base") if better == "down" else ("tuned" if tuned > base else "base")


def headline(report: dict) -> list[dict]:
    """Rows from whatever parts of the report were computed, in a fixed order."""
    rows = []
    ppl = report.get("perplexity") or {}
    if ppl:
        rows.append(_row("Perplexity of the real held-out turns", "down", ppl.get("base"), ppl.get("tuned"),
                         help_="per token, given the real history: how surprised the model is by the person",
                         fmt="{:.2f}"))
        improved = (ppl.get("speakers") or {}).get("all", {}).get("turns_improved")
        if improved is not None:
            rows.append(_row("Real turns made likelier by tuning", "up", None, improved, fmt="{:.0%}",
                             help_="share of held-out turns whose per-token perplexity went down"))
    identity = report.get("speaker_identity")
    if identity:
        rows.append(_row(f"Turns likeliest under their true speaker (chance {identity['tuned']['chance']:.0%})", "up", identity["base"]["accuracy"],
                         identity["tuned"]["accuracy"], fmt="{:.0%}",
                         help_="several trained speakers: each held-out turn scored after every trained speaker's "
                               f"header; chance {identity['tuned']['chance']:.0%}"))
    two = report.get("two_sample") or {}
    if two and all("accuracy" in two.get(side, {}) for side in ("base", "tuned")):
        rows.append(_row("Classifier tells its replies from the real ones (chance 50%)", "down",
                         two["base"]["accuracy"], two["tuned"]["accuracy"], 0.5, fmt="{:.0%}",
                         help_="cross-validated n-gram + style classifier, real vs generated replies to the same "
                               f"contexts; 50% = indistinguishable; tuned 95% interval "
                               f"{two['tuned']['low']:.0%}-{two['tuned']['high']:.0%}"))
    ov = report.get("overlap") or {}
    if ov:
        for key, name in (("rouge1", "ROUGE-1"), ("rouge2", "ROUGE-2"), ("rougeL", "ROUGE-L"),
                          ("bleu", "BLEU"), ("chrf", "chrF")):
            rows.append(_row(f"{name} vs the real next turn", "up", ov["base"].get(key), ov["tuned"].get(key),
                             (ov.get("real") or {}).get(key),
                             help_="generated next turn against what the person really wrote (0-1); 'real' "
                                   "column: another of the person's own held-out replies scored the same way"))
    style = report.get("style") or {}
    if style:
        rows.append(_row("Style distance to the person", "down", _style_mean(style, "base"),
                         _style_mean(style, "tuned"), _style_mean(style, "training"), fmt="{:.2f}",
                         help_="mean normalised Wasserstein distance over style features; 'real' column: the "
                               "person's own training-split turns, the floor to aim for"))
        for feature, name in (("messages_per_turn", "Messages per turn"), ("words_per_message", "Words per message"),
                              ("emoji_per_message", "Emoji per message"), ("capitalised_start", "Capitalised messages")):
            means = _feature_means(style, feature)
            if means:
                rows.append(_row(name, "real", means.get("base"), means.get("tuned"), means.get("real"),
                                 fmt="{:.0%}" if feature == "capitalised_start" else "{:.2f}",
                                 help_="mean over the held-out moments"))
    who = report.get("who_said_it") or {}
    if who and "skipped" not in who:
        chance = 1 / len(who["classes"]) if who.get("classes") else None
        label = "Who said it: attributed to the person" + (f" (chance {chance:.0%})" if chance else "")
        rows.append(_row(label, "up", who.get("base"), who.get("tuned"),
                         who.get("real"), fmt="{:.0%}",
                         help_="share a character n-gram classifier of all speakers attributes to the intended "
                               "speaker; 'real' column: the person's real held-out turns (the ceiling)"))
    judge = report.get("judge") or {}
    # A model judging its own samples prefers them, so only a neutral judge's picks are a headline number.
    if judge.get("moments") and judge.get("judge") not in ("tuned", "base"):
        picked = judge["picked"]
        rows.append(_row("Blind judge takes it for the real reply", "up", picked.get("base"), picked.get("tuned"),
                         picked.get("real"), fmt="{:.0%}",
                         help_=f"{judge.get('judge')} model's likelihood picks one of real/base/tuned; "
                               f"chance {judge['chance']:.0%}; 'real' column: how often it found the real one "
                               f"(a judge leans towards replies sampled from itself: name a neutral one with --judge)"))
    loops = report.get("loops") or {}
    if loops:
        rows.append(_row("Repetition within a turn", "real", *_loop(loops, "repetition"), fmt="{:.1%}",
                         help_="share of repeated 3-grams inside a turn"))
        rows.append(_row("Looping turns", "real", *_loop(loops, "looping"), fmt="{:.0%}",
                         help_="turns with a character run (',,,,,,') or a repeated chunk or message"))
        rows.append(_row("Generic messages (ok, haha…)", "real", *_loop(loops, "generic"), fmt="{:.0%}",
                         help_="messages that fit any context"))
    mem = report.get("memorisation") or {}
    if mem.get("tuned"):
        rows.append(_row("Verbatim completion of training turns", "down", mem["base"]["train"]["exact"],
                         mem["tuned"]["train"]["exact"], fmt="{:.0%}",
                         help_=f"next 20-40 characters exactly as in training; held-out control: "
                               f"{_pct(mem['tuned']['held_out']['exact'])}"))
    return rows


def _pct(v) -> str:
    return "n/a" if v is None else f"{v:.0%}"


def _style_mean(style: dict, label: str):
    values = [s["summary"].get(label) for s in style.values() if s["summary"].get(label) is not None]
    return sum(values) / len(values) if values else None


def _feature_means(style: dict, feature: str) -> dict:
    """Mean of a feature per side, averaged over speakers; 'real' is the held-out real turns."""
    out: dict[str, list] = {}
    for s in style.values():
        for label, value in s["features"][feature]["mean"].items():
            if value is not None:
                out.setdefault("real" if label == "real" else label, []).append(value)
    return {k: sum(v) / len(v) for k, v in out.items()}


def _loop(loops: dict, key: str) -> tuple:
    return tuple((loops.get(side) or {}).get(key) for side in ("base", "tuned", "real"))


def cell(row: dict, side: str) -> str:
    value = row.get(side)
    return "—" if value is None else row["fmt"].format(value)


def print_headline(rows: list[dict], title: str = "Does it sound like the person?") -> None:
    from rich.table import Table

    from simulacra.ui import console

    table = Table(title=title, title_justify="left")
    for name, justify in (("metric", "left"), ("better", "center"), ("base", "right"), ("tuned", "right"),
                          ("real", "right")):
        table.add_column(name, justify=justify)
    for row in rows:
        base, tuned = cell(row, "base"), cell(row, "tuned")
        if row["winner"] == "tuned":
            tuned = f"[bold green]{tuned}[/]"
        elif row["winner"] == "base":
            base = f"[bold yellow]{base}[/]"
        table.add_row(row["metric"], ARROWS[row["better"]], base, tuned, cell(row, "real"))
    console.print(table)


def headline_table(rows: list[dict], compact: bool = False) -> str:
    """The headline as an HTML table; compact (the first screen) puts each metric's help in a tooltip."""
    from html import escape

    opening = '<table id="headline-summary" class="compact">' if compact else '<table id="headline">'
    out = [opening + "<thead><tr><th>metric</th><th>better</th><th>base</th><th>tuned</th><th>real</th></tr></thead>"
           "<tbody>"]
    for row in rows:
        cls = {"tuned": ("lose", "win"), "base": ("win", "lose")}.get(row["winner"], ("", ""))
        metric, help_ = escape(row["metric"]), escape(row["help"])
        name = f'<tr title="{help_}"><td>{metric}' if compact else f'<tr><td>{metric}<div class="help">{help_}</div>'
        out.append(f'{name}</td><td>{escape(ARROWS[row["better"]])}</td><td class="{cls[0]}">{escape(cell(row, "base"))}'
                   f'</td><td class="{cls[1]}">{escape(cell(row, "tuned"))}</td><td>{escape(cell(row, "real"))}</td></tr>')
    out.append("</tbody></table>")
    return "\n".join(out)
