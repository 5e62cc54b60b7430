"""Training-data attribution: the cache of message vectors, exact and approximate search, rebuilds."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from simulacra.engine import Persona
from simulacra.engine import attribution
from simulacra.engine.attribution import build_cache, embed, search, training_messages
from simulacra.io import write_json

LAYER = -1


@pytest.fixture
def run_copy(trained_run, tmp_path):
    """A private copy of the trained tiny run, so rebuilding or retraining never disturbs other tests."""
    copy = tmp_path / "run"
    shutil.copytree(trained_run, copy, ignore=shutil.ignore_patterns("cache", "steering", "report"))
    return copy


def _self_hits(persona, cache):
    messages = cache.records()
    vectors = embed(persona, [(m["speaker"], m["text"]) for m in messages], LAYER)
    dim = vectors.shape[1]
    return sum(search(cache, v, 1, dim)[0][0] == i for i, v in enumerate(vectors)) / len(messages)


def test_every_training_message_finds_itself_first(run_copy):
    persona = Persona(run_copy)
    cache, added = build_cache(persona, LAYER)
    assert added == len(list(training_messages(persona.run))) > 5
    assert _self_hits(persona, cache) >= 0.99


def test_the_approximate_index_finds_what_exact_search_finds(run_copy, monkeypatch):
    persona = Persona(run_copy)
    cache, _ = build_cache(persona, LAYER)
    monkeypatch.setattr(attribution, "EXACT_MAX_ROWS", 0)  # force the HNSW index on this small cache
    assert _self_hits(persona, cache) >= 0.99
    assert list(cache.folder.glob("hnsw-*.usearch"))


def test_a_rerun_embeds_nothing_new_and_other_weights_rebuild(run_copy):
    from simulacra.train import TrainConfig
    from simulacra.train import run as train

    persona = Persona(run_copy)
    cache, _ = build_cache(persona, LAYER)
    before = np.array(cache.matrix(persona.backend.model.config.hidden_size))
    assert build_cache(persona, LAYER)[1] == 0
    train(TrainConfig(run_dir=run_copy, max_steps=2, batch_size=4, learning_rate=5e-2, seed=7, save_steps=100))
    retrained = Persona(run_copy)
    cache, added = build_cache(retrained, LAYER)
    assert added == len(before)  # every message embedded again with the new weights
    assert not np.array_equal(np.array(cache.matrix(before.shape[1])), before)


def test_the_cli_shows_the_nearest_training_messages(run_copy):
    from typer.testing import CliRunner

    from simulacra.cli import app

    result = CliRunner().invoke(app, ["attribute", str(run_copy), "--query", "omg lol\non my way", "-k", "2",
                                      "--set", f"layer={LAYER}"])
    assert result.exit_code == 0, result.output
    hits = [line for line in result.output.splitlines() if line.startswith("  1.00") or line.startswith("  0.")]
    assert len(hits) == 2 and hits[0].startswith("  1.00") and "Ana: omg lol ⏎ on my way" in hits[0]


def test_an_untrained_speaker_is_refused_before_any_embedding(run_copy):
    from simulacra.attribute import AttributeConfig, run
    from simulacra.errors import SimulacraError

    with pytest.raises(SimulacraError, match="--as 'Zed': the model was trained on Ana"):
        run(AttributeConfig(run_dir=run_copy, query=["hi"], speaker="Zed"))
    assert not (run_copy / "cache").exists()


def test_centring_spreads_the_scores_that_the_shared_direction_bunched(run_copy):
    """Hidden states share a large common direction, so plain cosines bunch together; minus the training mean
    they spread out, and a training message quoted verbatim still finds itself first, at 1.00."""
    persona = Persona(run_copy)
    cache, _ = build_cache(persona, LAYER)
    dim, k = int(persona.backend.model.config.hidden_size), 10
    messages = cache.records()[:8]
    spreads = {"plain": [], "centred": []}
    for row, vector in enumerate(embed(persona, [(m["speaker"], m["text"]) for m in messages], LAYER)):
        plain = [score for _, score in attribution.nearest(cache.matrix(dim), vector, k)]  # the old search
        hits = search(cache, vector, k, dim)
        assert hits[0][0] == row and hits[0][1] > 0.99
        spreads["plain"].append(plain[0] - plain[-1])
        spreads["centred"].append(hits[0][1] - hits[-1][1])
    # on the tiny run: plain spreads 0.01-0.19 (mean 0.06), centred 0.77-1.33 (mean 1.0)
    assert np.mean(spreads["centred"]) > 2 * np.mean(spreads["plain"]), spreads


def test_a_cache_of_the_old_version_is_rebuilt_not_mixed(run_copy):
    persona = Persona(run_copy)
    cache, _ = build_cache(persona, LAYER)
    meta = cache.meta()
    write_json(cache.folder / "meta.json", {k: v for k, v in meta.items() if k != "version"})  # as version 1 wrote
    cache.mean_path().unlink()
    (cache.folder / "hnsw-3.usearch").write_bytes(b"an index over uncentred rows")
    cache, added = build_cache(persona, LAYER)
    assert added == len(cache.records()) and cache.meta() == meta
    assert cache.mean_path().is_file() and not list(cache.folder.glob("hnsw-*.usearch"))


def test_a_mean_of_fewer_rows_is_never_used(run_copy):
    """A build stopped after appending rows but before updating their mean: the next one computes it."""
    persona = Persona(run_copy)
    cache, _ = build_cache(persona, LAYER)
    rows = len(cache.records())
    cache.mean_path().rename(cache.mean_path(rows - 1))
    assert not cache.mean(4).any()  # no mean for these rows yet
    cache, added = build_cache(persona, LAYER)
    assert added == 0 and [p.name for p in cache.folder.glob("mean-*.f32")] == [f"mean-{rows}.f32"]
