"""`sitegen serve` as a user runs it: a real process, real HTTP, real file edits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

WAIT = 20  # seconds before giving up on a rebuild (generous for a busy CI machine)
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via an http_proxy


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with _DIRECT.open(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _until(check, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
def server(site):
    site.task("soep", """
        title: Soep koken
        place: t-hof
        start: "2026-12-05 09:30"
        category: koken
    """)
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--root", str(site.root), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    base = f"http://127.0.0.1:{port}"

    def ready():
        try:
            return _get(base + "/tasks/soep/")[0] == 200
        except OSError:
            assert process.poll() is None, process.communicate()
            return False

    _until(ready, "the server to start")
    yield site, base, process
    if process.poll() is None:
        process.kill()
        process.communicate()


def test_edit_rebuilds_and_injects_reload_only_when_served(server):
    site, base, process = server
    status, page = _get(base + "/tasks/soep/")
    assert status == 200 and "Soep koken" in page
    assert '<script src="/__sitegen/reload.js" defer></script>' in page
    assert "__sitegen" not in site.read("tasks/soep/index.html")  # built files stay clean
    status, script = _get(base + "/__sitegen/reload.js")
    assert status == 200 and "EventSource" in script

    site.task("soep", """
        title: Pompoensoep koken
        place: t-hof
        start: "2026-12-05 09:30"
        category: koken
    """)
    _until(lambda: "Pompoensoep koken" in _get(base + "/tasks/soep/")[1], "the edited page")
    assert "Pompoensoep koken" in site.read("tasks/soep/index.html")
    # Editor droppings do not break anything.
    site.write("content/tasks/.#soep.md", "not content")
    site.write("content/tasks/soep.md~", "not content")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert (site.root / ".sitegen-cache/pages.pickle").exists()  # saved when stopping


def test_sigterm_stops_cleanly_too(server):
    _site, _base, process = server
    process.terminate()
    _out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0 and "Traceback" not in err


def test_broken_file_shows_problems_then_recovers(server):
    site, base, process = server
    site.write("content/tasks/kapot.md", "---\ntitle: Kapot\nplace: nergens\nstart: 2026-12-06\n"
                                         "category: koken\n---\nTekst\n")
    expected = ("content/tasks/kapot.md:3: place 'nergens' does not exist; known places: t-hof")

    def banner():
        status, page = _get(base + "/tasks/soep/")
        return status == 200 and expected in page and page
    page = _until(banner, "the problems banner")
    assert "Soep koken" in page  # the last good site is still served
    assert expected in _get(base + "/")[1]
    assert not (site.out / "tasks/kapot").exists()

    (site.root / "content/tasks/kapot.md").unlink()
    _until(lambda: "sitegen-problems" not in _get(base + "/tasks/soep/")[1], "recovery")
    assert process.poll() is None
    assert "content/tasks/kapot.md:3: place 'nergens'" in _stop(process)


def test_port_in_use_is_a_clear_message(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--root", str(site.root),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}: the port is in use" in done.stderr
    assert "Traceback" not in done.stderr


def _stop(process) -> str:
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0
    return err


def test_an_edit_reloads_open_tabs_once(server):
    # The edit's build reuses the old search index and a quiet build refreshes it right after:
    # only the first changes the page, so open tabs must reload once, not twice.
    import json
    site, base, _process = server
    status = lambda: json.loads(_get(base + "/__sitegen/status")[1])  # noqa: E731
    _until(lambda: not status()["building"], "the first build")
    before = status()["generation"]
    page = site.root / "content/tasks/soep.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Soep koken", "Pompoensoep koken"),
                    encoding="utf-8")
    _until(lambda: "Pompoensoep" in _get(base + "/tasks/soep/")[1], "the edited page")
    _until(lambda: not status()["building"], "the search refresh")
    time.sleep(0.5)
    assert status()["generation"] == before + 1


def test_a_theme_folder_made_while_serving_is_watched(server):
    site, base, process = server
    assert not (site.root / "theme").exists()
    (site.root / "theme/templates").mkdir(parents=True)
    time.sleep(0.3)
    site.write("theme/templates/task.html",
               '{% extends "default/task.html" %}{% block title %}Eigen thema{% endblock %}')
    _until(lambda: "<title>Eigen thema</title>" in _get(base + "/tasks/soep/")[1], "the site's own template")
    assert process.poll() is None
