"""`sitegen serve`: build, serve, rebuild on change, reload open tabs.

The built files stay exactly as `build` writes them: the reload script and the
error banner are added to HTML responses by this server only. A failed rebuild
leaves public/ as it was (the build promise), so the last good site keeps being
served, with the problems shown on top of every page until they are fixed.
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from . import messages
from .build import BuildOptions, BuildResult, build
from .cache import CACHE_DIR, BuildCache
from .problems import BuildFailed
from .watch import Watcher

PREFIX = "/__sitegen/"
PIN_NOW = timedelta(hours=1)  # how long serve keeps one build moment
_HEARTBEAT_SECONDS = 15

RELOAD_JS = b"""\
// sitegen serve only: reload this page when the site was rebuilt.
(function () {
  "use strict";
  var seen = null;
  var source = new EventSource("/__sitegen/events");
  source.addEventListener("message", function (event) {
    if (seen !== null && event.data !== seen) {
      window.location.reload();
    }
    seen = event.data;
  });
}());
"""

BANNER_CSS = b"""\
/* sitegen serve only: the build problems banner. */
.sitegen-problems { position: relative; z-index: 2147483647; margin: 0; padding: 1rem;
  background: #fff3f3; color: #5a0000; border-bottom: 4px solid #b00020;
  font: 1rem/1.4 system-ui, sans-serif; }
.sitegen-problems h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
.sitegen-problems pre { margin: 0; white-space: pre-wrap; font: .95rem/1.4 ui-monospace, monospace; }
"""


@dataclass
class ServeState:
    """What the server shows: the build counter and the problems of the last build."""

    out: Path
    generation: int = 0
    building: bool = False
    problems: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def busy(self, building: bool) -> None:
        with self.changed:
            self.building = building

    def finished(self, problems: list[str], reload: bool = True) -> None:
        """Record a build's problems; `reload` tells open tabs to load the page again."""
        with self.changed:
            self.problems = problems
            if reload:
                self.generation += 1
            self.changed.notify_all()


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, log=print) -> int:
    """Build, serve and watch until Ctrl-C; return the exit status."""
    state = ServeState(options.out_dir)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = ThreadingHTTPServer((host, port), partial(_Handler, state))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            log(messages.port_in_use(host, port), file=sys.stderr)
            return 1
        if error.errno == errno.EACCES:
            log(messages.port_not_allowed(host, port), file=sys.stderr)
            return 1
        raise
    server.daemon_threads = True  # open event streams must not keep Ctrl-C waiting
    rebuild = _Rebuilder(options, state, log)
    # Watching starts first: a save during the first build (30 s at 10 000 tasks) is rebuilt after it.
    watcher = Watcher([options.root / "content", options.root / "theme"], rebuild,
                      ignore=[options.out_dir, options.root / CACHE_DIR])
    watcher.start()
    rebuild([])
    rebuild.close()  # the first build's cache on disk: a crash later still leaves it warm
    log(messages.serving(f"http://{host}:{server.server_address[1]}/"))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it like Ctrl-C: cache saved, exit 0
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        server.server_close()
        rebuild.close()
    log(messages.SERVE_STOPPED)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class _Rebuilder:
    """The watcher's callback: one build at a time, problems kept for the banner.

    The cache stays in memory between rebuilds (written to disk when serving
    stops). A rebuild shows changed pages first, reusing the last search index;
    when that was out of date, a second build refreshes it right after.
    """

    def __init__(self, options: BuildOptions, state: ServeState, log):
        self.options, self.state, self.log = replace(options, search_later=True), state, log
        self.lock = threading.Lock()
        self.cache = BuildCache.for_site(options.root) if options.cache else BuildCache.disabled()
        self.cache.autosave = False
        self.pinned: datetime | None = None

    def moment(self) -> datetime | None:
        """The build moment: SOURCE_DATE_EPOCH or options.now when given, else pinned for an hour.

        Every page depends on "now", so a new moment per save would render every page
        again; a preview may lag the clock by up to an hour (a task that just ended still shows).
        """
        if self.options.now is not None or os.environ.get("SOURCE_DATE_EPOCH"):
            return self.options.now
        current = datetime.now(timezone.utc).replace(microsecond=0)
        if self.pinned is None or current - self.pinned >= PIN_NOW:
            self.pinned = current
        return self.pinned

    def close(self) -> None:
        with self.lock:
            self.cache.flush()

    def __call__(self, changed: list[str]) -> None:
        self.state.busy(True)
        try:
            self._build()
            if self.cache.stale_search:
                self._build(quiet=True)
        finally:
            self.state.busy(False)

    def _build(self, quiet: bool = False) -> None:
        with self.lock:
            started = time.perf_counter()
            try:
                result: BuildResult = build(replace(self.options, now=self.moment()), self.cache)
            except BuildFailed as failure:
                lines = [str(p) for p in failure.problems]
                for line in lines:
                    self.log(line, file=sys.stderr)
                self.log(messages.build_failed(len(lines)), file=sys.stderr)
                self.state.finished(lines)
                return
            except Exception as error:  # a bug must not kill the server; show it like a problem
                lines = [f"internal error: {type(error).__name__}: {error}"]
                self.log(lines[0], file=sys.stderr)
                self.state.finished(lines)
                return
            # The quiet build only refreshes the search index: the open page has not changed.
            self.state.finished([], reload=not quiet)
            if not quiet:
                self.log(messages.rebuilt(result.report.written if result.report else 0,
                                          time.perf_counter() - started))


class _Handler(SimpleHTTPRequestHandler):
    """Serves public/, adding the reload script and the problems banner to HTML."""

    def __init__(self, state: ServeState, *args, **kwargs):
        self.state = state
        super().__init__(*args, directory=str(state.out), **kwargs)

    def log_message(self, format, *args) -> None:
        pass  # one line per request would drown the build messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "reload.js":
            return self._send(RELOAD_JS, "text/javascript; charset=utf-8")
        if path == PREFIX + "serve.css":
            return self._send(BANNER_CSS, "text/css; charset=utf-8")
        if path == PREFIX + "events":
            return self._events()
        if path == PREFIX + "status":
            with self.state.changed:
                status = {"generation": self.state.generation, "building": self.state.building,
                          "problems": len(self.state.problems)}
            return self._send(json.dumps(status).encode(), "application/json")
        file = self._file_for(path)
        if file is None:
            missing = self.state.out / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<!doctype html><title>404</title>"
            return self._send(self._decorate(body), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
        if file.suffix == ".html":
            return self._send(self._decorate(file.read_bytes()), "text/html; charset=utf-8")
        return super().do_GET()

    def _file_for(self, url_path: str) -> Path | None:
        translated = Path(self.translate_path(url_path))
        if translated.is_dir():
            if not url_path.endswith("/"):
                return translated  # SimpleHTTPRequestHandler redirects to the slash form
            translated = translated / "index.html"
        return translated if translated.is_file() else None

    def _decorate(self, body: bytes) -> bytes:
        """Add the reload script (and the problems banner) to one HTML response."""
        with self.state.changed:
            problems = list(self.state.problems)
        head = (b'<script src="/__sitegen/reload.js" defer></script>'
                b'<link rel="stylesheet" href="/__sitegen/serve.css">')
        body = _insert_after_tag(body, b"<head", head)
        if problems:
            banner = ('<div class="sitegen-problems" role="alert"><h2>'
                      + html.escape(messages.build_failed(len(problems)))
                      + " — showing the last good build</h2><pre>"
                      + html.escape("\n".join(problems), quote=False) + "</pre></div>")
            body = _insert_after_tag(body, b"<body", banner.encode("utf-8"))
        return body

    def _send(self, body: bytes, content_type: str, status=HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the build counter, sent again after every build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        sent = None
        try:
            while True:
                with self.state.changed:
                    if sent == self.state.generation:
                        self.state.changed.wait(_HEARTBEAT_SECONDS)
                    generation = self.state.generation
                if generation != sent:
                    self.wfile.write(f"data: {generation}\n\n".encode())
                    sent = generation
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _insert_after_tag(body: bytes, tag: bytes, addition: bytes) -> bytes:
    """Insert right after the opening `tag` (e.g. b"<head"), or at the start if there is none."""
    match = re.search(re.escape(tag) + rb"(?:\s[^>]*)?>", body)
    if match is None:
        return addition + body
    return body[:match.end()] + addition + body[match.end():]
