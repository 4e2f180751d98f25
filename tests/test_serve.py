"""`sitegen serve` as a user runs it: a real process, real HTTP, real file edits."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from http.server import ThreadingHTTPServer

import pytest

from conftest import SITE_YML

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
    assert re.search(r'<script src="/__sitegen/reload.js" data-generation="\d+" defer></script>', page)
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
    # Shown from memory first; the full build right after writes the same page.
    _until(lambda: "Pompoensoep koken" in site.read("tasks/soep/index.html"), "the full build")
    # Editor droppings do not break anything.
    site.write("content/tasks/.#soep.md", "not content")
    site.write("content/tasks/soep.md~", "not content")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert list((site.root / ".sitegen-cache").glob("values*.pickle"))  # saved by every build


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # let the test see the 301 itself


def test_short_links_redirect_as_on_netlify(server):
    from sitegen.shortlinks import short_code
    site, base, _process = server
    code = short_code("/tasks/soep/")
    assert f"/t/{code} /tasks/soep/ 301\n" in site.read("_redirects")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{base}/t/{code}", timeout=5)
    assert answer.value.code == 301 and answer.value.headers["Location"] == "/tasks/soep/"
    status, page = _get(f"{base}/t/{code}")  # followed: the task's page
    assert status == 200 and "Soep koken" in page
    place = short_code("/places/t-hof/")
    assert _get(f"{base}/t/{place}")[0] == 200
    assert _get(f"{base}/t/zzzzzz")[0] == 404  # no rule: the 404 page


def test_sigterm_stops_cleanly_too(server):
    _site, _base, process = server
    process.terminate()
    _out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0 and "Traceback" not in err


def test_broken_file_shows_problems_then_recovers(server):
    site, base, process = server
    site.write("content/tasks/kapot.md", "---\ntitle: Kapot\nplace: nergens\nstart: 2026-12-06\n"
                                         "category: koken\n---\nTekst\n")
    # The banner speaks the site's language (Dutch), `path:line:` first.
    expected = ("content/tasks/kapot.md:3: plek 'nergens' bestaat niet; gekende plekken: t-hof")

    def banner():
        status, page = _get(base + "/tasks/soep/")
        return status == 200 and expected in page and page
    page = _until(banner, "the problems banner")
    assert ('<div class="sitegen-problems" role="alert"><h2>bouwen mislukt: 1 probleem gevonden; er is niets '
            'geschreven — de laatste goede versie wordt getoond</h2><pre>' + expected + "</pre></div>") in page
    assert "Soep koken" in page  # the last good site is still served
    assert expected in _get(base + "/")[1]
    assert not (site.out / "tasks/kapot").exists()

    (site.root / "content/tasks/kapot.md").unlink()
    _until(lambda: "sitegen-problems" not in _get(base + "/tasks/soep/")[1], "recovery")
    assert process.poll() is None
    assert "content/tasks/kapot.md:3: plek 'nergens'" in _stop(process)


def test_a_body_that_takes_too_long_is_stopped_while_serving_too(server):
    # Rebuilds run in serve's main thread, where the time limit for Markdown can act.
    site, base, process = server
    site.write("content/tasks/traag.md", "---\ntitle: Traag\nplace: t-hof\nstart: 2026-12-06\n"
                                         "category: koken\n---\n" + "[" * 30_000)
    expected = "content/tasks/traag.md:7: deze tekst opmaken duurde langer dan 2 s"
    _until(lambda: expected in _get(base + "/tasks/soep/")[1], "the problems banner")
    (site.root / "content/tasks/traag.md").unlink()
    _until(lambda: "sitegen-problems" not in _get(base + "/tasks/soep/")[1], "recovery")
    assert expected in _stop(process)


def test_serve_follows_the_language_site_yml_has_now(server):
    # Without --lang, what serve says (its log, the banner) is in site.yml's language as it is now.
    site, base, process = server
    site.write("content/site.yml", SITE_YML.replace("language: nl", "language: en"))
    site.write("content/tasks/kapot.md", "---\ntitle: Kapot\nplace: nergens\nstart: 2026-12-06\n"
                                         "category: koken\n---\nTekst\n")
    expected = "content/tasks/kapot.md:3: place 'nergens' does not exist; known places: t-hof"
    page = _until(lambda: (page := _get(base + "/tasks/soep/")[1]) and expected in page and page,
                  "the problems banner in English")
    assert "build failed: 1 problem found" in page
    log = _stop(process)
    assert expected in log and "build failed: 1 problem found" in log
    assert "plek 'nergens'" not in log


def test_port_in_use_is_a_clear_message(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sitegen", "serve", "--root", str(site.root),
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == (f"kan niet tonen op 127.0.0.1:{port}: de poort is in gebruik (nog een 'sitegen serve'?); "
                           f"stop die of kies een andere poort met --port {port + 1}\n")
    assert "Traceback" not in done.stderr


def _stop(process) -> str:
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0
    return err


def test_an_edit_reloads_open_tabs_once(server):
    # The edited page is shown first (one message naming it), then the full build writes the
    # same bytes (not named again), and the quiet search refresh after it changes no page.
    site, base, _process = server
    status = lambda: json.loads(_get(base + "/__sitegen/status")[1])  # noqa: E731
    _until(lambda: not status()["building"], "the first build")
    messages = _listen(base, status()["generation"])
    page = site.root / "content/tasks/soep.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Soep koken", "Pompoensoep koken"),
                    encoding="utf-8")
    _until(lambda: "Pompoensoep" in _get(base + "/tasks/soep/")[1], "the edited page")
    _until(lambda: not status()["building"], "the search refresh")
    time.sleep(0.5)
    assert messages[0]["paths"] == ["/tasks/soep/"]  # the preview
    assert [m for m in messages if "/tasks/soep/" in (m["paths"] or ["/tasks/soep/"])] == messages[:1]
    assert "/" in messages[-1]["paths"]  # the board's card shows the new title



def test_only_the_tab_showing_the_edited_page_reloads(server, browser):
    # A body edit changes the task's page (and its poster), not the board: checked above in
    # test_an_edited_task_is_served_before_the_full_build.
    from conftest import BUILD_NOW
    site, base, _process = server
    status = lambda: json.loads(_get(base + "/__sitegen/status")[1])  # noqa: E731
    _until(lambda: not status()["building"], "the first build")
    context = browser.new_context(timezone_id="Europe/Brussels")
    loads, errors, tabs = {"/": 0, "/tasks/soep/": 0}, [], {}
    for path in loads:
        tab = tabs[path] = context.new_page()
        tab.clock.set_fixed_time(BUILD_NOW)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("load", lambda _tab, path=path: loads.__setitem__(path, loads[path] + 1))
        tab.goto(base + path)
    try:
        page = site.root / "content/tasks/soep.md"
        page.write_text(page.read_text(encoding="utf-8").replace("Samen aan de slag.", "Met veel gember."),
                        encoding="utf-8")
        tabs["/tasks/soep/"].wait_for_function("document.body.textContent.includes('veel gember')",
                                               timeout=WAIT * 1000)
        tabs["/tasks/soep/"].wait_for_load_state("load")
        _until(lambda: not status()["building"], "the full build")
        # Time for a second, unwanted reload. Playwright's sync API hands over events (the
        # `load` counts) only inside its own calls, so wait in one, not in time.sleep.
        tabs["/"].wait_for_timeout(1000)
        assert loads == {"/": 1, "/tasks/soep/": 2}
        assert tabs["/"].evaluate("document.body.textContent.includes('Soep koken')")
        assert errors == []
    finally:
        context.close()


def _listen(base: str, since: int) -> list[dict]:
    """Collect the reload messages sent after generation `since` (filled in as they come)."""
    messages: list[dict] = []
    stream = _DIRECT.open(f"{base}/__sitegen/events?since={since}", timeout=WAIT)

    def read():
        try:
            for line in stream:
                if line.startswith(b"data: "):
                    messages.append(json.loads(line[len(b"data: "):]))
        except OSError:
            return
    threading.Thread(target=read, daemon=True).start()
    return messages


def test_a_theme_folder_made_while_serving_is_watched(server):
    site, base, process = server
    assert not (site.root / "theme").exists()
    (site.root / "theme/templates").mkdir(parents=True)
    time.sleep(0.3)
    site.write("theme/templates/task.html",
               '{% extends "default/task.html" %}{% block title %}Eigen thema{% endblock %}')
    _until(lambda: "<title>Eigen thema</title>" in _get(base + "/tasks/soep/")[1], "the site's own template")
    assert process.poll() is None



SOEP = """
    title: Soep koken
    place: t-hof
    start: "2026-12-05 09:30"
    category: koken
"""


@pytest.fixture
def in_process(site, monkeypatch):
    """serve's parts in this process, without the watcher; each full build waits for `gate`."""
    from sitegen.dev import serve as serving
    site.task("soep", SOEP)
    gate, waiting = threading.Event(), threading.Event()
    gate.set()
    real_build = serving.build

    def gated_build(*args, **kwargs):
        waiting.set()
        assert gate.wait(WAIT), "the test never let the build run"
        return real_build(*args, **kwargs)
    monkeypatch.setattr(serving, "build", gated_build)
    state = serving.ServeState(site.out, log=lambda *args, **kwargs: None)
    rebuild = serving._Rebuilder(site.options(), state)
    rebuild([])
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(serving._Handler, state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def saved(*paths) -> threading.Thread:
        """Start the rebuild the watcher would start for `paths`; return once its full build waits."""
        gate.clear()
        waiting.clear()
        worker = threading.Thread(target=rebuild, args=(sorted(map(str, paths)),), daemon=True)
        worker.start()
        assert waiting.wait(WAIT)
        return worker

    def finish(worker: threading.Thread) -> None:
        gate.set()
        worker.join(WAIT)
        assert not worker.is_alive()

    yield site, f"http://127.0.0.1:{server.server_address[1]}", state, saved, finish
    gate.set()
    server.shutdown()
    server.server_close()


def test_an_edited_task_is_served_before_the_full_build(in_process):
    site, base, state, saved, finish = in_process
    before = state.generation
    worker = saved(site.task("soep", SOEP, "Met pompoen en **veel** gember.\n"))
    # The full build has not even started: the page comes from the preview.
    status, page = _get(base + "/tasks/soep/")
    assert status == 200 and "<strong>veel</strong> gember" in page
    assert f'data-generation="{before + 1}"' in page
    assert "gember" not in site.read("tasks/soep/index.html")
    assert state.changes[before + 1] == ("/tasks/soep/",)
    finish(worker)
    assert state.overlay == {}  # public/ holds the page now
    assert "<strong>veel</strong> gember" in site.read("tasks/soep/index.html")
    assert "gember" in _get(base + "/tasks/soep/")[1]
    # The build wrote the preview's bytes (no second reload); besides the page, only the
    # task's poster shows its body: not the board, nor the place's page.
    with state.changed:
        assert state.changed_since(before + 1) == ["/tasks/soep/poster/"]
        assert state.changed_since(before) == ["/tasks/soep/", "/tasks/soep/poster/"]


def test_a_new_title_is_previewed_and_the_build_names_the_other_pages(in_process):
    site, base, state, saved, finish = in_process
    before = state.generation
    worker = saved(site.task("soep", SOEP.replace("Soep koken", "Pompoensoep koken")))
    assert "Pompoensoep koken" in _get(base + "/tasks/soep/")[1]
    assert "Pompoensoep" not in _get(base + "/")[1]  # the board waits for the full build
    finish(worker)
    assert "Pompoensoep koken" in _get(base + "/")[1]
    with state.changed:
        changed = state.changed_since(before + 1)
    assert "/" in changed and "/places/t-hof/" in changed and "/tasks/soep/" not in changed


@pytest.mark.parametrize("why", ["a problem", "a draft", "too many files", "a renamed file"])
def test_no_preview_when_in_doubt(in_process, why):
    site, base, state, saved, finish = in_process
    soep = site.root / "content/tasks/soep.md"
    if why == "a problem":
        changed = [site.task("soep", SOEP.replace("Soep koken", "Kapotte soep").replace("t-hof", "nergens"))]
    elif why == "a draft":
        changed = [site.task("soep", SOEP.replace("Soep koken", "Geheime soep") + "    draft: true\n")]
    elif why == "too many files":
        changed = [site.task(f"soep-{n}", SOEP.replace("Soep koken", f"Soep {n}")) for n in range(3)]
        changed.append(site.task("soep", SOEP.replace("Soep koken", "Andere soep")))
    else:
        changed = [soep, soep.rename(soep.with_name("andere-soep.md"))]
    worker = saved(*changed)
    assert state.overlay == {}, why
    page = _get(base + "/tasks/soep/")[1]
    assert "Soep koken" in page and "sitegen-problems" not in page
    finish(worker)
    page = _get(base + "/tasks/soep/")[1]
    if why == "a problem":
        assert "content/tasks/soep.md:3: plek 'nergens' bestaat niet" in page
        assert "Soep koken" in page and "Kapotte" not in page  # the last good page
        assert state.changes[state.generation] is None  # every tab reloads to show the banner
        # Fixed: no preview straight after a failed build; the full build recovers and reloads all.
        worker = saved(site.task("soep", SOEP.replace("Soep koken", "Goede soep")))
        assert state.overlay == {}
        finish(worker)
        assert "Goede soep" in _get(base + "/tasks/soep/")[1]
        assert state.changes[state.generation] is None
    else:
        assert "sitegen-problems" not in page


def test_one_task_file_loads_as_a_build_loads_it(site):
    from sitegen.load.content import LoadOptions, load_site, load_task_file
    from sitegen.theme import Theme
    site.task("soep", SOEP, "Met *gember*.\n")
    site.task("later", SOEP.replace("2026-12-05", "2027-01-05"))
    options = LoadOptions(site.root, Theme.for_site(site.root).dirs)
    model, problems = load_site(options, site.options().now)
    assert model is not None and not problems
    soep = model.tasks[0]
    view, problems = load_task_file(options, model, str(site.root / "content/tasks/soep.md"))
    assert view == soep and not problems
    # Edited: the view the next build will have, by a path relative to the site too.
    path = site.task("soep", SOEP.replace("2026-12-05", "2027-02-05"))
    view, problems = load_task_file(options, model, "content/tasks/soep.md")
    assert view == load_site(options, site.options().now)[0].tasks[1] and not problems
    # A mistake is the build's own problem, path:line included.
    path.write_text(path.read_text(encoding="utf-8").replace("koken", "zingen"), encoding="utf-8")
    view, problems = load_task_file(options, model, str(path))
    assert view is None
    assert [str(p) for p in problems.found] == [str(p) for p in load_site(options)[1].found]
    assert str(problems.found[0]).startswith("content/tasks/soep.md:5: ")
