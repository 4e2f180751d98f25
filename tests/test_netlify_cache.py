"""Warm Netlify deploys: netlify/plugins/sitegen-cache keeps .sitegen-cache/ and public/ between builds.

Each build here is what a Netlify build does: a fresh clone in the same folder, the plugin's
onPreBuild (run by node with Netlify's own @netlify/cache-utils), `sitegen build`, then the
plugin's onEnd; only the cache folder outside the clone survives from one build to the next.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import DEMO, REPO, require

NODE_DIR = REPO / "tests" / "node"
PLUGIN_DIR = REPO / "netlify" / "plugins" / "sitegen-cache"
# The demo site's summary line, in its language (Dutch).
SUMMARY = re.compile(r"^\d+ taken, .* gebouwd in .* \((\d+) bestanden geschreven, (\d+) verwijderd, in public\)$",
                     re.MULTILINE)
RESTORED = "sitegen-cache: restored .sitegen-cache and public from the last build"
NOTHING = "sitegen-cache: nothing kept from an earlier build; this build makes every file"
KEPT = "sitegen-cache: kept .sitegen-cache and public for the next build"


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.be",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.be"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


class Netlify:
    """A site's repository, its build folder and Netlify's cache folder, in a temporary folder."""

    def __init__(self, base: Path):
        require(shutil.which("git") is not None, "git is not installed")
        require(shutil.which("node") is not None, "node is not installed")
        require((NODE_DIR / "node_modules" / "@netlify" / "cache-utils").is_dir(),
                "@netlify/cache-utils is not installed (npm ci --prefix tests/node)")
        self.repo, self.build_dir, self.cache = base / "repo", base / "build", base / "cache"
        self.deployed: dict[str, bytes] = {}
        shutil.copytree(DEMO, self.repo / "content")
        shutil.copy(REPO / "netlify.toml", self.repo)
        shutil.copytree(PLUGIN_DIR, self.repo / "netlify" / "plugins" / "sitegen-cache")
        git(self.repo, "init", "-q")
        self.commit("the demo site")

    def commit(self, message: str) -> None:
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-qm", message)

    def edit(self, relative: str, line: str) -> None:
        path = self.repo / relative
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
        self.commit(f"{relative} edited")

    def event(self, name: str, local: bool) -> str:
        done = subprocess.run(["node", str(NODE_DIR / "netlify_plugin.mjs"), str(PLUGIN_DIR / "index.js"),
                               name, str(self.cache), "true" if local else "false"],
                              cwd=self.build_dir, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def build(self, *, fresh: bool = True, local: bool = False, sitegen: Path | None = None) -> str:
        """One Netlify build; `sitegen`: a folder holding another version of the package."""
        if fresh:
            shutil.rmtree(self.build_dir, ignore_errors=True)
            git(self.repo.parent, "clone", "-q", str(self.repo), str(self.build_dir))
        log = self.event("onPreBuild", local)
        env = {**os.environ, "PYTHONPATH": str(sitegen)} if sitegen else None
        done = subprocess.run([sys.executable, "-m", "sitegen", "build"], cwd=self.build_dir,
                              capture_output=True, text=True, env=env)
        log += done.stdout + done.stderr
        self.deployed = self.files()  # what Netlify deploys, before onEnd
        log += self.event("onEnd", local)
        return log

    def files(self, out: Path | None = None) -> dict[str, bytes]:
        out = out or self.build_dir / "public"
        if not out.is_dir():
            return {}
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    def cold(self, base: Path) -> dict[str, bytes]:
        """What the site must be: the repository's last commit built alone, without any cache."""
        git(self.repo.parent, "clone", "-q", str(self.repo), str(base))
        subprocess.run([sys.executable, "-m", "sitegen", "build", "--quiet", "--root", str(base)], check=True)
        return self.files(base / "public")


def written(log: str) -> int:
    found = SUMMARY.findall(log)
    assert len(found) == 1, log
    return int(found[0][0])


def tamper(path: Path) -> None:
    """Change one byte of a file, keeping its size and mtime: only a trusted manifest keeps it."""
    stat = path.stat()
    data = bytearray(path.read_bytes())
    at = data.index(b"<title>") + len(b"<title>")
    data[at] ^= 0x20  # the case of the title's first letter
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def other_generator(base: Path) -> Path:
    """A copy of sitegen whose code differs by one comment, as after any commit to it."""
    shutil.copytree(REPO / "sitegen", base / "sitegen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "theme", base / "theme")  # the default theme beside it, as in a clone
    words = base / "sitegen" / "render" / "words.py"
    words.write_text(words.read_text(encoding="utf-8") + "# another version\n", encoding="utf-8")
    return base


@pytest.fixture
def netlify(tmp_path) -> Netlify:
    return Netlify(tmp_path / "site")


def test_the_second_build_restores_the_cache_and_writes_only_what_changed(netlify, tmp_path):
    first = netlify.build()
    assert first.startswith(NOTHING + "\n") and first.endswith(KEPT + "\n")
    before = netlify.deployed
    assert written(first) == len(before) > 100
    assert not (netlify.build_dir / "public").exists()  # moved into the cache, mtimes and all
    netlify.edit("content/tasks/brieven-plooien-gezinsbond.md", "Neem gerust een vriend mee.")
    second = netlify.build()
    assert second.startswith(RESTORED + "\n") and second.endswith(KEPT + "\n")
    after = netlify.deployed
    assert after == netlify.cold(tmp_path / "cold")
    changed = {path for path in after if before.get(path) != after[path]}
    assert "tasks/brieven-plooien-gezinsbond/index.html" in changed
    assert written(second) == len(changed) < len(after) / 10


def test_a_restored_cache_is_trusted_only_by_the_same_generator(netlify, tmp_path):
    netlify.build()
    kept = netlify.cache / "cwd" / "public" / "index.html"
    tamper(kept)
    tampered = kept.read_bytes()
    # The same generator trusts the restored public/ by size and mtime: the tampered file stays.
    same = netlify.build()
    assert written(same) == 0 and netlify.deployed["index.html"] == tampered
    # Another one discards the restored cache and compares every file: the site is what it must be.
    other = netlify.build(sitegen=other_generator(tmp_path / "other"))
    assert other.startswith(RESTORED + "\n")
    assert written(other) == 1
    assert netlify.deployed == netlify.cold(tmp_path / "cold")


def test_a_failed_build_keeps_the_cache_for_the_next_one(netlify):
    netlify.build()
    (netlify.repo / "content/tasks/kapot.md").write_text("---\ntitle: Kapot\n---\n", encoding="utf-8")
    netlify.commit("a task without place, category or start")
    failed = netlify.build()
    assert "\nbouwen mislukt: 3 problemen gevonden; er is niets geschreven\n" in failed
    assert failed.startswith(RESTORED + "\n") and failed.endswith(KEPT + "\n")
    git(netlify.repo, "revert", "--no-edit", "HEAD")
    again = netlify.build()
    assert again.startswith(RESTORED + "\n") and written(again) == 0


def test_a_local_netlify_build_leaves_the_site_in_public(netlify):
    # netlify build (or deploy --build) on a laptop: the site must stay in public/ to deploy it.
    first = netlify.build(local=True)
    assert written(first) == len(netlify.deployed) and netlify.files() == netlify.deployed
    assert (netlify.cache / "cwd" / "public" / "index.html").is_file()
    # The next local build in the same folder puts the original back over that copy.
    second = netlify.build(fresh=False, local=True)
    assert second.startswith(RESTORED + "\n") and written(second) == 0
    assert netlify.files() == netlify.deployed


def test_netlify_toml_runs_the_plugin_and_installs_from_the_lock():
    config = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert config["plugins"] == [{"package": "./netlify/plugins/sitegen-cache"}]
    manifest = yaml.safe_load((PLUGIN_DIR / "manifest.yml").read_text(encoding="utf-8"))
    assert manifest == {"name": "sitegen-cache"} and (PLUGIN_DIR / "index.js").is_file()
    assert config["build"]["publish"] == "public"
    command = config["build"]["command"]
    assert ("python -m pip install --require-hashes -r requirements.txt && "
            "python -m pip install --no-deps . && sitegen build") in command
