"""The happy/sad vector on the real embedded model makes replies to held-out moments happier or sadder."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample_chat" / "result.json"


@pytest.mark.slow
def test_sentiment_rises_with_the_strength_of_the_happy_vector(tmp_path):
    from simulacra import ingest, prepare
    from simulacra.engine import Persona
    from simulacra.rundir import RunDir
    from simulacra.steer import HAPPY_SAD, SteerConfig, build
    from simulacra.steer.measure import measure

    run = RunDir(tmp_path / "run")
    ingest.run(ingest.IngestConfig(inputs=[SAMPLE], out=run.root))
    prepare.run(prepare.PrepareConfig(run_dir=run.root, speakers=["Mia Chen"]))
    persona = Persona(run, tuned=False)  # steering needs no training: the base model speaks in Mia's format
    build(persona, "happy", HAPPY_SAD, layer=-6)
    result = measure(persona, SteerConfig(run_dir=run.root, name="happy", measure=True, strengths=[-4, 0, 4],
                                          measure_prompts=32, max_new_tokens=24))
    sad, plain, happy = (r["sentiment"] for r in result["rows"])
    assert result["prompts"] == 32
    assert sad < plain < happy
