"""Take the coordinator's guide's screenshots from the real web editor (Decap in Chromium).

    python docs/take_screenshots.py [OUT]        # default: docs/screenshots/

Three editors, each as a coordinator meets it, on a copy of the demo site:
- the deployed one (GitHub back end): its login page;
- the editorial workflow (save → review → publish) with Decap's in-browser test back end,
  which behaves like GitHub's but needs no account: the same screens a coordinator sees
  after logging in, without a network;
- `sitegen serve`'s local editor, which saves straight into content/.
Needs Debian's chromium and Playwright (pip install -e '.[test]').
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--lang=nl-BE"]  # date fields as a Flemish coordinator's browser shows them
VIEWPORT = {"width": 1100, "height": 760}


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _choose(page, field: str, text: str) -> None:
    box = page.locator(f"[id^={field}-field-]")
    box.click()
    box.fill(text)
    page.locator("[class*=option]", has_text=text).first.click()


def _fill_task(page) -> None:
    page.locator("[id^=title-field-]").fill("Soep koken in ’t Hof")
    _choose(page, "place", "Hof")
    page.locator("[id^=start-field-]").fill("2027-01-16T09:30")
    page.locator("[id^=end-field-]").fill("2027-01-16T12:00")


def _fill_more(page) -> None:
    page.locator("[id^=repeat-field-] [data-testid=expand-button]").first.click()
    _choose(page, "freq", "elke week")
    page.locator("[id^=until-field-]").fill("2027-03-27")
    _choose(page, "category", "koken")
    _choose(page, "access", "kan zittend")


def _shot(page, out: Path, name: str, locator=None) -> None:
    page.wait_for_timeout(400)  # Decap animates its menus and toasts
    (locator or page).screenshot(path=str(out / name))


def _scroll_to(page, selector: str) -> None:
    page.locator(selector).first.scroll_into_view_if_needed()
    page.mouse.wheel(0, -120)


def take(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sitegen-shots-"))
    site = work / "site"
    shutil.copytree(REPO / "content", site / "content")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--root", str(site), "--quiet"],
                   check=True, env=env)
    # The workflow's screens: the built editor with Decap's in-browser test back end.
    workflow = work / "workflow"
    shutil.copytree(site / "public", workflow)
    config = yaml.safe_load((workflow / "admin/config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    (workflow / "admin/config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--root", str(site),
                              "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    servers = []
    try:
        origins = {}
        for name, folder in (("deployed", site / "public"), ("workflow", workflow)):
            server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            origins[name] = f"http://127.0.0.1:{server.server_port}"
        local = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(local + "/admin/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS,
                                                 env={**os.environ, "LANG": "nl_BE.UTF-8", "LANGUAGE": "nl_BE:nl"})
            context = browser.new_context(viewport=VIEWPORT, timezone_id="Europe/Brussels", locale="nl-BE")
            # The test back end's "repository": the demo's files, in memory (its two ways to look up).
            files = {folder: {p.name: {"content": p.read_text(encoding="utf-8")}
                              for p in sorted((site / "content" / folder).glob("*.md"))}
                     for folder in ("tasks", "places")}
            context.add_init_script("window.repoFiles = " + json.dumps(
                {"content": files, **{f"content/{folder}": found for folder, found in files.items()}}))
            page = context.new_page()

            page.goto(origins["deployed"] + "/admin/", wait_until="networkidle")
            page.get_by_role("button", name="Inloggen met GitHub").wait_for()
            _shot(page, out, "01-inloggen-met-github.png")

            page.goto(origins["workflow"] + "/admin/", wait_until="networkidle")
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_role("link", name="Taak").first.wait_for()
            page.goto(origins["workflow"] + "/admin/#/collections/tasks/new")
            _fill_task(page)
            _shot(page, out, "03-nieuwe-taak.png")
            _fill_more(page)
            page.locator("[id^=repeat-field-]").first.evaluate("e => e.parentElement.scrollIntoView()")
            _shot(page, out, "04-herhalen.png")
            page.locator("[id^=signup-field-]").fill("http://forms.example.be/")
            page.get_by_role("button", name="Opslaan").click()
            page.get_by_text("komt niet overeen met het patroon").first.wait_for()
            _scroll_to(page, "[id^=signup-field-]")
            _shot(page, out, "05-fout-voor-het-opslaan.png")
            signup = page.locator("[id^=signup-field-]")
            signup.press("Control+a")
            signup.press("Backspace")  # (a fill() here adds to what Decap's input holds)
            page.get_by_role("button", name="Opslaan").click()
            page.get_by_role("button", name="Status: Concept").wait_for()
            page.get_by_role("button", name="Status: Concept").click()
            _shot(page, out, "06-status.png")
            page.get_by_text("Wordt beoordeeld", exact=True).click()
            page.goto(origins["workflow"] + "/admin/#/workflow")
            page.get_by_text("Soep koken in ’t Hof").first.wait_for()
            page.locator(".Toastify__toast").last.wait_for(state="detached", timeout=15000)
            _shot(page, out, "07-werkstroom.png")

            page.goto(local + "/admin/", wait_until="networkidle")
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_text("Brieven plooien voor de Gezinsbond").wait_for()
            _shot(page, out, "02-taken.png")
            page.goto(local + "/admin/#/collections/tasks/new")
            _fill_task(page)
            _fill_more(page)
            page.get_by_role("button", name="Publiceer").first.click()
            page.get_by_text("Publiceer nu").wait_for()
            _shot(page, out, "08-lokaal-publiceer-nu.png")
            browser.close()
    finally:
        serve.terminate()
        serve.wait(timeout=30)
        for server in servers:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return sorted(out.glob("*.png"))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs/screenshots"
    for path in take(target):
        print(path.relative_to(REPO) if path.is_relative_to(REPO) else path)
