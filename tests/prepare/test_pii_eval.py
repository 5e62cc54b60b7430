"""Known-answer tests over the labelled chat lines in bench/data/pii_lines.jsonl (the set bench/pii.py reports on).

Default settings, regions inferred per chat: every kind is caught in at least 95 % of its spans and at most
3 % of ordinary lines change, on the whole set and on the held-out part written before tuning.
"""

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "pii.py"
_spec = importlib.util.spec_from_file_location("bench_pii", BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def rows():
    return bench.load()


def test_the_set_covers_every_kind_many_countries_and_ordinary_lines(rows):
    totals = bench.score(rows)["totals"]
    assert all(totals[kind] >= 10 for kind in bench.KINDS)
    countries = {r["chat"].split("-")[-1 if r["chat"].startswith(("ho", "h2")) else 0] for r in rows}
    assert {"us", "gb", "de", "fr", "in", "br", "ke", "es"} <= countries
    assert sum(not r["pii"] for r in rows) >= 100
    assert {r["split"] for r in rows} == {"dev", "heldout"}


@pytest.mark.parametrize("split", ["dev", "heldout", "all"])
def test_recall_at_least_95_percent_per_kind_and_at_most_3_percent_ordinary_changed(rows, split):
    result = bench.score([r for r in rows if split == "all" or r["split"] == split])
    for kind in bench.KINDS:
        hits, total = result["hits"][kind], result["totals"][kind]
        assert hits >= 0.95 * total, (kind, hits, total, [m for m in result["misses"] if m[0] == kind])
    assert len(result["changed"]) <= 0.03 * result["ordinary"], result["changed"]


def test_the_last_line_has_the_documented_shape(rows):
    line = bench.summary(bench.score(rows))
    assert line.startswith("pii recall: phone ") and "; ordinary lines changed " in line and line.endswith("%")
