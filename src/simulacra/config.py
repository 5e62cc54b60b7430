"""Typed stage configs: pydantic models whose field descriptions are the help text.

Values come from, in order: the model defaults, a YAML file (`--config`), then explicit flags and
`--set key=value` pairs. Unknown keys are errors, and a validation error names the flag.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from simulacra.errors import SimulacraError

C = TypeVar("C", bound="StageConfig")


class StageConfig(BaseModel):
    """Base of every stage's config: unknown keys are rejected, so a typo never reads as a default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, protected_namespaces=())

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def parse_set(pairs: list[str] | None) -> dict[str, Any]:
    """Turn `--set lr=1e-4 --set lora.r=8` style pairs into a dict; values are parsed as YAML scalars."""
    out: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SimulacraError(f"--set {pair!r}: expected KEY=VALUE")
        out[key.strip().replace("-", "_")] = yaml.safe_load(value)
    return out


def build_config(cls: type[C], *, yaml_path: Path | None = None, base: dict | None = None,
                 overrides: dict[str, Any] | None = None) -> C:
    """Merge defaults < `base` (e.g. a saved config) < YAML file < overrides (None means "not given")."""
    data: dict[str, Any] = {k: v for k, v in (base or {}).items() if k in cls.model_fields}
    if yaml_path is not None:
        try:
            loaded = yaml.safe_load(Path(yaml_path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as e:
            raise SimulacraError(f"{yaml_path}: cannot read config ({e})") from None
        if not isinstance(loaded, dict):
            raise SimulacraError(f"{yaml_path}: expected a mapping of settings at the top level")
        data.update(loaded)
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return cls(**data)
    except ValidationError as e:
        raise SimulacraError(_describe(e)) from None


def _describe(error: ValidationError) -> str:
    parts = []
    for err in error.errors():
        flag = "--" + "-".join(str(p) for p in err["loc"]).replace("_", "-")
        if err["type"] == "extra_forbidden":
            parts.append(f"{flag}: unknown setting")
        else:
            parts.append(f"{flag}: {err['msg']}")
    return "; ".join(parts)
