"""analysis.json and the page show the counts computed here, independently, from the same conversations file."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

import orjson

from simulacra.schema import read_conversations


class Tables(HTMLParser):
    """Cell texts of every <table id=...> on a page: id -> rows (header row included)."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id"):
            self.current = self.tables.setdefault(dict(attrs)["id"], [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.current[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None

    def handle_data(self, data):
        if self.current and self.current[-1]:
            self.current[-1][-1] += data


def outputs(run_dir):
    a = orjson.loads((run_dir / "analysis" / "analysis.json").read_bytes())
    html = (run_dir / "analysis" / "index.html").read_text(encoding="utf-8")
    return a, html, Tables(html).tables


def test_run_folder_holds_exactly_the_report_files(analyzed):
    assert sorted(p.name for p in (analyzed / "analysis").iterdir()) == [
        "analysis.json", "config.yaml", "index.html", "manifest.json"]
    manifest = orjson.loads((analyzed / "analysis" / "manifest.json").read_bytes())
    assert manifest["stage"] == "analyze"
    assert manifest["counts"] == {"conversations": 1, "speakers": 2, "messages": 32}


def test_headline_and_speakers_match_counts_from_the_file(analyzed):
    messages = [m for c in read_conversations(analyzed / "conversations.jsonl") for m in c.messages]
    spoken = [m for m in messages if m.kind != "system"]
    per_speaker = Counter(m.speaker for m in spoken)
    kinds = Counter(m.kind for m in messages)
    words = Counter()
    for m in spoken:
        if m.kind == "text":
            words[m.speaker] += len(m.text.split())
    a, html, tables = outputs(analyzed)

    h = a["headline"]
    assert (h["messages"], h["speakers"], h["conversations"]) == (len(messages), 2, 1) == (32, 2, 1)
    assert h["kinds"] == dict(kinds) == {"text": 30, "media": 1, "system": 1}
    assert h["first"] == min(m.time for m in messages).isoformat() == "2024-01-01T19:00:00"
    assert h["last"] == max(m.time for m in messages).isoformat()
    headline = {row[0]: row[1] for row in tables["headline"][1:]}
    assert headline["messages"] == str(len(messages)) and headline["speakers"] == "2"
    assert headline["kind: media"] == "1" and headline["kind: system"] == "1"
    assert headline["first message"] == "2024-01-01 19:00:00"
    assert html.index("id='overview'") < html.index("id='activity'")  # headline counts first

    assert {who: s["messages"] for who, s in a["speakers"].items()} == dict(per_speaker) == {"Ana": 19, "Ben": 12}
    assert list(a["speakers"]) == ["Ana", "Ben"]  # most active first
    rows = {row[0]: row for row in tables["speakers"][1:]}
    for who, n in per_speaker.items():
        assert rows[who][1] == str(n)
        assert rows[who][2] == f"{n / len(spoken):.1%}"
        assert rows[who][4] == str(words[who]) == str(a["speakers"][who]["words"])


def test_months_hours_and_replies_match(analyzed):
    messages = [m for c in read_conversations(analyzed / "conversations.jsonl") for m in c.messages
                if m.kind != "system"]
    months = Counter((m.time.strftime("%Y-%m"), m.speaker) for m in messages)
    a, html, tables = outputs(analyzed)
    assert a["monthly"]["months"] == ["2024-01", "2024-02"]
    for who in ("Ana", "Ben"):
        assert a["monthly"]["counts"][who] == [months[("2024-01", who)], months[("2024-02", who)]]
    grid = Counter((m.time.weekday(), m.time.hour) for m in messages)
    assert {(d, h): n for d, row in enumerate(a["weekday_hour"]) for h, n in enumerate(row) if n} == dict(grid)

    replies = Counter((p.speaker, m.speaker) for p, m in zip(messages, messages[1:]) if p.speaker != m.speaker)
    assert replies == {("Ben", "Ana"): 12, ("Ana", "Ben"): 11}
    pairs = {(p["from"], p["to"]): p for p in a["latency"]["pairs"]}
    assert {k: p["replies"] for k, p in pairs.items()} == dict(replies)
    assert pairs[("Ben", "Ana")]["minutes"]["p50"] == 2.0  # Ben asks, Ana answers 2 minutes later
    assert pairs[("Ana", "Ben")]["minutes"]["p50"] == 10.0  # within a session Ben answers after 10 minutes
    rows = {row[0]: row for row in tables["latency"][1:]}
    assert rows["Ben → Ana"][1:3] == ["12", "2.0"] and rows["Ana → Ben"][1:3] == ["11", "10.0"]


def test_lengths_sessions_and_words_match(analyzed):
    a, html, tables = outputs(analyzed)
    # Per session Ana sends 3 text messages in 2 turns, Ben 2 messages in 2 turns; the gap is 8 days.
    assert a["sessions"]["sessions"] == 6 and a["sessions"]["turns"] == {"p10": 4, "p50": 4, "p90": 4}
    assert "<b>6</b> sessions" in html
    assert a["lengths"]["Ana"]["messages"] == 18 and a["lengths"]["Ana"]["turns"] == 12
    assert a["lengths"]["Ana"]["messages_per_turn"] == 1.5 and a["lengths"]["Ben"]["messages_per_turn"] == 1.0
    rows = {row[0]: row for row in tables["lengths"][1:]}
    assert rows["Ana"][1] == "18" and rows["Ana"][4] == "12" and rows["Ana"][6] == "1.50"
    # Ana: "omg yes pizza 😂", "biscuit says hi 🐱", "see you there 😂" six times; "yes", "you", "there" are stop words.
    assert a["top_words"]["Ana"][:1] == [["omg", 6]] and ["pizza", 6] in a["top_words"]["Ana"]
    assert a["top_emoji"]["Ana"] == [["😂", 12], ["🐱", 6]]
    assert "Ben" not in a["top_emoji"]
    assert ["pizza", 12] == a["top_words"]["Ben"][0]
    assert re.search(r"<td>😂</td><td>12</td>", html)


def test_dataset_section_reads_the_prepared_files(chat_run, tiny_model_dir):
    from simulacra.analyze import AnalyzeConfig, run
    from simulacra.prepare import PrepareConfig
    from simulacra.prepare import run as prepare

    # Windows of 4 turns in 40 tokens: prepare has to drop turns from their start (counted as trimmed).
    prepare(PrepareConfig(run_dir=chat_run, speakers=["Ana"], model=str(tiny_model_dir), max_seq_len=40,
                          windows="random", min_window_turns=4, window_turns=4))
    run(AnalyzeConfig(run_dir=chat_run))
    a, html, tables = outputs(chat_run)
    manifest = orjson.loads((chat_run / "dataset" / "manifest.json").read_bytes())["counts"]
    d = a["dataset"]
    assert d["max_seq_len"] == 40 and d["speakers"] == ["Ana"]
    for split, s in d["splits"].items():
        rows = [orjson.loads(line) for line in (chat_run / "dataset" / f"{split}.jsonl").read_bytes().splitlines()]
        assert s["examples"] == len(rows) == manifest[f"{split}_examples"]
        assert s["tokens"] == manifest[f"{split}_tokens"]
        assert s["longest"] == max(len(r["input_ids"]) for r in rows) <= 40
    assert d["cut"]["trimmed_turns"] == manifest.get("trimmed_turns", 0)
    assert d["cut"]["trimmed_turns"] > 0  # the cut is reported, not hidden
    cut = {row[0]: row[1] for row in tables["cut"][1:]}
    assert cut["turns dropped from the start of a window so it fits max_seq_len"] == str(d["cut"]["trimmed_turns"])
    splits = {row[0]: row for row in tables["splits"][1:]}
    assert splits["train"][1] == str(d["splits"]["train"]["examples"])
