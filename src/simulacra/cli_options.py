"""Command-line options generated from a stage's config, so every setting is a flag declared once.

    @settings_command(PrepareConfig)
    def prepare(settings: Settings, preview: int = typer.Option(0, help="...")) -> None:
        run(settings.build())

The decorated function keeps its own parameters (verb-only options such as --preview) and gets, in
`settings`, what the generated options, `--config FILE` and `--set KEY=VALUE` said. Help text, types,
defaults and choices all come from the pydantic fields; nothing here imports torch.
"""

from __future__ import annotations

import inspect
import types
import typing
from pathlib import Path
from typing import Any, Callable, List, Literal, Optional, Union

import typer
import yaml
from pydantic_core import to_jsonable_python
from typer.models import ArgumentInfo
from pydantic.fields import FieldInfo

from simulacra.config import ADVANCED, C, build_config, cli_meta, flag_of, flags_in, parse_set
from simulacra.errors import SimulacraError

_CTX, _CONFIG, _SET = "context_", "config_file_", "set_pairs_"


class Settings:
    """What the command line said about a stage's settings, turned into its config by `build`."""

    def __init__(self, cls: type[C], values: dict[str, Any], config_file: Path | None, pairs: list[str] | None):
        self.cls, self.config_file = cls, config_file
        self.values = {name: _to_setting(cls.model_fields[name], name, cls, v) for name, v in values.items()}
        self.values.update(parse_set(pairs))

    def build(self, base: dict | None = None, **overrides: Any) -> C:
        """Defaults < base (e.g. saved settings) < --config file < flags and --set < `overrides`."""
        return build_config(self.cls, yaml_path=self.config_file, base=base, overrides={**self.values, **overrides})


def settings_command(cls: type[C], *, skip: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """Give a typer command one option (or positional) per field of `cls`, plus --config and --set."""

    def decorate(func: Callable) -> Callable:
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
               for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "settings"]
        taken = {p.name for p in own} | set(skip)
        fields = {n: f for n, f in cls.model_fields.items() if n not in taken and not cli_meta(f).get("hidden")}
        arguments = [_parameter(cls, n, f) for n, f in fields.items() if cli_meta(f).get("argument")]
        options = [_parameter(cls, n, f) for n, f in fields.items() if not cli_meta(f).get("argument")]
        common = [
            _param(_CONFIG, Optional[Path], typer.Option(None, "--config", metavar="FILE", help=(
                f"YAML file of settings (flags override it); `simulacra config {func.__name__}` writes one."))),
            _param(_SET, Optional[List[str]], typer.Option(None, "--set", metavar="KEY=VALUE", help=(
                "Any setting by its config name, e.g. --set seed=3 (repeatable)."))),
        ]

        def command(**kwargs: Any) -> Any:
            mine = {p.name: kwargs.pop(p.name) for p in own}
            ctx, config_file, pairs = kwargs.pop(_CTX), kwargs.pop(_CONFIG), kwargs.pop(_SET)
            settings = Settings(cls, given(ctx, kwargs), config_file, pairs)
            return func(settings, **mine)

        # Positionals first (their order is the usage line), then the verb's own options and the settings.
        first = [p for p in own if isinstance(p.default, ArgumentInfo)]
        rest = [p for p in own if p not in first]
        context = _param(_CTX, typer.Context, inspect.Parameter.empty)
        command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [context] + first + arguments + rest + options + common)
        command.__name__, command.__doc__, command.__module__ = func.__name__, func.__doc__, func.__module__
        command.config_class = cls  # type: ignore[attr-defined]  # for `simulacra config VERB`
        return command

    return decorate


def given(ctx: typer.Context, values: dict[str, Any]) -> dict[str, Any]:
    """Only what the user typed: a default shown in --help must not override --config or saved settings."""
    return {name: value for name, value in values.items()
            if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")}


def _param(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def _parameter(cls: type, name: str, field: FieldInfo) -> inspect.Parameter:
    meta, (kind, base, choices) = cli_meta(field), field_shape(field.annotation)
    # Paths travel as text so an empty or odd value reaches the config's own check unchanged.
    metavar = meta.get("metavar") or {"dict": f"KEY{meta['sep']}VALUE", "list": "VALUE", "yaml": "YAML"}.get(kind)
    metavar = metavar or ("PATH" if base is Path else None)
    base = Literal[tuple(choices)] if choices else str if base is Path else base
    help_text = flags_in(cls, field.description or "")
    if meta.get("argument"):
        required = field.is_required() and not meta.get("optional")
        annotation = List[base] if kind in ("list", "dict") else base  # type: ignore[valid-type]
        info = typer.Argument(... if required else None, help=help_text, metavar=flag_of(cls, name), show_default=False)
        return _param(name, annotation if required else Optional[annotation], info)
    flag = flag_of(cls, name)
    decls = [f"{flag}/--no-{flag[2:]}"] if kind == "bool" else [flag]
    if meta.get("short"):
        decls.append(meta["short"])
    annotation = {"bool": bool, "scalar": base, "yaml": str}.get(kind, List[base])  # type: ignore[valid-type]
    info = typer.Option(_cli_default(field, kind, meta["sep"]), *decls, help=help_text, metavar=metavar,
                        rich_help_panel=ADVANCED if meta.get("advanced") else None)
    return _param(name, Optional[annotation], info)


def _cli_default(field: FieldInfo, kind: str, sep: str) -> Any:
    """The config default as click shows it; a value left at it is not passed on (see `given`)."""
    value = None if field.is_required() else field.get_default(call_default_factory=True)
    if kind == "dict":
        return [f"{k}{sep}{v}" for k, v in value.items()] if value else None
    if kind == "yaml":
        return None if value is None else yaml.safe_dump(to_jsonable_python(value), default_flow_style=True).strip()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value] or None
    if kind == "list" and value is not None:
        return [str(value)]  # `list[str] | str` with a plain default, e.g. all-linear
    return str(value) if isinstance(value, Path) else value


def field_shape(annotation: Any) -> tuple[str, type, list[str] | None]:
    """(kind, base type, choices): bool, scalar, list, dict or yaml; `X | None` and `list | str` unwrap."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        lists = [a for a in args if typing.get_origin(a) is list]
        return field_shape(lists[0] if lists else args[0])
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "scalar", str, [str(a) for a in args]
    if origin is list:
        inner = field_shape(args[0])
        return ("list",) + inner[1:] if inner[0] == "scalar" else ("yaml", str, None)  # type: ignore[return-value]
    if origin is dict:
        return "dict", str, None
    if annotation is bool:
        return "bool", bool, None
    if annotation in (int, float, str, Path):
        return "scalar", annotation, None
    return "yaml", str, None  # anything richer (a nested settings model, a tuple): one YAML value, as --set takes


def _to_setting(field: FieldInfo, name: str, cls: type, value: Any) -> Any:
    """Flag values as the config expects them: None or () when not given, KEY=VALUE pairs as a dict."""
    if value is None or value == () or value == []:
        return None
    kind = field_shape(field.annotation)[0]
    if kind == "yaml":
        return parse_set([f"{name}={value}"])[name] if value.strip() else value
    if kind == "list" and list(value) == [field.default] and isinstance(field.default, str):
        return field.default  # `list[str] | str` given its default's plain form (target_modules all-linear)
    if kind != "dict":
        return list(value) if isinstance(value, tuple) else value
    meta, out = cli_meta(field), {}
    for pair in value:
        key, sep, text = pair.rpartition(meta["sep"]) if meta.get("split_last") else pair.partition(meta["sep"])
        if not sep or not key.strip() or not text.strip():
            raise SimulacraError(f"{flag_of(cls, name)} {pair!r}: expected {meta.get('metavar') or 'KEY=VALUE'}")
        out[key.strip()] = text.strip()
    return out
