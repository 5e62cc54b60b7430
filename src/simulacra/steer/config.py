"""Settings of the steer stage: build a steering vector from contrast prompts, and measure what it does."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig, cli

# repeng's classic pair of contrasts: happy vs sad, the tone a sentiment lexicon can check.
HAPPY_SAD = {"i feel happy": 0.25, "i feel sad": -0.25, "life is amazing": 0.25, "life is terrible": -0.25}


class SteerConfig(StageConfig):
    run_dir: Path = Field(description="Run directory with a trained model/; vectors go to RUN/steering/.",
                          json_schema_extra=cli(argument=True))
    name: str = Field(description="Name of the vector (used as --steer NAME:STRENGTH in chat).",
                      json_schema_extra=cli(argument=True))
    toward: list[str] = Field([], description="Text the vector points towards (repeatable; weights +1 shared out).",
                              json_schema_extra=cli(metavar="TEXT"))
    away: list[str] = Field([], description="Text the vector points away from (repeatable; weights -1 shared out).",
                            json_schema_extra=cli(metavar="TEXT"))
    prompts_file: Path | None = Field(None, description="YAML mapping of text -> weight (e.g. 'i feel happy: 0.25').")
    layer: int = Field(-6, lt=0, description="Decoder layer to read and steer, counted from the last (-1).")
    speaker: str | None = Field(None, description="Whose voice the prompts are rendered in (default: the trained "
                                "speaker), so the vector lives where the model speaks.")
    measure: bool = Field(False, description="Generate replies to held-out prompts at several strengths and score "
                          "their sentiment (VADER) and projection on the vector; writes a plot.")
    strengths: list[float] = Field([-8.0, -4.0, 0.0, 4.0, 8.0], description="A strength tried by --measure "
                                   "(repeatable).", json_schema_extra=cli("--strength", advanced=True))
    measure_prompts: int = Field(32, ge=1, description="Held-out moments answered at each strength.",
                                 json_schema_extra=cli(advanced=True))
    max_new_tokens: int = Field(32, ge=1, description="Longest reply in tokens while measuring.",
                                json_schema_extra=cli(advanced=True))
    seed: int = Field(0, description="Sampling seed while measuring (the same at every strength).",
                      json_schema_extra=cli(advanced=True))

    def weights(self) -> dict[str, float]:
        """text -> weight; --toward and --away share +1 and -1, a prompts file gives its own weights."""
        if self.prompts_file is not None:
            import yaml

            loaded = yaml.safe_load(Path(self.prompts_file).read_text(encoding="utf-8")) or {}
            if not isinstance(loaded, dict):
                raise ValueError(f"{self.prompts_file}: expected a mapping of text: weight")
            return {str(k): float(v) for k, v in loaded.items()}
        out = {t: 1.0 / len(self.toward) for t in self.toward}
        out.update({t: -1.0 / len(self.away) for t in self.away})
        return out
