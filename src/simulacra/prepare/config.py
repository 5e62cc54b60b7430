"""Settings of the prepare stage (saved as dataset/config.yaml so later stages reuse them)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from simulacra.config import StageConfig, cli


class PrepareConfig(StageConfig):
    run_dir: Path = Field(description="Run directory holding conversations.jsonl; dataset/ is written here.",
                          json_schema_extra=cli(argument=True))
    speakers: list[str] = Field(description="Speaker whose turns are trained (repeat for several, or 'all').",
                                json_schema_extra=cli("--as", metavar="NAME"))
    model: str = Field("smollm2-135m", description="Model whose tokenizer renders the data: the embedded "
                       "default, a local folder or a Hugging Face id.")
    session_gap_minutes: float = Field(60.0, gt=0, description="Minutes of silence that start a new session.",
                                       json_schema_extra=cli("--gap", metavar="MINUTES"))
    window_turns: int = Field(8, ge=1, description="At most this many turns per example.",
                              json_schema_extra=cli("--max-turns"))
    max_seq_len: int = Field(384, ge=16, description="At most this many tokens per example; windows end at turn boundaries.")
    max_message_chars: int | None = Field(None, ge=100, description="Longer messages are cut to this many "
                                          "characters, with a warning (default: 16 × max_seq_len, a few times "
                                          "what one example holds).", json_schema_extra=cli(advanced=True))
    val_fraction: float = Field(0.1, ge=0, lt=0.5, description="Share of sessions for validation (the ones before test).",
                                json_schema_extra=cli(advanced=True))
    test_fraction: float = Field(0.1, gt=0, lt=0.5, description="Share of sessions for test (the most recent ones).",
                                 json_schema_extra=cli(advanced=True))
    system_prompt: str | None = Field(None, description="System text at the start of every example; "
                                      "default: 'A chat between <participants>.'",
                                      json_schema_extra=cli(advanced=True))
    kinds: list[str] = Field(["text"], description="Message kinds kept as turns; the rest are counted and skipped.",
                            json_schema_extra=cli("--kind", advanced=True))
    scrub: list[str] = Field(["email", "url", "iban", "card", "phone"], description="Personal data replaced by "
                             "typed placeholders before training (any of email, url, iban, card, phone; "
                             "--no-scrub: none).",
                             json_schema_extra=cli(advanced=True))
    block_words: list[str] = Field([], description="Word always replaced by <REDACTED> (names, places, nicknames; "
                             "repeatable).", json_schema_extra=cli("--block-word", metavar="WORD"))
    phone_regions: list[str] = Field([], description="Regions whose national phone formats are recognised, as "
                                     "ISO codes (GB, DE, BR); default: inferred per chat from its + numbers, its "
                                     "language and phone-number speaker names (numbers written with + are always "
                                     "found).", json_schema_extra=cli("--phone-region", advanced=True))
    pseudonyms: dict[str, str] = Field({}, description="Aliases for speakers whose names are phone numbers or "
                                       "e-mails ('+44 7911 123456': Sam); the others become Contact 1, Contact 2, ...",
                                       json_schema_extra=cli("--pseudonym", advanced=True))
    style: Literal["roles", "speaker-tokens", "instruct", "segments", "completion"] = Field(
        "roles", description="Prompt style: roles (ChatML, names as roles), speaker-tokens (new [Name] tokens), "
        "instruct (history in a user message, next turn as the answer), segments (template-free labelled "
        "spans), completion (prompt/completion pairs).")
    windows: Literal["greedy", "random"] = Field("greedy", description="greedy: as many turns as fit (at most "
                                                 "`window_turns`); random: lengths drawn from `min_window_turns` "
                                                 "to `window_turns`.")
    min_window_turns: int = Field(2, ge=1, description="Fewest turns in a random window.",
                                  json_schema_extra=cli("--min-turns"))
    seed: int = Field(0, description="Seed of the random window lengths.")
    personas: dict[str, str] = Field({}, description="A speaker's persona line added to the system text, "
                                     "e.g. --persona 'Ana: 29, nurse in Porto' (repeat per speaker).",
                                     json_schema_extra=cli("--persona", sep=":", metavar="'NAME: DESCRIPTION'"))
    persona_file: Path | None = Field(None, description="A text file whose content becomes the system prompt "
                                      "(the editable persona description of the segments style).")
    speaker_tokens: dict[str, str] = Field({}, description="Filled in by prepare for speaker-tokens: name -> "
                                           "its special token; train initialises and trains these rows.",
                                           json_schema_extra=cli(hidden=True))

    @field_validator("scrub")
    @classmethod
    def _known_pii(cls, v: list[str]) -> list[str]:
        from simulacra.prepare.pii import PII_KINDS

        unknown = sorted(set(v) - set(PII_KINDS))
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}; choose from {', '.join(PII_KINDS)}")
        return v

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, v: list[str]) -> list[str]:
        import phonenumbers

        regions = [r.strip().upper() for r in v]
        unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(f"unknown region {unknown[0]!r}; expected ISO 3166 codes such as US, GB, DE, FR, IN, BR")
        return regions

    @field_validator("speakers")
    @classmethod
    def _not_empty(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("name at least one speaker, or 'all'")
        return v

    @field_validator("personas", mode="before")
    @classmethod
    def _parse_personas(cls, v):
        """Accept a mapping or 'Name: description' strings (the --persona flag)."""
        if isinstance(v, (list, tuple)):
            out = {}
            for item in v:
                name, sep, text = str(item).partition(":")
                if not sep or not name.strip() or not text.strip():
                    raise ValueError(f"{item!r}: expected 'Name: description'")
                out[name.strip()] = text.strip()
            return out
        return v

    @model_validator(mode="after")
    def _read_persona_file(self) -> "PrepareConfig":
        """The file's text becomes the system prompt, so later stages (chat) use the same words."""
        if self.persona_file is not None and self.system_prompt is None:
            try:
                text = Path(self.persona_file).read_text(encoding="utf-8").strip()
            except OSError as e:
                raise ValueError(f"`persona_file` {self.persona_file}: cannot read ({e.strerror})") from None
            object.__setattr__(self, "system_prompt", text)
        if self.min_window_turns > self.window_turns:
            raise ValueError(f"`min_window_turns` ({self.min_window_turns}) exceeds "
                             f"`window_turns` ({self.window_turns})")
        return self

    @property
    def message_cap(self) -> int:
        """Characters kept of one message: about four characters a token, so 16 × max_seq_len is four windows."""
        return self.max_message_chars or 16 * self.max_seq_len
