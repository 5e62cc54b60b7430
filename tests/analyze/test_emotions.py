"""The emotion comparison: exact cosine matrices from given embedders, its page section, and the tuned-model wiring."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from simulacra.analyze.emotions import compare_emotions, cosine_matrix, pick_speakers
from tests.evaluate.conftest import trained_run  # noqa: F401  (a prepared run with a LoRA adapter, tiny model)

WORDS = ["joy", "anger", "fear"]
VECTORS = {"Ana": {"joy": [1, 0], "anger": [0, 1], "fear": [1, 1]},
           "Ben": {"joy": [1, 0], "anger": [1, 0], "fear": [0, 2]}}


def fake(who):
    return lambda words: np.array([VECTORS[who][w] for w in words], dtype=float)


def test_cosine_matrices_and_their_difference_are_exact():
    out = compare_emotions({"Ana": fake("Ana"), "Ben": fake("Ben")}, WORDS)
    r = round(1 / np.sqrt(2), 4)
    assert out["words"] == WORDS
    assert out["speakers"]["Ana"] == [[1.0, 0.0, r], [0.0, 1.0, r], [r, r, 1.0]]
    assert out["speakers"]["Ben"] == [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    assert out["difference"]["of"] == ["Ana", "Ben"]
    assert out["difference"]["matrix"][0] == [0.0, -1.0, r]
    assert out["difference"]["mean_abs"] == pytest.approx((1 + r + r) * 2 / 6, abs=1e-4)
    assert cosine_matrix([[0, 0], [1, 0]]).tolist() == [[0.0, 0.0], [0.0, 1.0]]  # a zero vector is no NaN


def test_speakers_default_to_trained_then_most_active():
    assert pick_speakers([], ["Ana"], ["Ben", "Ana", "Cleo"]) == ["Ana", "Ben"]
    assert pick_speakers([], ["Ana", "Cleo", "Ben"], ["Ben"]) == ["Ana", "Cleo", "Ben"]
    assert pick_speakers(["Cleo"], ["Ana"], ["Ben"]) == ["Cleo"]


def test_run_with_emotions_draws_one_heatmap_per_speaker_and_the_difference(chat_run, monkeypatch):
    from simulacra.analyze import AnalyzeConfig, run

    (chat_run / "model" / "weights").mkdir(parents=True)  # a model exists: emotions default on
    monkeypatch.setattr("simulacra.analyze.model.model_embedders",
                        lambda run_dir, speakers, layer: {who: fake(who) for who in speakers})
    run(AnalyzeConfig(run_dir=chat_run, emotion_words=WORDS))
    a = orjson.loads((chat_run / "analysis" / "analysis.json").read_bytes())
    assert list(a["emotions"]["speakers"]) == ["Ana", "Ben"]  # not prepared: the two most active
    html = (chat_run / "analysis" / "index.html").read_text(encoding="utf-8")
    assert html.count("alt='emotion similarities") == 2 and html.count("alt='emotion difference'") == 1
    assert f"<b>{a['emotions']['difference']['mean_abs']:.4f}</b>" in html


def test_tuned_model_embeddings_differ_by_speaker_header(trained_run):  # noqa: F811
    from simulacra.analyze.model import model_embedders

    embed = model_embedders(trained_run, ["Ana", "Ben"])
    ana, ben = embed["Ana"](WORDS), embed["Ben"](WORDS)
    assert ana.shape == ben.shape == (3, 32)  # the tiny model's hidden size
    assert np.isfinite(ana).all() and not np.allclose(ana, ben)  # the header changes the state
    assert not np.allclose(ana[0], ana[1])  # and so does the word
