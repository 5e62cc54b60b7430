"""kill -9 a real writer at the dangerous moment: the old or the new output is whole, stale temps go."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from simulacra.io import atomic_dir, atomic_write, remove_stale_temps

SRC = str(Path(__file__).resolve().parents[1] / "src")


def start_paused(tmp_path: Path, point: str, code: str) -> subprocess.Popen:
    """Run `code` in a child that pauses at `point`; returns once it is there (the marker file exists)."""
    env = os.environ | {"SIMULACRA_TEST_PAUSE_AT": point, "SIMULACRA_TEST_PAUSE_DIR": str(tmp_path),
                        "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], env=env, stderr=subprocess.PIPE)
    wait_for(tmp_path / f"{point}.paused", child)
    return child


def wait_for(marker: Path, child: subprocess.Popen, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while not marker.exists():
        if child.poll() is not None:
            pytest.fail(f"the child exited ({child.returncode}) before {marker.name}: {child.stderr.read().decode()}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"no {marker.name} after {limit_s} s")
        time.sleep(0.05)


def kill9(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL


def write_dataset(folder: Path, text: str) -> None:
    with atomic_dir(folder) as tmp:
        (tmp / "train.jsonl").write_text(text)
        (tmp / "config.yaml").write_text(text)


def read_dataset(folder: Path) -> list[str]:
    return [(folder / "train.jsonl").read_text(), (folder / "config.yaml").read_text()]


REPLACE = """
    from pathlib import Path
    import simulacra.io as io
    if {fallback}:
        io._exchange = lambda a, b: False  # as on a system without renameat2
    with io.atomic_dir(Path({target!r})) as tmp:
        (tmp / "train.jsonl").write_text("new")
        (tmp / "config.yaml").write_text("new")
"""


@pytest.mark.parametrize("point, fallback", [("atomic-dir-swap", False), ("atomic-dir-gap", True)])
def test_a_kill_while_a_folder_is_replaced_keeps_a_whole_output(tmp_path, point, fallback):
    target = tmp_path / "run" / "dataset"
    write_dataset(target, "old")
    kill9(start_paused(tmp_path, point, REPLACE.format(target=str(target), fallback=fallback)))
    leftovers = sorted(p.name for p in target.parent.iterdir() if p.name != "dataset")
    assert leftovers and all(name.startswith(".dataset.") for name in leftovers)
    if fallback:  # killed between the two renames: only the renamed-aside old folder is there
        assert not target.exists() and any(name.endswith(".old") for name in leftovers)
    else:
        assert read_dataset(target) == ["old", "old"]

    write_dataset(target, "next")  # the next run of the stage puts the old output back, then replaces it
    assert read_dataset(target) == ["next", "next"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["dataset"]


def test_a_reader_after_a_kill_in_the_gap_gets_the_old_output_back(tmp_path):
    target = tmp_path / "dataset"
    write_dataset(target, "old")
    kill9(start_paused(tmp_path, "atomic-dir-gap", REPLACE.format(target=str(target), fallback=True)))
    removed = remove_stale_temps(target)
    assert read_dataset(target) == ["old", "old"]
    assert [p.name.endswith(".tmp") for p in removed] == [True]  # the killed writer's half-new folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atomic-dir-gap.paused", "dataset"]


def test_a_kill_while_a_file_is_written_keeps_the_old_file_and_the_next_run_removes_the_temp(tmp_path):
    path = tmp_path / "conversations.jsonl"
    path.write_text("old\n")
    code = f"""
        from pathlib import Path
        from simulacra.io import atomic_write, pause_for_test
        with atomic_write(Path({str(path)!r})) as f:
            f.write("secret chat text\\n" * 1000)
            f.flush()
            pause_for_test("file-write")
    """
    kill9(start_paused(tmp_path, "file-write", code))
    [temp] = [p for p in tmp_path.iterdir() if p.name.startswith(".conversations.jsonl.")]
    assert temp.name.endswith(".tmp") and temp.stat().st_size > 0 and path.read_text() == "old\n"

    with atomic_write(path) as f:
        f.write("new\n")
    assert path.read_text() == "new\n" and not temp.exists()


def test_only_temps_of_dead_writers_and_old_unnamed_ones_are_removed(tmp_path):
    target = tmp_path / "dataset"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    names = {
        f".dataset.{dead_pid}.abcd1234.tmp": True,    # a killed writer's folder
        f".dataset.{os.getpid()}.abcd1234.tmp": False,  # a live writer's (this process)
        ".dataset.abcd1234": True,                    # before PIDs in names, untouched for a day
        ".dataset.efgh5678": False,                   # before PIDs, but still being written
        ".datasets.abcd1234": False,                  # another target's
        ".dataset": False, "dataset.abcd1234": False,  # not a name io.py makes
    }
    for name in names:
        (tmp_path / name).mkdir()
    day_ago = time.time() - 86400
    os.utime(tmp_path / ".dataset.abcd1234", (day_ago, day_ago))
    removed = remove_stale_temps(target)
    assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, gone in names.items() if not gone)
