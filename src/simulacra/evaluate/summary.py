"""The report's first screen: a one-sentence verdict, the headline numbers and three sample moments.

    verdict(rows, report) -> "The tuned model is closer to Mia than the base model on 5 of 6 measures;
                             a classifier still tells its replies from Mia's 88% of the time (50% = indistinguishable)."

Everything a reader needs fits one 1280×800 screen: the compact headline (help text in tooltips; the
full table with explanations is the page's first section) beside three moments (context, real reply,
tuned reply, base reply).
"""

from __future__ import annotations

from html import escape

from simulacra.evaluate.headline import headline_table

SAMPLES = 3
CSS = """
h1{margin:0 0 .1em;font-size:1.6em} body{margin-top:.8em}
.top{display:flex;gap:1.2em;align-items:flex-start} .top>.numbers{flex:0 0 50%} .top>.moments{flex:1 1 0;min-width:0}
#verdict{font-size:1.08em;background:#f1f7f3;border-left:4px solid #2e8b57;padding:.45em .8em;margin:.4em 0}
table.compact{font-size:.78em;margin:0} table.compact td,table.compact th{padding:.1em .4em}
.moment{border:1px solid #e2e2e2;border-radius:6px;padding:.25em .6em;margin:0 0 .4em;font-size:.78em;line-height:1.25}
.moment .ctx{color:#666;white-space:pre-wrap;margin-bottom:.2em} .moment b{display:inline-block;min-width:3.2em}
.moment .real b{color:#222} .moment .tuned b{color:#2e8b57} .moment .base b{color:#b8860b}
"""


def speaker_label(speakers: list[str]) -> str:
    """'Mia' for one speaker, 'Ana, Ben and Cy' for several."""
    if len(speakers) <= 1:
        return speakers[0] if speakers else "the person"
    return ", ".join(speakers[:-1]) + " and " + speakers[-1]


def verdict(rows: list[dict], report: dict) -> str:
    """One sentence: on how many headline measures the tuned model beats the base one, and the two-sample test."""
    who = speaker_label(report.get("speakers") or [])
    judged = [r for r in rows if r["winner"] in ("tuned", "base", "tie")]
    wins = sum(r["winner"] == "tuned" for r in judged)
    text = (f"The tuned model is closer to {who} than the base model on {wins} of {len(judged)} measures"
            if judged else "No measure compares the tuned model with the base model yet")
    two = (report.get("two_sample") or {}).get("tuned") or {}
    if "accuracy" in two:
        possessive = f"{who}'s" if len(report.get("speakers") or []) == 1 else "the real ones"
        still = "still " if two["accuracy"] > 0.6 else ""
        text += (f"; a classifier {still}tells its replies from {possessive} {two['accuracy']:.0%} of the time "
                 f"(50% = indistinguishable)")
    return text + "."


def pick_moments(moments, k: int = SAMPLES) -> list:
    """k moments spread over the split, preferring ones with a non-empty real reply and some history."""
    good = [m for m in moments if m.real.strip() and m.history] or list(moments)
    if len(good) <= k:
        return good
    step = len(good) / k
    return [good[int(i * step)] for i in range(k)]


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split()) or "(empty)"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def moment_html(m, n: int) -> str:
    context = "\n".join(f"{t.speaker}: {_short(t.text, 80)}" for t in m.history[-2:])
    lines = [f'<div class="{side}"><b>{label}</b> {escape(_short(text))}</div>'
             for side, label, text in (("real", "real", m.real), ("tuned", "tuned", m.replies.get("tuned", "")),
                                       ("base", "base", m.replies.get("base", "")))]
    return (f'<div class="moment" id="moment-{n}"><div class="ctx">{escape(context)}</div>' + "".join(lines)
            + "</div>")


def first_screen(rows: list[dict], report: dict, moments) -> str:
    """The verdict above the compact headline (left) and three sample moments (right)."""
    chosen = pick_moments(moments)
    right = "".join(moment_html(m, n) for n, m in enumerate(chosen, 1)) or "<p class='help'>No generated moments.</p>"
    return (f"<style>{CSS}</style><p id='verdict'>{escape(verdict(rows, report))}</p>"
            f"<div class='top'><div class='numbers'>{headline_table(rows, compact=True)}</div>"
            f"<div class='moments' id='moments'><div class='help'>{len(chosen)} held-out moments: the last turns, "
            f"then what was really said and what each model wrote</div>{right}</div></div>")
