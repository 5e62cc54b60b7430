"""Long work is never silent: piped output gets plain progress lines."""

from __future__ import annotations

from simulacra import ui


def test_piped_progress_prints_a_line_per_quarter(capsys, monkeypatch):
    from rich.console import Console

    monkeypatch.setattr(ui, "console", Console(force_terminal=False, width=200))
    with ui.progress() as bar:
        task = bar.add_task("Generating tuned next turns", total=8, info="")
        for _ in range(8):
            bar.advance(task, 1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "… Generating tuned next turns: 0/8"
    assert [line.split(": ")[1].split(" ")[0] for line in lines[1:]] == ["2/8", "4/8", "6/8", "8/8"]


def test_piped_status_says_when_a_step_starts_and_ends(capsys, monkeypatch):
    from rich.console import Console

    monkeypatch.setattr(ui, "console", Console(force_terminal=False, width=200))
    with ui.status("Scoring 19 held-out examples"):
        pass
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "… Scoring 19 held-out examples" and lines[1].startswith("✓ Scoring 19 held-out examples (")
