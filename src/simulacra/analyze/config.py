"""Settings of the analyze stage."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from simulacra.config import StageConfig, cli


class AnalyzeConfig(StageConfig):
    run_dir: Path = Field(description="Run directory holding conversations.jsonl (and dataset/ if prepared); "
                          "the report is written to analysis/ inside it.", json_schema_extra=cli(argument=True))
    session_gap_minutes: float | None = Field(None, gt=0, description="A pause longer than this starts a new "
                                              "session (default: prepare's setting if prepared, else 60).",
                                              json_schema_extra=cli("--gap", metavar="MINUTES"))
    top_speakers: int = Field(8, ge=1, description="Plot at most this many speakers by name; the rest are "
                              "grouped as 'others'.", json_schema_extra=cli(advanced=True))
    top_words: int = Field(15, ge=1, description="Most frequent words and emoji listed per speaker.")
    emotions: bool | None = Field(None, description="Compare how the tuned model represents emotion words after "
                                  "each speaker's header (default: on when model/weights exists).")
    emotion_words: list[str] = Field(
        ["joy", "anger", "fear", "love", "sadness", "surprise", "disgust", "trust", "calm", "shame"],
        description="A word compared by the emotion heatmaps (repeatable).",
        json_schema_extra=cli("--emotion-word", advanced=True))
    emotion_speakers: list[str] = Field([], description="Speakers whose emotion heatmaps are drawn (default: the "
                                        "trained speakers, filled up to two with the most active).",
                                        json_schema_extra=cli("--emotion-speaker", advanced=True))
    emotion_layer: int | None = Field(None, description="Hidden-state layer read for the emotion words (default: "
                                      "the middle layer).", json_schema_extra=cli(advanced=True))
