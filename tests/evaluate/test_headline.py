"""Which side wins a headline row."""

from simulacra.evaluate.headline import headline, winner


def test_winner_by_direction():
    assert winner("down", 100.0, 50.0) == "tuned"
    assert winner("up", 0.2, 0.1) == "base"
    assert winner("real", 5.0, 3.0, real=2.5) == "tuned"  # closer to the person's own value
    assert winner("real", 5.0, 3.0, real=None) is None
    assert winner("up", 0.1, 0.1) == "tie"
    assert winner("up", None, 0.1) is None


def test_headline_rows_from_a_partial_report():
    rows = headline({"perplexity": {"base": 100.0, "tuned": 40.0, "tokens": 10}})
    assert [r["metric"] for r in rows] == ["Perplexity of the real held-out turns"]
    assert rows[0]["winner"] == "tuned" and rows[0]["better"] == "down"
