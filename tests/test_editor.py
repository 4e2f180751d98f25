"""The web editor at /admin/: its generated config, serve's local back end, and Decap in Chromium."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import BUILD_NOW, CHROMIUM, REPO, require, writer_after
from sitegen import messages
from sitegen.i18n import say
from sitegen.outputs.admin import DECAP_VERSION, admin_config, render_admin
from sitegen.cli import main
from sitegen.load.config import EDITOR_KEYS
from sitegen.load.content import (CLIENT_KEYS, PLACE_KEYS, REPEAT_KEYS, RESULT_KEYS, TASK_KEYS,
                             LoadOptions, load_site)
from sitegen.dev.local_editor import API_PATH, Refused, allowed_request, confined, handle
from sitegen.theme import Theme
from test_serve import _free_port, _until

WAIT = 30
VENDOR = REPO / "theme/static/vendor/decap-cms"
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

BAD_SIGNUP_NL = ("Een inschrijflink begint met https://, mailto: of tel: en gebruikt alleen {title}, {date}, "
                 "{time}, {place}, {slug} of {url}")


def _model(site):
    model, problems = load_site(LoadOptions(site.root, Theme.for_site(site.root).dirs), BUILD_NOW)
    assert not problems.found, problems.found
    return model


def _fields(collection: dict) -> dict[str, dict]:
    return {field["name"]: field for field in collection["fields"]}


# -- the generated config ------------------------------------------------------------------

def test_config_fields_are_the_loaders_keys(site):
    config = admin_config(_model(site).site)
    tasks, places = config["collections"]
    assert [f["name"] for f in tasks["fields"]] == [*TASK_KEYS, "body"]  # Decap writes in this order
    assert [f["name"] for f in places["fields"]] == [*PLACE_KEYS, "body"]
    fields = _fields(tasks)
    assert [f["name"] for f in fields["repeat"]["fields"]] == list(REPEAT_KEYS)
    assert [f["name"] for f in fields["client"]["fields"]] == list(CLIENT_KEYS)
    assert [f["name"] for f in fields["result"]["fields"]] == list(RESULT_KEYS)
    assert (tasks["folder"], places["folder"]) == ("content/tasks", "content/places")
    assert {f["name"] for f in tasks["fields"] if f["required"]} == {"title", "place", "start", "category"}
    assert {f["name"] for f in places["fields"] if f["required"]} == {"name", "address"}


def test_config_choices_come_from_site_yml(site):
    fields = _fields(admin_config(_model(site).site)["collections"][0])
    assert fields["category"]["options"] == [
        {"label": "plooien en inpakken", "value": "plooien"}, {"label": "tuinwerk", "value": "tuinwerk"},
        {"label": "koken", "value": "koken"}]
    assert fields["access"]["multiple"] is True
    assert [o["value"] for o in fields["access"]["options"]] == ["zittend", "rolstoel", "kinderen"]
    assert [o["value"] for o in fields["status"]["options"]] == ["open", "full", "cancelled"]
    assert [o["value"] for o in _fields(fields["repeat"])["freq"]["options"]] == ["daily", "weekly", "monthly"]
    assert fields["place"] | {} == fields["place"] and fields["place"]["collection"] == "places"
    assert fields["place"]["value_field"] == "{{slug}}"


def test_config_saves_local_times_and_refuses_what_check_refuses(site):
    fields = _fields(admin_config(_model(site).site)["collections"][0])
    for key in ("start", "end"):
        assert fields[key]["widget"] == "datetime"
        assert fields[key]["format"] == "YYYY-MM-DD HH:mm" and fields[key]["picker_utc"] is False
    until = _fields(fields["repeat"])["until"]
    assert (until["format"], until["time_format"]) == ("YYYY-MM-DD", False)
    assert (fields["spots"]["value_type"], fields["spots"]["min"]) == ("int", 1)
    assert (fields["taken"]["value_type"], fields["taken"]["min"]) == ("int", 0)
    assert (fields["reward"]["value_type"], fields["reward"]["min"]) == ("float", 0)
    pattern, message = fields["signup"]["pattern"]
    assert message == BAD_SIGNUP_NL
    from sitegen.load.links import check_signup
    for url in ("https://forms.example.be/?t={title}&d={date}", "mailto:a@example.be", "tel:+3250123456",
                "http://forms.example.be/", "javascript:alert(1)", "https://x.be/{naam}", "https://x.be/a b", "https://x.be/{",
                "https://x.be/?{title}{slug}", "https://x.be/?{title}&{nope}", "https://"):
        assert bool(re.search(pattern, url)) == (check_signup(url) is None), url
    pattern, message = _fields(fields["client"])["url"]["pattern"]
    from sitegen.load.links import check_link
    for url in ("https://www.gezinsbond.be", "http://x.be/a b", "mailto:a@b.be", "www.x.be", "https://"):
        assert bool(re.search(pattern, url)) == (check_link(url, ("https", "http"), relative_ok=False) is None), url


def test_config_backend_and_language(site):
    site.write("content/site.yml", site.root.joinpath("content/site.yml").read_text()
               + "editor:\n  repo: doeplekken/testdorp\n  branch: live\n")
    config = admin_config(_model(site).site)
    assert config["backend"]["name"] == "github"
    assert (config["backend"]["repo"], config["backend"]["branch"]) == ("doeplekken/testdorp", "live")
    assert config["backend"]["base_url"] == "https://api.netlify.com"  # Netlify's OAuth, not git-gateway
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "nl"
    assert "local_backend" not in config  # only serve adds it, for this computer's browser
    assert config["collections"][0]["label"] == "Taken"
    site.write("content/site.yml", site.root.joinpath("content/site.yml").read_text()
               .replace("language: nl", "language: en"))
    config = admin_config(_model(site).site)
    assert config["locale"] == "en" and config["collections"][0]["label"] == "Tasks"
    assert _fields(config["collections"][0])["title"]["label"] == "Title"


def test_the_build_writes_the_editor(site):
    site.build()
    config = yaml.safe_load(site.read("admin/config.yml"))
    assert config == admin_config(_model(site).site)
    page = site.read("admin/index.html")
    assert '<link href="/admin/config.yml" type="text/yaml" rel="cms-config-url">' in page
    assert '<script src="/static/vendor/decap-cms/decap-cms.js"></script>' in page
    assert "<script>" not in page and "http" not in page.replace('"/static', "")
    for name in ("decap-cms.js", "LICENSE", "decap-cms.js.LICENSE.txt"):
        assert (site.out / "static/vendor/decap-cms" / name).read_bytes() == (VENDOR / name).read_bytes()
    assert DECAP_VERSION in (VENDOR / "VERSION.txt").read_text()
    assert "/admin/" not in site.read("sitemap.xml")


def test_every_chunk_decap_asks_for_is_shipped():
    bundle = (VENDOR / "decap-cms.js").read_text(encoding="utf-8")
    assert f"decap-cms {DECAP_VERSION}" in bundle or DECAP_VERSION in bundle
    chunks = {p.name for p in VENDOR.glob("*.decap-cms.js")}
    assert len(chunks) > 50
    assert not list(VENDOR.glob("*.map"))


@pytest.mark.parametrize("editor, line, message", [
    ("editor: doeplekken/zedelgem\n", 18, messages.EDITOR_NOT_MAPPING),
    ("editor:\n  repo: https://github.com/doeplekken/zedelgem\n", 19,
     messages.bad_editor_repo("https://github.com/doeplekken/zedelgem")),
    ("editor:\n  branch: main\n", 18, messages.missing_key("repo", "doeplekken/zedelgem")),
    ("editor:\n  repo: a/b\n  branch: ../x\n", 20, messages.bad_editor_branch("../x")),
    ("editor:\n  repo: a/b\n  repos: c/d\n", 20, messages.unknown_key("repos", EDITOR_KEYS)),
])
def test_site_yml_editor_key_is_checked(site, capsys, editor, line, message):
    site.write("content/site.yml", site.root.joinpath("content/site.yml").read_text() + editor)
    assert main(["check", "--root", str(site.root), "--lang", "en"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"content/site.yml:{line}: {message}"


def test_site_yml_editor_messages():
    assert messages.bad_editor_repo("x") == (
        "editor repo must be a GitHub repository as owner/name (e.g. doeplekken/zedelgem), not 'x'")
    assert messages.EDITOR_NOT_MAPPING == (
        "editor must be a group of keys, e.g. 'editor:' then '  repo: doeplekken/zedelgem' "
        "(the GitHub repository the web editor saves to)")


# -- the local back end ----------------------------------------------------------------------

def test_local_api_reads_and_writes_only_task_and_place_files(site):
    site.task("soep", 'title: Soep\nplace: t-hof\nstart: "2027-01-16 09:30"\ncategory: koken')
    root = site.root
    assert handle(root, {"action": "info"}) == {"repo": "site", "publish_modes": ["simple"], "type": "local_fs"}
    entries = handle(root, {"action": "entriesByFolder",
                            "params": {"folder": "content/tasks", "extension": "md", "depth": 1}})
    assert [e["file"]["path"] for e in entries] == ["content/tasks/soep.md"]
    assert entries[0]["data"].startswith("---\ntitle: Soep\n")
    saved = []
    handle(root, {"action": "persistEntry", "params": {"entry": {
        "path": "content/tasks/nieuw.md", "raw": "---\ntitle: Nieuw\n---\n", "slug": "nieuw"},
        "assets": [], "options": {}}}, log=saved.append)
    assert (root / "content/tasks/nieuw.md").read_text() == "---\ntitle: Nieuw\n---\n"
    assert saved == ["web editor saved content/tasks/nieuw.md"]
    assert not [p for p in (root / "content/tasks").iterdir() if p.name.startswith(".")]
    handle(root, {"action": "deleteFile", "params": {"path": "content/tasks/nieuw.md"}})
    assert not (root / "content/tasks/nieuw.md").exists()
    assert handle(root, {"action": "getMedia", "params": {"mediaFolder": "content/images"}}) == []


@pytest.mark.parametrize("path", [
    "content/site.yml", "content/tasks/../site.yml", "content/tasks/../../secret.md", "/etc/passwd.md",
    "content/tasks/soep.txt", "content/tasks/.verborgen.md", "content/tasks/sub/soep.md",
    "content\\tasks\\soep.md", "theme/templates/x.md", "content/tasks//soep.md", "content/images/a.md",
    "", None, 42, ["content/tasks/soep.md"],
])
def test_local_api_refuses_every_other_path(site, path):
    with pytest.raises(Refused) as refused:
        handle(site.root, {"action": "persistEntry", "params": {
            "entry": {"path": path, "raw": "x"}, "assets": []}})
    assert str(refused.value) == messages.editor_refused_path(str(path)[:80] if not isinstance(path, str)
                                                               else path)
    with pytest.raises(Refused):
        handle(site.root, {"action": "getEntry", "params": {"path": path}})


def test_local_api_refuses_symlinks_and_names_that_are_not_slugs(site, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("geheim")
    (site.root / "content/tasks/link.md").symlink_to(outside)
    for action in ({"action": "getEntry", "params": {"path": "content/tasks/link.md"}},
                   {"action": "persistEntry", "params": {"entry": {"path": "content/tasks/link.md",
                                                                   "raw": "x"}, "assets": []}},
                   {"action": "deleteFile", "params": {"path": "content/tasks/link.md"}}):
        with pytest.raises(Refused):
            handle(site.root, action)
    assert outside.read_text() == "geheim"
    listed = handle(site.root, {"action": "entriesByFolder", "params": {"folder": "content/tasks",
                                                                        "extension": "md"}})
    assert listed == []  # a symlinked task is not shown either
    (site.root / "content/places").rename(tmp_path / "places")
    (site.root / "content/places").symlink_to(tmp_path / "places")
    with pytest.raises(Refused):
        confined(site.root, "content/places/t-hof.md")
    with pytest.raises(Refused):
        confined(site.root, "content/tasks/Soep Koken.md", write=True)
    with pytest.raises(Refused) as refused:
        handle(site.root, {"action": "persistMedia", "params": {"asset": {"path": "content/images/a.jpg"}}})
    assert str(refused.value) == messages.EDITOR_NO_MEDIA
    with pytest.raises(Refused) as refused:
        handle(site.root, {"action": "unpublishedEntries"})
    assert (str(refused.value), refused.value.status) == (messages.editor_unknown_action("unpublishedEntries"), 422)


def test_local_api_refuses_a_named_pipe_at_once(site):
    # A pipe cannot be listed (only regular files are), but its path can still be asked for.
    fifo = site.root / "content/tasks/pijp.md"
    os.mkfifo(fifo)
    started = time.monotonic()
    with writer_after(fifo), pytest.raises(Refused):
        handle(site.root, {"action": "getEntry", "params": {"path": "content/tasks/pijp.md"}})
    assert time.monotonic() - started < 5


def test_only_this_computers_browser_on_this_server_may_ask():
    assert allowed_request("127.0.0.1", "127.0.0.1:8000", None, 8000)
    assert allowed_request("::1", "localhost:8000", "http://localhost:8000", 8000, post=True)
    assert not allowed_request("127.0.0.1", "127.0.0.1:8000", None, 8000, post=True)  # POST needs Origin
    assert not allowed_request("127.0.0.1", "127.0.0.1:8000", "http://evil.example", 8000, post=True)
    assert not allowed_request("127.0.0.1", "evil.example:8000", "http://evil.example:8000", 8000, post=True)
    assert not allowed_request("127.0.0.1", "127.0.0.1:9000", None, 8000)
    assert not allowed_request("192.168.1.20", "127.0.0.1:8000", None, 8000)


@pytest.fixture
def editor_server(demo_site):
    """`sitegen serve` on the demo site, as a coordinator runs it."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", "--root", str(demo_site.root), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    base = f"http://127.0.0.1:{port}"

    def ready():
        try:
            return _post(base, {"action": "info"})[0] == 200
        except OSError:
            assert process.poll() is None, process.communicate()
            return False

    _until(ready, "the server to start")
    yield demo_site, base, process
    process.terminate()
    process.communicate(timeout=WAIT)


def _post(base: str, body, headers=None) -> tuple[int, dict]:
    origin = base.replace("/__sitegen", "")
    request = urllib.request.Request(base + API_PATH, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Origin": origin,
                                              **(headers or {})})
    try:
        with _DIRECT.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_serve_offers_its_local_back_end_to_this_computer_only(editor_server):
    site, base, _ = editor_server
    with _DIRECT.open(base + "/admin/config.yml", timeout=5) as response:
        served = yaml.safe_load(response.read())
    assert served["local_backend"] == {"url": base + API_PATH}
    assert {k: v for k, v in served.items() if k != "local_backend"} == yaml.safe_load(
        site.read("admin/config.yml"))
    assert "local_backend" not in site.read("admin/config.yml")  # the deployed file has none
    other_site = {"Origin": "http://evil.example"}
    assert _post(base, {"action": "info"}, other_site) == (403, {"error": say(messages.EDITOR_FORBIDDEN, "nl")})
    rebinding = {"Host": "evil.example:80", "Origin": "http://evil.example:80"}
    assert _post(base, {"action": "info"}, rebinding) == (403, {"error": say(messages.EDITOR_FORBIDDEN, "nl")})
    assert _post(base, {"action": "getEntry", "params": {"path": "content/../../../etc/passwd"}}) == (
        403, {"error": say(messages.editor_refused_path("content/../../../etc/passwd"), "nl")})
    status, answer = _post(base, {"action": "getEntry", "params": {"path": "content/tasks/soep-koken-oranje.md"}})
    assert status == 200 and answer["data"] == site.root.joinpath(
        "content/tasks/soep-koken-oranje.md").read_text(encoding="utf-8")


# -- Decap itself, in Chromium, against serve -------------------------------------------------

def _choose(page, field: str, text: str) -> None:
    box = page.locator(f"[id^={field}-field-]")
    box.click()
    box.fill(text)
    page.locator("[class*=option]", has_text=text).first.click()


def _publish(page) -> None:
    page.get_by_role("button", name="Publiceer").first.click()
    page.get_by_text("Publiceer nu").click()


def _changed(path: Path, before: str | None) -> str:
    def read():
        text = path.read_text(encoding="utf-8") if path.exists() else None
        return text if text != before else None
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if (text := read()) is not None:
            return text
        time.sleep(0.1)
    pytest.fail(f"{path.name} was not saved")


@pytest.fixture
def editor(browser, editor_server):
    site, base, process = editor_server
    # Far from Brussels on purpose: what is typed is saved as Brussels time, not converted.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="America/New_York")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(base + "/admin/", wait_until="networkidle")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_text("Brieven plooien voor de Gezinsbond").wait_for()
    yield site, base, page, requests
    context.close()


def test_a_task_made_in_the_form_passes_check_at_its_local_time(editor, capsys):
    site, base, page, requests = editor
    page.goto(base + "/admin/#/collections/tasks/new")
    page.locator("[id^=title-field-]").fill("Soep koken in ’t Hof")
    _choose(page, "place", "Hof")
    page.locator("[id^=start-field-]").fill("2027-01-16T09:30")
    page.locator("[id^=end-field-]").fill("2027-01-16T12:00")
    page.locator("[id^=repeat-field-] [data-testid=expand-button]").first.click()
    _choose(page, "freq", "elke week")
    page.locator("[id^=until-field-]").fill("2027-03-27")
    _choose(page, "category", "koken")
    _choose(page, "access", "kan zittend")
    _publish(page)
    saved = _changed(site.root / "content/tasks/soep-koken-in-t-hof.md", None)
    assert saved == ("---\ntitle: Soep koken in ’t Hof\nplace: t-hof\nstart: 2027-01-16 09:30\n"
                     "end: 2027-01-16 12:00\nrepeat:\n  freq: weekly\n  until: 2027-03-27\n"
                     "category: koken\naccess:\n  - zittend\n---\n")
    capsys.readouterr()
    assert main(["check", "--root", str(site.root)]) == 0, capsys.readouterr().err
    site.build()
    page_html = site.read("tasks/soep-koken-in-t-hof/index.html")
    assert 'datetime="2027-01-16T09:30:00+01:00"' in page_html
    assert "zaterdag 16 januari 2027" in page_html
    assert "elke zaterdag" in page_html
    outside = [url for url in requests if not url.startswith(base + "/")]
    assert outside == []  # Decap itself made no request to another host


def test_editing_a_hand_written_task_keeps_what_the_form_did_not_touch(editor):
    site, base, page, _ = editor
    path = site.root / "content/tasks/brieven-plooien-gezinsbond.md"
    before = path.read_text(encoding="utf-8")
    model_before = _model(site)
    page.goto(base + "/admin/#/collections/tasks/entries/brieven-plooien-gezinsbond")
    page.locator("[id^=spots-field-]").fill("12")
    _publish(page)
    after = _changed(path, before)
    # What it means is the same, but for the edited key.
    model_after = _model(site)
    old = next(v.task for v in model_before.tasks if v.task.slug == "brieven-plooien-gezinsbond")
    new = next(v.task for v in model_after.tasks if v.task.slug == "brieven-plooien-gezinsbond")
    assert new == replace(old, spots=12)
    # How it is written too: the body byte for byte, every front-matter line in its place, except
    # Decap's YAML style (quotes it does not need dropped, one-line lists written under each other).
    head_before, body_before = before.split("\n---\n", 1)
    head_after, body_after = after.split("\n---\n", 1)
    assert body_after == body_before
    restyled = {"start", "end", "access"}
    kept = [line for line in head_before.splitlines() if line.split(":")[0] not in restyled | {"spots"}]
    assert [line for line in head_after.splitlines() if line in kept] == kept
    assert "spots: 12" in head_after.splitlines()
    assert 'start: "2026-12-05 09:30"' in head_before and "start: 2026-12-05 09:30" in head_after


def test_a_form_mistake_is_shown_before_saving(editor):
    site, base, page, _ = editor
    path = site.root / "content/tasks/brieven-plooien-gezinsbond.md"
    before = path.read_text(encoding="utf-8")
    page.goto(base + "/admin/#/collections/tasks/entries/brieven-plooien-gezinsbond")
    page.locator("[id^=signup-field-]").fill("http://forms.example.be/inschrijven")
    page.locator("[id^=taken-field-]").fill("-1")
    page.get_by_role("button", name="Publiceer").first.click()
    page.get_by_text("Publiceer nu").click()
    page.get_by_text(BAD_SIGNUP_NL).wait_for()
    errors = page.evaluate("() => Array.from(document.querySelectorAll('ul li')).map(e => e.textContent)")
    # Decap's own Dutch words around our message, and its own for a number below the minimum.
    assert f"Inschrijflink komt niet overeen met het patroon: {BAD_SIGNUP_NL}." in errors
    assert "Al ingeschreven moet tenminste 0 bevatten." in errors
    time.sleep(1)
    assert path.read_text(encoding="utf-8") == before


def test_chromium_is_there_in_ci():
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
