"""Settings of the evaluate stage."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from simulacra.config import StageConfig, cli
from simulacra.engine.sampling import sampling_field


class EvaluateConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a prepared dataset/ and a trained model/.",
                          json_schema_extra=cli("RUN_DIRS", argument=True))
    split: str = Field("test", description="Which split to score: test (most recent sessions) or validation.")
    batch_size: int = Field(8, ge=1, description="Examples per forward pass when scoring.",
                          json_schema_extra=cli(advanced=True))
    max_examples: int = Field(0, ge=0, description="Score at most this many examples (0: all).")
    speaker_identity: bool = Field(True, description="With several trained speakers: score each held-out turn "
                                   "after every trained speaker's header, base and tuned (is the true speaker's "
                                   "likeliest?).", json_schema_extra=cli(advanced=True))
    # Next-turn generation: every setting is written into the report.
    generate: bool = Field(True, description="Generate each held-out next turn (overlap, style, loops, who-said-it, "
                           "judge); off: perplexity only.")
    # 200 moments put the two-sample accuracy within ±4.9 points (95 %, at 50 %) and a share such as
    # who-said-it within ±6.9; more moments tighten that slowly (√n) while generation time grows linearly.
    max_moments: int = Field(200, ge=0, description="Generate for at most this many held-out turns (0: all), "
                             "spread over the split; 200 give the two-sample accuracy a 95% interval of about "
                             "±5 points.")
    max_new_tokens: int = sampling_field("max_new_tokens", 48, description="Longest generated turn in tokens (the "
                                         "demo's real turns: median 19, 90th percentile 36).")
    temperature: float = sampling_field("temperature")
    top_p: float = sampling_field("top_p")
    top_k: int = sampling_field("top_k")
    repetition_penalty: float = sampling_field("repetition_penalty")
    seed: int = Field(0, description="Sampling seed (batch b uses seed + b).")
    gen_batch_size: int = Field(32, ge=1, description="Prompts generated together (left-padded).",
                          json_schema_extra=cli(advanced=True))
    # Heavier parts.
    who_said_it: bool = Field(True, description="Train a character n-gram classifier on the training split and "
                              "attribute the generated replies.", json_schema_extra=cli(advanced=True))
    judge: str | None = Field("none", description="Blind judge picking the real reply by likelihood: a local "
                              "model folder or Hugging Face id that generated none of the candidates, 'tuned' or "
                              "'base' (the run's own sides, which favour their own samples), or 'none'.")
    memorisation: bool = Field(False, description="Privacy audit: verbatim completion of training turns, PII check.")
    memorisation_samples: int = Field(48, ge=1, description="Training turns (and as many held-out ones) to audit.",
                          json_schema_extra=cli(advanced=True))
    html: bool = Field(True, description="Write report/index.html with plots.", json_schema_extra=cli(advanced=True))
    engine: Literal["auto", "torch", "ctranslate2"] = Field(
        "auto", description="Decoder for generation: auto (ctranslate2 when installed), torch or ctranslate2. "
        "Seeded sampling repeats run to run on both; torch also batch by batch. Scoring always runs on torch.")
    compute_type: Literal["int8", "float32"] = Field("int8", description="CTranslate2 precision: int8 (fastest) or "
                                                     "float32 (exact).", json_schema_extra=cli(advanced=True))
