"""The analysis page: evaluate's look (simulacra.report), navigable sections, headline counts first."""

from __future__ import annotations

from html import escape

from simulacra.analyze.config import AnalyzeConfig
from simulacra.analyze.dataset import CUT_COUNTS
from simulacra.analyze.stats import WEEKDAYS
from simulacra.report.page import document, fmt, img, nav, section, table_html
from simulacra.report.plots import heatmap, histograms, stacked_bars

SECTIONS = [("overview", "Overview"), ("activity", "Activity by month"), ("hours", "Weekday × hour"),
            ("replies", "Reply times"), ("lengths", "Message and turn lengths"), ("sessions", "Sessions"),
            ("words", "Words and emoji"), ("dataset", "Training data"), ("emotions", "Emotion words")]


def _q(q: dict, spec: str = "{:.0f}") -> str:
    return " / ".join(fmt(v, spec) for v in q.values())


def overview(a: dict) -> str:
    h = a["headline"]
    rows = [["conversations", h["conversations"]], ["speakers", h["speakers"]], ["messages", h["messages"]],
            ["first message", (h["first"] or "—").replace("T", " ")],
            ["last message", (h["last"] or "—").replace("T", " ")], ["days spanned", h["days"]]]
    rows += [[f"kind: {kind}", n] for kind, n in h["kinds"].items()]
    speakers = table_html(["speaker", "messages", "share", "text messages", "words", "first", "last"],
                          [[who, s["messages"], f"{s['share']:.1%}", s["text_messages"], s["words"],
                            (s["first"] or "—")[:10], (s["last"] or "—")[:10]] for who, s in a["speakers"].items()],
                          id="speakers")
    return section("overview", "Overview", table_html(["", "count"], rows, id="headline"), speakers)


def activity(a: dict) -> list[str]:
    m = a["monthly"]
    grid = a["weekday_hour"]
    day = max(range(7), key=lambda d: sum(grid[d]))  # the first of tied days
    busiest = (sum(grid[day]), WEEKDAYS[day])
    parts = [section("activity", "Activity by month", "<p>Messages per month (all kinds but system notices), "
                     "one colour per speaker.</p>",
                     img(stacked_bars(m["months"], m["counts"], "messages per month", "messages"),
                         "messages per month") if m["months"] else "<p>No message has a time.</p>")]
    parts.append(section("hours", "Weekday × hour", f"<p>When messages are sent, in the export's wall time. "
                         f"Busiest day: <b>{busiest[1]}</b> ({busiest[0]} messages).</p>",
                         img(heatmap(grid, [str(h) for h in range(24)], WEEKDAYS, "messages by weekday and hour",
                                     colorbar="messages"), "weekday by hour heatmap")))
    return parts


def replies(a: dict, raw: dict) -> str:
    lat = a["latency"]
    rows = [[f"{p['from']} → {p['to']}", p["replies"], fmt(p["minutes"]["p50"], "{:.1f}"),
             fmt(p["minutes"]["p90"], "{:.1f}")] for p in lat["pairs"]]
    text = (f"<p>Minutes from a message to the next one when someone else writes it: {lat['replies']} replies, "
            f"p10 / median / p90 {_q(lat['minutes'], '{:.1f}')} min. A reply after days counts too, so the "
            f"medians matter more than the tails.</p>")
    # A log axis has no 0: replies within 6 seconds (or in the same minute of a minute-resolution export) sit at 0.1.
    series = {who: [max(v, 0.1) for v in vs] for who, vs in raw["latency"].items() if vs}
    plot = img(histograms(series, "minutes until this speaker replied (log scale; under 0.1 drawn at 0.1)",
                          "share of replies",
                          log_x=True, share=True), "reply latency") if series else ""
    return section("replies", "Reply times", text, table_html(["pair", "replies", "median min", "p90 min"], rows,
                                                               id="latency"), plot)


def lengths(a: dict, raw: dict, named: list[str]) -> list[str]:
    rows = [[who, s["messages"], _q(s["message_words"]), f"{s['mean_message_words']:.2f}", s["turns"],
             _q(s["turn_words"]), f"{s['messages_per_turn']:.2f}"] for who, s in a["lengths"].items()]
    pick = lambda d: {w: d[w] for w in named if d.get(w)}  # noqa: E731
    s = a["sessions"]
    return [section("lengths", "Message and turn lengths",
                    "<p>Words per text message and per turn (a speaker's consecutive messages in a session).</p>",
                    table_html(["speaker", "messages", "words p10 / p50 / p90", "mean words", "turns",
                                "turn words p10 / p50 / p90", "messages per turn"], rows, id="lengths"),
                    "<div class='grid'><div>" + img(histograms(pick(raw["message_words"]), "words per message",
                                                               "share", share=True), "message lengths")
                    + "</div><div>" + img(histograms(pick(raw["turn_words"]), "words per turn", "share", share=True),
                                          "turn lengths") + "</div></div>"),
            section("sessions", "Sessions",
                    f"<p>A pause longer than {s['gap_minutes']:g} minutes starts a new session (as prepare cuts "
                    f"them): <b>{s['sessions']}</b> sessions, turns p10 / median / p90 {_q(s['turns'])}, longest "
                    f"{s['longest_turns']} turns; minutes p10 / median / p90 {_q(s['minutes'])}.</p>",
                    img(histograms({"sessions": raw["session_turns"]}, "turns per session", "sessions"),
                        "session lengths") if raw["session_turns"] else "")]


def words(a: dict) -> str:
    cells = []
    for who in a["lengths"]:
        ws, es = a["top_words"].get(who, []), a["top_emoji"].get(who, [])
        body = table_html(["word", "count"], ws, cls="words")
        if es:
            body += table_html(["emoji", "count"], es, cls="emoji")
        cells.append(f"<div><h3>{escape(who)}</h3>{body}</div>")
    return section("words", "Words and emoji", "<p>Most frequent words (a small list of English stop words left "
                   "out) and emoji in each speaker's text messages.</p>", "<div class='grid'>" + "".join(cells)
                   + "</div>")


def dataset(a: dict, raw: dict) -> str:
    d = a["dataset"]
    if d is None:
        return section("dataset", "Training data", "<p>Not prepared yet: run <code>simulacra prepare RUN --as "
                       "NAME</code> and analyze again to see the examples' token lengths.</p>")
    rows = [[split, s["examples"], s["tokens"], s["trained_tokens"], _q(s["token_lengths"]), s["longest"],
             s["near_limit"]] for split, s in d["splits"].items()]
    cut = [[CUT_COUNTS[k], n] for k, n in d["cut"].items()]
    plot = img(histograms(raw["token_lengths"], "tokens per example", "examples",
                          vline=(d["max_seq_len"], f"max_seq_len {d['max_seq_len']}")), "token lengths")
    return section("dataset", "Training data",
                   f"<p>Style <code>{escape(str(d['style']))}</code>, training {escape(', '.join(d['speakers']))}, "
                   f"at most {d['max_seq_len']} tokens an example.</p>",
                   table_html(["split", "examples", "tokens", "trained tokens", "length p10 / p50 / p90", "longest",
                               "over 90% of max_seq_len"], rows, id="splits"),
                   table_html(["cut to fit", "count"], cut, id="cut"), plot)


def emotions(a: dict) -> str:
    e = a["emotions"]
    if not e:
        return section("emotions", "Emotion words", "<p>Needs a trained model: run <code>simulacra train</code>, then "
                       "<code>simulacra analyze RUN --emotions</code>.</p>")
    w = e["words"]
    size = (5.2, 4.2)
    plots = [img(heatmap(m, w, w, f"after {who}'s header", cmap="viridis", annotate=True, colorbar="cosine",
                         figsize=size), f"emotion similarities {who}") for who, m in e["speakers"].items()]
    text = "<p>Cosine similarity between the tuned model's hidden states for each emotion word written right after a " \
           "speaker's header (middle layer, last token).</p>"
    if "difference" in e:
        a_, b_ = e["difference"]["of"]
        plots.append(img(heatmap(e["difference"]["matrix"], w, w, f"{a_} minus {b_}", diverging=True, annotate=True,
                                 colorbar="difference", figsize=size), "emotion difference"))
        text += f"<p>Mean absolute difference off the diagonal: <b>{e['difference']['mean_abs']:.4f}</b>.</p>"
    return section("emotions", "Emotion words", text, "<div class='grid'>" + "".join(
        f"<div>{p}</div>" for p in plots) + "</div>")


def page(a: dict, raw: dict, config: AnalyzeConfig) -> str:
    """The whole page as a string."""
    h = a["headline"]
    named = list(a["speakers"])[:config.top_speakers]
    title = f"Simulacra analysis — {', '.join(named[:4])}" + (" …" if len(named) > 4 else "")
    sub = (f"<p class='sub'>{h['messages']} messages from {h['speakers']} speakers in {h['conversations']} "
           f"conversation(s), {(h['first'] or '?')[:10]} to {(h['last'] or '?')[:10]}.</p>")
    body = [sub, nav(SECTIONS), overview(a), *activity(a), replies(a, raw), *lengths(a, raw, named), words(a),
            dataset(a, raw), emotions(a)]
    return document(title, body, "Numbers: analysis.json beside this page.")
