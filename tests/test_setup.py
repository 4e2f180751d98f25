"""The README's two set-up commands: CI runs the second one exactly, and they use the locks."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import REPO, require


def readme_commands() -> list[str]:
    """The indented lines the README starts with, right under its title."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Doe-plek board" and lines[1] == ""
    commands = []
    for line in lines[2:]:
        if not line.startswith("    "):
            break
        commands.append(line.removeprefix("    "))
    return commands


def test_the_readme_starts_with_the_two_commands():
    build, test = readme_commands()
    venv = "python3 -m venv .venv && . .venv/bin/activate && "
    assert build == venv + ("pip install --require-hashes -r requirements.txt && pip install --no-deps -e . "
                            "&& sitegen build")
    assert test == venv + ("pip install --require-hashes -r requirements-test.txt && pip install --no-deps -e . "
                           "&& npm ci --no-audit --no-fund --prefix tests/node && python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim_and_last():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").rstrip("\n").splitlines()
    assert ci[-1] == readme_commands()[1]
    assert "playwright install" not in "\n".join(ci)  # Debian's Chromium, never a downloaded browser


def test_the_commands_name_files_that_exist():
    for name in ("requirements.txt", "requirements-test.txt", "tests/node/package-lock.json"):
        assert (REPO / name).is_file(), name


def test_dependabot_updates_the_locks_every_npm_manifest_and_the_actions():
    require(shutil.which("git") is not None, "git is not installed")
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    updates = {(update["package-ecosystem"], update["directory"]) for update in config["updates"]}
    tracked = subprocess.run(["git", "ls-files", "*package.json"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.split()
    manifests = {("npm", "/" + str(Path(name).parent).removeprefix(".")) for name in tracked}
    assert updates == {("pip", "/"), ("github-actions", "/")} | manifests
