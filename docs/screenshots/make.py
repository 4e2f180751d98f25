"""Make the screenshots in docs/screenshots/ from the demo board, as a volunteer or a shop sees it.

    python docs/screenshots/make.py          # needs Debian's chromium, playwright and poppler-utils

Builds content/ at the tests' fixed moment (Thursday 2026-11-26 12:00 in Brussels) into a
temporary folder, serves it, and takes with Playwright and /usr/bin/chromium: posters on a
wide screen and on a 360 px phone, posters and a sign-up sheet as printed (Chromium's PDF,
rendered by pdftoppm), and the board and a task page on a 360 × 740 phone.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MOMENT = "1795690800"  # 2026-11-26 12:00 Europe/Brussels, conftest.BUILD_NOW
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}

TASK_POSTER = "/tasks/soep-koken-oranje/poster/"  # with a picture
PLAIN_POSTER = "/tasks/brieven-plooien-gezinsbond/poster/"  # without one
PLACE_POSTER = "/places/t-hof/poster/"
SHEET = "/tasks/soep-koken-oranje/signup-sheet/"
TASK_PAGE = "/tasks/brieven-plooien-gezinsbond/"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build(out: Path) -> Path:
    """The demo site, built as the tests build it."""
    site = out / "demo"
    shutil.copytree(REPO / "content", site / "content")
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--root", str(site), "--quiet"], check=True,
                   env=dict(os.environ, SOURCE_DATE_EPOCH=MOMENT))
    return site / "public"


def printed(page, url: str, name: str, work: Path, dpi: int = 70) -> list[Path]:
    """Print a page to PDF as Chromium does, and render each printed page to a PNG."""
    pdf = work / f"{name}.pdf"
    page.goto(url, wait_until="networkidle")
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True, print_background=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(work / name)], check=True)
    made = []
    for number, png in enumerate(sorted(work.glob(f"{name}-*.png")), start=1):
        target = HERE / (f"{name}.png" if number == 1 else f"{name}-{number}.png")
        png.replace(target)
        made.append(target)
    return made


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        public = build(work)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(public)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{server.server_port}"
        made = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for viewport, suffix in ((WIDE, "1280"), (PHONE, "360")):
                page = browser.new_page(viewport=viewport)
                for path, name in ((TASK_POSTER, "poster-task"), (PLACE_POSTER, "poster-place")):
                    page.goto(origin + path, wait_until="networkidle")
                    target = HERE / f"{name}-screen-{suffix}.png"
                    page.screenshot(path=str(target), full_page=True)
                    made.append(target)
                page.close()
            page = browser.new_page(viewport=WIDE)
            for path, name in ((TASK_POSTER, "poster-task-print"), (PLAIN_POSTER, "poster-task-plain-print"),
                               (PLACE_POSTER, "poster-place-print"), (SHEET, "signup-sheet-print")):
                made += printed(page, origin + path, name, work)
            page.close()
            page = browser.new_page(viewport=PHONE)
            for path, name in (("/", "board-360"), (TASK_PAGE, "task-360"), ("/impact/", "impact-360")):
                page.goto(origin + path, wait_until="networkidle")
                target = HERE / f"{name}.png"
                page.screenshot(path=str(target))  # the first screen only: what a phone shows at once
                made.append(target)
            page.close()
            browser.close()
        server.shutdown()
    for path in made:
        print(path.relative_to(REPO))


if __name__ == "__main__":
    main()
