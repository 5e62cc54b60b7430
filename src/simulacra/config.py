"""Typed stage configs: pydantic models whose fields are the one place a setting is declared.

A field's description is its help text; `cli(...)` metadata only says how it is spelled on the command
line when the field name is not the flag (`speakers` is `--as`). Values come from, in order: the model
defaults, a YAML file (`--config`), then explicit flags and `--set key=value` pairs. Unknown keys are
errors, and a validation error names the flag the user typed, with the value it got.
"""

from __future__ import annotations

import difflib
import textwrap
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic.fields import FieldInfo

from simulacra.errors import InputError, SimulacraError

C = TypeVar("C", bound="StageConfig")
ADVANCED = "Advanced"


def cli(flag: str | None = None, *, short: str | None = None, advanced: bool = False, argument: bool = False,
        optional: bool = False, metavar: str | None = None, sep: str = "=", split_last: bool = False,
        hidden: bool = False) -> dict[str, Any]:
    """Command-line spelling of a field, for `Field(json_schema_extra=cli(...))`; plain fields need none.

    flag: the option name when it is not `--field-name`; short: e.g. "-o"; advanced: listed under the
    "Advanced" help heading; argument: a positional (optional: it may come from --config instead);
    sep/split_last: how a dict option's KEY<sep>VALUE is split; hidden: filled in by the stage, no flag.
    """
    meta = {"flag": flag, "short": short, "advanced": advanced, "argument": argument, "optional": optional,
            "metavar": metavar, "sep": sep, "split_last": split_last, "hidden": hidden}
    return {"cli": {k: v for k, v in meta.items() if v not in (None, False)}}


def cli_meta(field: FieldInfo) -> dict[str, Any]:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return {"sep": "=", **extra.get("cli", {})}  # type: ignore[dict-item]


def flag_of(cls: type[BaseModel], name: str) -> str:
    """The flag a user types for field `name`: `--max-turns`, `RUN_DIR` for a positional, `--set x` if none."""
    field = cls.model_fields.get(name)
    if field is None:
        return f"--set {name}"
    meta = cli_meta(field)
    if meta.get("argument"):
        return meta.get("flag") or name.upper()
    if meta.get("hidden"):
        return f"--set {name}"
    return meta.get("flag") or "--" + name.replace("_", "-")


class StageConfig(BaseModel):
    """Base of every stage's config: unknown keys are rejected, so a typo never reads as a default."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, protected_namespaces=())

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @model_validator(mode="before")
    @classmethod
    def _no_empty_strings(cls, data: Any) -> Any:
        """An empty name, path or word is always a slip (`--as ""`, `--out ""`), never a setting."""
        for name, value in (data.items() if isinstance(data, dict) else ()):
            values = value if isinstance(value, (list, tuple)) else [value]
            if any(isinstance(v, str) and not v.strip() for v in values):
                raise ValueError(f"`{name}` {value!r}: expected a value, got an empty string")
        return data


def parse_set(pairs: list[str] | None) -> dict[str, Any]:
    """Turn `--set lr=1e-4 --set lora.r=8` style pairs into a dict; values are parsed as YAML scalars."""
    out: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise SimulacraError(f"--set {pair!r}: expected KEY=VALUE")
        try:
            out[key.strip().replace("-", "_")] = yaml.safe_load(value)
        except yaml.YAMLError:
            out[key.strip().replace("-", "_")] = value  # not a YAML scalar: the text itself, validated below
    return out


def _read_yaml(path: Path) -> Any:
    """The file's YAML, or one line naming the file, the line and what the parser expected."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise SimulacraError(f"{path}: cannot read config ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise SimulacraError(f"{path}: cannot read config (expected UTF-8 text)") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise InputError(path, f"malformed YAML ({e.problem or e.context})", line=mark.line + 1 if mark else None
                         ) from None
    except yaml.YAMLError as e:
        raise SimulacraError(f"{path}: malformed YAML ({' '.join(str(e).split())})") from None


def build_config(cls: type[C], *, yaml_path: Path | None = None, base: dict | None = None,
                 overrides: dict[str, Any] | None = None) -> C:
    """Merge defaults < `base` (e.g. a saved config) < YAML file < overrides (None means "not given")."""
    data: dict[str, Any] = {k: v for k, v in (base or {}).items() if k in cls.model_fields}
    if yaml_path is not None:
        loaded = _read_yaml(Path(yaml_path))
        if not isinstance(loaded, dict):
            raise SimulacraError(f"{yaml_path}: expected a mapping of settings at the top level")
        data.update(loaded)
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return cls(**data)
    except ValidationError as e:
        raise SimulacraError(describe(cls, e, data)) from None


def describe(cls: type[BaseModel], error: ValidationError, data: dict[str, Any]) -> str:
    """One line per problem, each naming the flag and the value it got (model-level checks included)."""
    parts = []
    for err in error.errors():
        message = flags_in(cls, err["msg"].removeprefix("Value error, "))
        if not err["loc"]:  # a model-level check: its message names fields in `backticks`
            parts.append(message)
            continue
        name = str(err["loc"][0])
        flag = flag_of(cls, name)
        if err["type"] == "extra_forbidden":
            close = difflib.get_close_matches(name, list(cls.model_fields), n=1)
            hint = f"; did you mean {close[0]} ({flag_of(cls, close[0])})?" if close else ""
            parts.append(f"unknown setting {name!r} (from --set or --config){hint}")
        elif err["type"] == "missing":
            parts.append(f"{flag} is required: {_first_sentence(cls.model_fields[name].description)}")
        else:
            parts.append(f"{flag} {_shown(data.get(name, err.get('input')))}: {message}")
    return "; ".join(parts)


def flags_in(cls: type[BaseModel], message: str) -> str:
    """`window_turns` in a validator's message becomes the flag the user knows, --max-turns."""
    return re.sub(r"`(\w+)`", lambda m: flag_of(cls, m.group(1)) if m.group(1) in cls.model_fields
                  else m.group(0), message)


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(repr(str(v)) if isinstance(v, (str, Path)) else repr(v) for v in value) or "[]"
    return repr(str(value)) if isinstance(value, Path) else repr(value)


def _first_sentence(text: str | None) -> str:
    return (text or "").split(". ")[0].rstrip(".")


def settings_yaml(cls: type[BaseModel], verb: str) -> str:
    """Every setting of `cls` with its help, flag and default, as commented YAML that `--config` reads back."""
    from pydantic_core import to_jsonable_python

    lines = [f"# Settings of `simulacra {verb}`, with their defaults. Edit, then: simulacra {verb} --config FILE",
             "# (flags given on the command line override this file)."]
    for name, field in cls.model_fields.items():
        meta = cli_meta(field)
        if meta.get("hidden"):
            continue
        lines += [""] + textwrap.wrap(f"{flag_of(cls, name)}: {field.description or ''}", 110,
                                      initial_indent="# ", subsequent_indent="#   ")
        if field.is_required() or meta.get("argument"):
            note = "given on the command line" if meta.get("argument") else "required"
            lines.append(f"# {name}:   ({note})")
            continue
        value = to_jsonable_python(field.get_default(call_default_factory=True))
        text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
        lines.append(f"{name}: {text.removesuffix(chr(10) + '...' + chr(10)).strip()}")
    return "\n".join(lines) + "\n"
