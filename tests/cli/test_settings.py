"""Settings from one source: every config field is a flag in --help, and a bad value names that flag."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from simulacra.cli import COMMANDS, app
from simulacra.cli_options import field_shape
from simulacra.config import build_config, cli_meta, flag_of
from simulacra.errors import SimulacraError

runner = CliRunner(env={"COLUMNS": "250"})
STAGES = {verb: command.config_class for verb, command in COMMANDS.items() if hasattr(command, "config_class")}
FIELDS = [(verb, name) for verb, cls in STAGES.items() for name in cls.model_fields]


def invoke(*args) -> tuple[int, str]:
    """Run the real CLI in-process; the message is what the user would read (click's or ours)."""
    result = runner.invoke(app, [str(a) for a in args])
    if isinstance(result.exception, SimulacraError):
        return 2, str(result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def baseline(verb: str, tmp_path) -> dict[str, list[str]]:
    """Valid values for the required settings, keyed by field, so one field at a time can be made wrong."""
    tmp_path.joinpath("chat.txt").write_text("x")
    return {"ingest": {"inputs": [tmp_path / "chat.txt"]},
            "prepare": {"run_dir": [tmp_path / "run"], "speakers": ["--as", "Ana"]},
            "evaluate": {"run_dir": [tmp_path / "run"]}, "demo": {},
            "steer": {"run_dir": [tmp_path / "run"], "name": ["happy"], "toward": ["--toward", "i feel happy"],
                      "away": ["--away", "i feel sad"]},
            }.get(verb, {"run_dir": [tmp_path / "run"]})


def invalid_value(field) -> str:
    """A value the field must refuse: below its bound, off its choices, the wrong type, or empty."""
    kind, base, choices = field_shape(field.annotation)
    if choices:
        return "nope"
    if kind == "dict":
        return "no-separator"
    for bound in field.metadata:
        for attr in ("ge", "gt"):
            if getattr(bound, attr, None) is not None:
                return str(getattr(bound, attr) - 1 if attr == "ge" else getattr(bound, attr))
    return "abc" if base in (int, float) else ""


@pytest.mark.parametrize("verb,name", FIELDS, ids=[f"{v}.{n}" for v, n in FIELDS])
def test_an_invalid_value_names_a_flag_that_help_lists(verb, name, tmp_path):
    cls = STAGES[verb]
    field, meta = cls.model_fields[name], cli_meta(cls.model_fields[name])
    args = baseline(verb, tmp_path)
    if meta.get("argument"):
        args[name] = [invalid_value(field)]
    elif field_shape(field.annotation)[0] == "bool" or meta.get("hidden"):
        args[name] = ["--set", f"{name}=maybe"]  # a switch cannot be mistyped; --set and YAML can
    else:
        args[name] = [flag_of(cls, name), invalid_value(field)]
    code, message = invoke(verb, *[a for values in args.values() for a in values])
    flag = flag_of(cls, name)
    assert code == 2 and flag in message, message
    help_text = invoke(verb, "--help")[1]
    assert flag.split()[0] in help_text


@pytest.mark.parametrize("verb", list(STAGES))
def test_help_lists_every_setting(verb):
    cls, help_text = STAGES[verb], invoke(verb, "--help")[1]
    for name, field in cls.model_fields.items():
        if not cli_meta(field).get("hidden"):
            assert flag_of(cls, name) in help_text, name


@pytest.mark.parametrize("args,expected", [
    (["--as", "Mia Chen", "--max-turns", "0"], "--max-turns 0: Input should be greater than or equal to 1"),
    (["--as", "Mia Chen", "--gap", "-5"], "--gap -5.0: Input should be greater than 0"),
    ([], "--as is required: Speaker whose turns are trained"),
    (["--as", "Mia", "--min-turns", "5", "--max-turns", "3"], "--min-turns (5) exceeds --max-turns (3)"),
    (["--as", "Mia", "--persona", "Mia is nice"], "--persona 'Mia is nice': expected 'NAME: DESCRIPTION'"),
    (["--as", "Mia", "--persona-file", "/no/such/file"], "--persona-file /no/such/file: cannot read"),
    (["--as", ""], "--as ['']: expected a value, got an empty string"),
])
def test_prepare_errors_users_hit(tmp_path, args, expected):
    code, message = invoke("prepare", tmp_path, *args)
    assert code == 2 and message.startswith(expected), message


def test_ingest_errors_name_the_positional_inputs_and_its_flags(tmp_path):
    assert invoke("ingest") == (2, "INPUTS is required: Export files or folders to read (format detected from content)")
    assert invoke("ingest", tmp_path, "--alias", "Ana") == (2, "--alias 'Ana': expected 'OLD NAME=NEW NAME'")
    assert invoke("ingest", tmp_path, "-o", "") == (2, "--out '': expected a value, got an empty string")


def test_unknown_setting_suggests_the_closest_with_its_flag(tmp_path):
    assert invoke("train", tmp_path, "--set", "learning_rat=1") == (
        2, "unknown setting 'learning_rat' (from --set or --config); did you mean learning_rate (--lr)?")


@pytest.fixture
def captured(monkeypatch):
    """Replace train.run so a command line's resulting TrainConfig can be inspected without training."""
    import simulacra.train

    seen = []
    monkeypatch.setattr(simulacra.train, "run", seen.append)
    return seen


def test_flags_override_the_config_file_and_untouched_defaults_do_not(tmp_path, captured):
    path = tmp_path / "train.yaml"
    path.write_text("lora_r: 4\nbatch_size: 3\npacking: false\n")
    assert invoke("train", tmp_path, "--config", path, "--lora-r", "8", "--target-module", "q_proj",
                  "--target-module", "v_proj", "--lr", "0.01", "--set", "seed=7")[0] == 0
    [cfg] = captured
    assert (cfg.lora_r, cfg.batch_size, cfg.packing, cfg.learning_rate, cfg.seed) == (8, 3, False, 0.01, 7)
    assert cfg.target_modules == ["q_proj", "v_proj"]


def test_defaults_and_switches_reach_the_config(tmp_path, captured):
    assert invoke("train", tmp_path, "--no-packing", "--resume", "--target-module", "all-linear")[0] == 0
    [cfg] = captured
    assert (cfg.packing, cfg.resume, cfg.target_modules) == (False, True, "all-linear")
    assert cfg.model_dump(exclude={"packing", "resume", "run_dir"}) == \
        STAGES["train"](run_dir=tmp_path).model_dump(exclude={"packing", "resume", "run_dir"})


@pytest.mark.parametrize("verb", list(STAGES))
def test_config_verb_prints_yaml_that_config_reads_back(verb, tmp_path):
    code, text = invoke("config", verb)
    assert code == 0 and text.startswith("# Settings of `simulacra")
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    cls = STAGES[verb]
    required = {"run_dir": tmp_path, "speakers": ["Ana"], "inputs": [tmp_path], "name": "happy", "runs": [tmp_path]}
    given = {k: v for k, v in required.items() if k in cls.model_fields and cls.model_fields[k].is_required()}
    assert build_config(cls, yaml_path=path, overrides=given) == cls(**given)
    for name, field in cls.model_fields.items():
        if not cli_meta(field).get("hidden"):
            assert f"{name}:" in text and flag_of(cls, name) in text
    assert set(yaml.safe_load(text)) <= set(cls.model_fields)


def test_config_verb_output_drives_a_real_prepare(tmp_path, small_run, tiny_model_dir):
    path = tmp_path / "prepare.yaml"
    path.write_text(invoke("config", "prepare")[1].replace("window_turns: 8", "window_turns: 4"))
    assert invoke("prepare", small_run, "--as", "Ana", "--model", tiny_model_dir, "--config", path)[0] == 0
    saved = yaml.safe_load((small_run / "dataset" / "config.yaml").read_text())
    assert (saved["window_turns"], saved["speakers"], saved["model"]) == (4, ["Ana"], str(tiny_model_dir))


def test_a_plain_field_of_any_type_becomes_a_flag_without_metadata():
    """Other engineers add plain `Field(...)` settings: they must appear as flags with no CLI code."""
    import typer
    from pydantic import BaseModel, Field

    from simulacra.cli_options import settings_command
    from simulacra.config import StageConfig

    class Sampling(BaseModel):
        temperature: float = 0.8
        top_p: float = 0.9

    class Toy(StageConfig):
        count: int = Field(1, ge=0, description="How many.")
        max_len: float | None = Field(None, description="Longest.")
        names: list[str] = Field([], description="Names to keep.")
        weights: dict[str, float] = Field({}, description="Weight per name.")
        sampling: Sampling = Field(default_factory=Sampling, description="How to sample.")

    seen = []
    toy_app = typer.Typer()
    toy_app.command()(settings_command(Toy)(lambda settings: seen.append(settings.build())))
    result = CliRunner().invoke(toy_app, ["--count", "2", "--max-len", "3.5", "--names", "a", "--names", "b",
                                          "--weights", "a=0.5", "--sampling", "{temperature: 0.1}"])
    assert result.exit_code == 0, result.output
    assert seen == [Toy(count=2, max_len=3.5, names=["a", "b"], weights={"a": 0.5},
                        sampling=Sampling(temperature=0.1))]
    help_text = CliRunner(env={"COLUMNS": "200"}).invoke(toy_app, ["--help"]).output
    assert all(flag in help_text for flag in ("--count", "--max-len", "--names", "--weights", "--sampling"))
    with pytest.raises(SimulacraError, match=r"^--count -1: Input should be greater than or equal to 0$"):
        CliRunner().invoke(toy_app, ["--count", "-1"], catch_exceptions=False)
