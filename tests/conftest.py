"""Shared fixtures: small sites built in temporary folders at a fixed build date."""

from __future__ import annotations

import functools
import os
import shutil
import textwrap
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "content"
ZONE = ZoneInfo("Europe/Brussels")
# The fixed build moment of every test site: 2026-11-26 12:00 in Brussels.
BUILD_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=ZONE)
BUILD_EPOCH = str(int(BUILD_NOW.timestamp()))
# The browser's "now" in every test: four hours after the build, whatever day the suite runs.
BROWSER_NOW = BUILD_NOW + timedelta(hours=4)

SITE_YML = """\
title: Doe-plekken Testdorp
tagline: Kleine taken, samen gedaan
base_url: https://doeplekken.example.be
language: nl
timezone: Europe/Brussels
currency: Doe-munten
signup: "https://forms.example.be/inschrijven?taak={title}&datum={date}&uur={time}&plek={place}&link={url}"
suggest: https://forms.example.be/voorstel
contact: "050 12 34 56 · info@example.be"
categories:
  plooien: plooien en inpakken
  tuinwerk: tuinwerk
  koken: koken
access:
  zittend: kan zittend
  rolstoel: rolstoeltoegankelijk
  kinderen: ook voor kinderen
"""

PLACE_MD = """\
---
name: "'t Hof"
address: Torhoutsestraat 54, 8210 Zedelgem
geo: [51.1423, 3.1367]
hours: maandag tot vrijdag, 9–17 uur
contact: 050 12 34 56
access: [rolstoel]
---
Ontmoetingscentrum in het centrum.
"""


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/goldens/ from the current output")


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@pytest.fixture(autouse=True)
def _fixed_build_date(monkeypatch):
    """Every build in a test sees the same "today", like a reproducible build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


class SiteFolder:
    """A site on disk for one test: write files, build, read the output."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "public"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def task(self, slug: str, front: str, body: str = "Samen aan de slag.\n") -> Path:
        """Write content/tasks/<slug>.md from front matter lines (dedented)."""
        return self.write(f"content/tasks/{slug}.md",
                          "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + body)

    def place(self, slug: str, front: str, body: str = "Een doe-plek.\n") -> Path:
        return self.write(f"content/places/{slug}.md",
                          "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n" + body)

    def options(self, **overrides) -> BuildOptions:
        return BuildOptions(root=self.root, now=overrides.pop("now", BUILD_NOW), **overrides)

    def build(self, **overrides):
        return build(self.options(**overrides))

    def read(self, relative: str) -> str:
        return (self.out / relative).read_text(encoding="utf-8")

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.out).as_posix(): p.read_bytes()
                for p in sorted(self.out.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path) -> SiteFolder:
    """A minimal valid site: site.yml and one place ('t-hof'), no tasks yet."""
    folder = SiteFolder(tmp_path / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    (folder.root / "content/tasks").mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def demo_site(tmp_path) -> SiteFolder:
    """A copy of the repository's demo content."""
    folder = SiteFolder(tmp_path / "demo")
    shutil.copytree(DEMO, folder.root / "content")
    return folder


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


# Debian's Chromium; elsewhere (macOS, Windows, a snap) set CHROMIUM to a Chromium or Chrome binary.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files without a log line per request (and WebAssembly with its type, for Pagefind)."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


@contextmanager
def serve_folder(folder: Path, handler=QuietHandler):
    """Serve a built folder on 127.0.0.1 (a free port) in a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def writer_after(fifo: Path, seconds: float = 5):
    """Opens `fifo` for writing after `seconds`, so code that waits on the pipe fails a test
    (by taking too long) instead of hanging the suite."""
    done = threading.Event()

    def unblock():
        if done.wait(seconds):
            return
        deadline = time.monotonic() + 10
        while not done.wait(0.05) and time.monotonic() < deadline:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # no reader waiting (yet)
                pass

    threading.Thread(target=unblock, daemon=True).start()
    try:
        yield
    finally:
        done.set()


def require(condition: bool, reason: str) -> None:
    """Skip on a laptop without the tool; fail in CI, where it must be there."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this test must run, install it in .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (skips without it, fails in CI)."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium, or set CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (the README's second command installs it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield PinnedClock(chromium)
        chromium.close()


class PinnedClock:
    """The browser, each of whose pages starts at BROWSER_NOW, from where time goes on as usual
    (a test may pin another moment).

    The board's script hides the cards of tasks that ended before the browser's clock: with the
    real clock, what a page shows would depend on the day the suite runs. Time must go on:
    the web editor's search waits with a debounce that measures Date.now().
    """

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.clock.install(time=BROWSER_NOW)
        return context

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.clock.install(time=BROWSER_NOW)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)
