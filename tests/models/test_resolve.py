"""Model names: a typo fails at once with suggestions, Hub ids go online only when the user allows it.

No test here touches the network: sockets are refused in-process, and the CLI runs behind a dead proxy.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from simulacra.errors import SimulacraError
from simulacra.formats.tokenizer import ChatTokenizer
from simulacra.models import embedded
from simulacra.models.embedded import TOKENIZER_FILES, resolve_model, resolve_tokenizer

SRC = str(Path(__file__).resolve().parents[2] / "src")
CLI = [sys.executable, "-c", "from simulacra.cli import main; main()"]


@pytest.fixture
def no_network(monkeypatch, tmp_path):
    """Any connection fails the test; the Hub cache is an empty folder; the user has not set offline mode."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access: {args}")

    import huggingface_hub.constants as constants

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(embedded, "_USER_OFFLINE", None)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "hub"


@pytest.mark.parametrize("resolve", [resolve_model, resolve_tokenizer])
def test_a_typo_fails_at_once_offline_with_the_close_name(no_network, resolve):
    with pytest.raises(SimulacraError) as e:
        resolve("smollm2-135")
    assert str(e.value) == ("model 'smollm2-135': not a folder, the embedded model, a preset or a Hugging Face "
                            "id (owner/name); did you mean 'smollm2-135m'?")


def test_near_misses_of_presets_and_local_folders_are_suggested(no_network, tiny_model_dir):
    shutil.copytree(tiny_model_dir, no_network.parent / "my-tiny-model")
    with pytest.raises(SimulacraError, match=r"did you mean 'qwen2.5-0.5b' or 'qwen2.5-7b'\?$"):
        resolve_tokenizer("qwen2.5-05b")
    with pytest.raises(SimulacraError, match=r"did you mean 'my-tiny-model'\?$"):
        resolve_tokenizer("my-tiny-modle")
    with pytest.raises(SimulacraError, match=r"; choose the embedded 'smollm2-135m', a preset \(smollm2-135m, "):
        resolve_model("zzz")
    assert resolve_tokenizer("my-tiny-model") == "my-tiny-model"  # a folder is used as it is


def test_a_hub_id_under_offline_mode_fails_at_once_when_not_cached(no_network, monkeypatch):
    monkeypatch.setattr(embedded, "_USER_OFFLINE", "1")
    with pytest.raises(SimulacraError) as e:
        resolve_model("someone/some-model")
    assert str(e.value) == ("model 'someone/some-model': not in the local Hugging Face cache and HF_HUB_OFFLINE "
                            "is set; unset HF_HUB_OFFLINE to download it, or give a local folder")
    with pytest.raises(SimulacraError, match=r"^model 'Qwen/Qwen2.5-0.5B-Instruct': not in the local"):
        resolve_tokenizer("qwen2.5-0.5b")  # a preset's name stands for its model


def test_a_hub_id_in_the_local_cache_loads_offline(no_network, monkeypatch, tiny_model_dir):
    monkeypatch.setattr(embedded, "_USER_OFFLINE", "1")
    commit = "0" * 40
    snapshot = no_network / "models--someone--tiny" / "snapshots" / commit
    shutil.copytree(tiny_model_dir, snapshot)
    (no_network / "models--someone--tiny" / "refs").mkdir()
    (no_network / "models--someone--tiny" / "refs" / "main").write_text(commit)
    assert Path(resolve_model("someone/tiny")) == snapshot
    assert len(ChatTokenizer.load(resolve_tokenizer("someone/tiny"))) == len(ChatTokenizer.load(tiny_model_dir))
    with pytest.raises(SimulacraError, match=r"did you mean 'someone/tiny'\?$"):  # cached ids are suggested
        resolve_model("someone/tiny/x")


def test_a_hub_id_is_downloaded_when_online_even_after_our_loaders_set_offline(no_network, monkeypatch, tmp_path):
    import huggingface_hub
    from huggingface_hub import constants

    calls = []

    def download(repo_id, **kwargs):
        calls.append((repo_id, kwargs, constants.HF_HUB_OFFLINE))
        return str(tmp_path)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", download)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)  # as models/load.py's setdefault leaves it
    assert resolve_tokenizer("someone/tiny") == str(tmp_path)
    assert calls == [("someone/tiny", {"allow_patterns": TOKENIZER_FILES, "local_files_only": False}, False)]
    assert constants.HF_HUB_OFFLINE is True  # put back for everything else


def cli(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    # A dead proxy: were anything to go online, it would fail at once instead of reaching the Hub.
    env = base | {"PYTHONPATH": SRC, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"} | env
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("model, offline, message", [
    ("smollm2-135", "0", "error: model 'smollm2-135': not a folder, the embedded model, a preset or a Hugging "
                         "Face id (owner/name); did you mean 'smollm2-135m'?"),
    ("someone/some-model", "1", "error: model 'someone/some-model': not in the local Hugging Face cache and "
                                "HF_HUB_OFFLINE is set; unset HF_HUB_OFFLINE to download it, or give a local folder"),
])
def test_prepare_names_a_bad_model_in_one_line(small_run, tmp_path, model, offline, message):
    result = cli("prepare", small_run, "--as", "Ana", "--model", model, HF_HUB_OFFLINE=offline,
                 HF_HUB_CACHE=str(tmp_path / "hub"))
    assert result.returncode == 2, result.stderr
    assert " ".join(result.stderr.split()) == message
