"""The benchmark runs end to end at a small N (a smoke test: no timing is asserted)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


def test_generated_content_is_valid_and_seeded(tmp_path):
    generate(60, tmp_path / "a")
    generate(60, tmp_path / "b")
    files = sorted((tmp_path / "a/content").rglob("*.md"))
    assert len(files) == 63  # 60 tasks, 3 places
    assert all(f.read_bytes() == (tmp_path / "b" / f.relative_to(tmp_path / "a")).read_bytes() for f in files)
    bodies = [f.read_text(encoding="utf-8").split("---\n", 2) for f in (tmp_path / "a/content/tasks").glob("*.md")]
    words = [len(body.split()) for _, _, body in bodies]
    assert min(words) >= 150 and max(words) <= 330  # 150–300 words, plus a few list words
    fronts = [yaml.safe_load(front) for _, front, _ in bodies]
    assert any("repeat" in f for f in fronts) and any(f.get("status") == "cancelled" for f in fronts)
    done = subprocess.run([sys.executable, "-m", "sitegen", "check", "--root", str(tmp_path / "a")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_runner_prints_its_table(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks/run.py"), "--sizes", "40", "--rounds", "1",
         "--work", str(tmp_path)] + ([] if shutil.which("hugo") else ["--no-hugo"]),
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    for row in ("sitegen cold build", "sitegen build after editing one past task",
                "sitegen build after editing one upcoming task", "sitegen serve: edit saved → page served"):
        assert f"| 40 | {row} |" in table
    if shutil.which("git"):
        assert "| 40 | the same, an hour after the last build (content in git) |" in table
        assert (tmp_path / "site-40/.git").is_dir()
    if shutil.which("hugo"):
        assert "| 40 | Hugo |" in table and "Pagefind CLI over Hugo's site" in table
        assert (tmp_path / "hugo-40/public/tasks").is_dir()
        assert (tmp_path / "hugo-40/public/pagefind").is_dir()


class _Terminal:
    """A stderr stand-in that says it is a terminal and records what is drawn."""

    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_bar_only_on_a_terminal_and_only_when_slow(monkeypatch):
    import time

    from sitegen.dev import progress

    monkeypatch.setattr(progress, "SHOW_AFTER", 0.05)
    for tty, quiet, drawn in ((True, False, True), (False, False, False), (True, True, False)):
        stream = _Terminal(tty)
        with progress.ProgressBar(stream, enabled=not quiet) as bar:
            bar("render")
            time.sleep(0.3)
        assert ("taakpagina's, feeds en affiches maken" in stream.text) is drawn  # Dutch by default
        if drawn:
            assert stream.text.endswith("\r\033[K")  # the line is left clean for the summary
    english = _Terminal(True)
    with progress.ProgressBar(english, language="en") as bar:
        bar("render")
        time.sleep(0.3)
    assert "rendering task pages, feeds and posters" in english.text
    quick = _Terminal(True)
    with progress.ProgressBar(quick) as bar:
        bar("load")
    assert quick.text == ""


def test_floor_times_each_library_call(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "benchmarks/floor.py"), "--count", "40",
                           "--work", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for library in ("PyYAML", "Python-Markdown", "nh3", "icalendar", "segno: encode", "the QR code's SVG path", "**sum**"):
        assert f"| {library}" in done.stdout, done.stdout
    assert "over" in done.stdout.lower() and "at least" in done.stdout
