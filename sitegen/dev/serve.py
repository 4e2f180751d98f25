"""`sitegen serve`: build, serve, rebuild on change, reload open tabs.

The built files stay exactly as `build` writes them: the reload script and the
error banner are added to HTML responses by this server only. A failed rebuild
leaves public/ as it was (the build promise), so the last good site keeps being
served, with the problems shown on top of every page until they are fixed.

An edit to a task or two is shown first: its own page is rendered from the last
good model and served from memory while the full build runs (like Hugo's fast
render); each reload message names the pages that changed, so a tab reloads
only when its own page did.
"""

from __future__ import annotations

import errno
import hashlib
import html
import ipaddress
import json
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .. import messages, urls
from ..build import BuildOptions, BuildResult, build
from ..engine import CACHE_DIR, Engine
from ..load.content import LoadOptions, load_task_file, with_task
from ..problems import BuildError, BuildFailed
from ..render.pages import task_page
from ..render.templates import Templates
from ..shortlinks import redirects
from ..theme import Theme
from . import local_editor
from .watch import Watcher

PREFIX = "/__sitegen/"
_HEARTBEAT_SECONDS = 15
PREVIEW_AT_MOST = 3  # edited tasks shown before the full build; more is a bulk change
_KEPT_CHANGES = 100  # generations whose changed pages a reconnecting tab can still ask for
# Outputs every page may use: when one changes, every open tab reloads.
_SHARED_OUTPUTS = ("static/", "media/")

RELOAD_JS = b"""\
// sitegen serve only: reload this page when a rebuild changed it.
(function () {
  "use strict";
  // The server says which generation of the site this page is, and each message
  // which pages changed since then (null: every page, e.g. after a failed build).
  var script = document.currentScript;
  var known = script && script.dataset.generation ? Number(script.dataset.generation) : null;
  var here = window.location.pathname.replace(/index\\.html$/, "");
  try { here = decodeURIComponent(here); } catch (error) { /* keep it as it is */ }
  var source = new EventSource("/__sitegen/events" + (known === null ? "" : "?since=" + known));
  source.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (known !== null && data.generation !== known &&
        (data.paths === null || data.paths.indexOf(here) >= 0)) {
      source.close();
      window.location.reload();
      return;
    }
    known = data.generation;
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
    """What the server shows: the generation counter, previewed pages and the last build's problems."""

    out: Path
    root: Path | None = None  # the site folder: the local web editor writes in its content/
    generation: int = 0
    building: bool = False
    problems: list[str] = field(default_factory=list)
    # Output path → bytes of a previewed page, served instead of public/ until the build finishes.
    overlay: dict[str, bytes] = field(default_factory=dict)
    # Generation → URL paths of the pages it changed (None: every page may have changed).
    changes: dict[int, tuple[str, ...] | None] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)
    log: Callable[..., None] = print  # serve's log: the local web editor says what it saved

    def busy(self, building: bool) -> None:
        with self.changed:
            self.building = building

    def finished(self, problems: list[str], paths: list[str] | None = None) -> None:
        """Record a build's problems and drop the previews; tabs showing `paths` reload (None: all)."""
        with self.changed:
            self.problems = problems
            self.overlay = {}
            if paths is None or paths:
                self._next(paths)
            self.changed.notify_all()

    def previewed(self, pages: dict[str, bytes]) -> None:
        """Serve these pages (output path → bytes) before the build writes them; their tabs reload."""
        with self.changed:
            self.overlay = dict(pages)
            self._next(sorted(url_of(path) for path in pages))
            self.changed.notify_all()

    def _next(self, paths: list[str] | None) -> None:
        self.generation += 1
        self.changes[self.generation] = None if paths is None else tuple(paths)
        self.changes.pop(self.generation - _KEPT_CHANGES, None)

    def changed_since(self, generation: int | None) -> list[str] | None:
        """URL paths changed after `generation` (call holding `changed`); None: every page."""
        if generation is None or not 0 <= generation <= self.generation:
            return None
        paths: set[str] = set()
        for later in range(generation + 1, self.generation + 1):
            if later not in self.changes or self.changes[later] is None:
                return None
            paths.update(self.changes[later])
        return sorted(paths)


def url_of(path: str) -> str:
    """The URL path of an output file: `x/index.html` → `/x/`, `index.html` → `/`."""
    return "/" + (path[:-len("index.html")] if path == "index.html" or path.endswith("/index.html")
                  else path)


def changed_pages(before: dict, after: dict, previewed: dict[str, bytes]) -> list[str] | None:
    """URL paths of the pages a build changed, from two manifests (path → (sha256, …)).

    A previewed page counts as changed only when the build's bytes differ from the
    preview's: open tabs already show the preview. None: every page may look different.
    """
    paths = set()
    for path in before.keys() | after.keys():
        old, new = before.get(path), after.get(path)
        if path in previewed:
            old = (hashlib.sha256(previewed[path]).digest(),)
        if old is not None and new is not None and old[0] == new[0]:
            continue
        if path.startswith(_SHARED_OUTPUTS):
            return None
        if path.endswith(".html"):
            paths.add(url_of(path))
    return sorted(paths)


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, log=print) -> int:
    """Build, serve and watch until Ctrl-C; return the exit status."""
    state = ServeState(options.out_dir, options.root, log=log)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = _Server((host, port), partial(_Handler, state, hosts=allowed_hosts(host)))
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
    # Watching starts first: a save during the first build (long for a big site) is rebuilt after it.
    watcher = Watcher([options.root / "content", options.root / "theme"], rebuild,
                      ignore=[options.out_dir, options.root / CACHE_DIR])
    watcher.start()
    rebuild([])
    rebuild.close()  # the first build's cache on disk: a crash later still leaves it warm
    log(messages.serving(f"http://{host}:{server.server_address[1]}/"))
    log(messages.serving_editor(f"http://127.0.0.1:{server.server_address[1]}{urls.route('admin').url}"))
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

    The engine's store stays in memory between rebuilds (each build also saves it to
    disk). A rebuild shows the edited task's page first, then builds the whole site.
    """

    def __init__(self, options: BuildOptions, state: ServeState, log):
        self.options, self.state, self.log = options, state, log
        self.lock = threading.Lock()
        self.store = Engine(options.root, cache=options.cache).store
        self.good = None  # the last build's SiteModel when it succeeded: previews start from it
        self.templates: Templates | None = None  # the good model's, made for the first preview
        self.manifest: dict | None = None  # the output files the last good build left

    def close(self) -> None:
        """Nothing to flush: every build saves the store."""

    def __call__(self, changed: list[str]) -> None:
        self.state.busy(True)
        try:
            self._preview(changed)
            self._build()
        finally:
            self.state.busy(False)

    def _preview(self, changed: list[str]) -> None:
        """Serve the edited tasks' own pages at once, rendered from the last good model.

        Only for an edit of a few existing task files after a good build; on any
        doubt (a problem, a draft, a deleted file, an error) nothing is previewed
        and the full build right after reports what it finds, as always.
        """
        model = self.good
        if model is None or not changed or len(changed) > PREVIEW_AT_MOST:
            return
        try:
            tasks = (self.options.root / "content/tasks").resolve()
            files = [Path(path).resolve() for path in changed]
            if any(f.parent != tasks or f.suffix != ".md" or f.name.startswith(".") or not f.is_file()
                   for f in files):
                return
            theme = Theme.for_site(self.options.root)
            load_options = LoadOptions(self.options.root, theme.dirs, self.options.drafts,
                                       self.options.base_url)
            views = []
            for file in files:
                view, problems = load_task_file(load_options, model, str(file))
                if view is None or problems:
                    return
                model = with_task(model, view)
                views.append(view)
            if self.templates is None:
                self.templates = Templates(theme, model.site, model.places)
            # The views of the final model: each page sees every edited task as it is now.
            edited = {view.task.source for view in views}
            rendered = {urls.route(v).path: task_page(self.templates, v)
                        for v in model.tasks if v.task.source in edited}
        except Exception:
            return  # the full build runs next and says what is wrong
        self.state.previewed(rendered)

    def _build(self) -> None:
        with self.lock:
            started = time.perf_counter()
            try:
                result: BuildResult = build(self.options, Engine(self.options.root, cache=self.options.cache,
                                                                 store=self.store))
            except BuildFailed as failure:
                lines = [str(p) for p in failure.problems]
                for line in lines:
                    self.log(line, file=sys.stderr)
                self.log(messages.build_failed(len(lines)), file=sys.stderr)
                self._failed(lines)
                return
            except BuildError as error:  # e.g. public/ not writable: said in one line, like a problem
                lines = [f"error: {error}"]
                self.log(lines[0], file=sys.stderr)
                self._failed(lines)
                return
            except Exception as error:  # a bug must not kill the server; show it like a problem
                lines = [f"internal error: {type(error).__name__}: {error}"]
                self.log(lines[0], file=sys.stderr)
                self._failed(lines)
                return
            for note in result.notes:
                self.log(note, file=sys.stderr)
            before, self.good, self.templates = self.manifest, result.model, None
            self.manifest = dict(result.report.files) if result.report else None
            with self.state.changed:
                previewed, recovered = dict(self.state.overlay), bool(self.state.problems)
            paths = None
            if before is not None and self.manifest is not None and not recovered:
                paths = changed_pages(before, self.manifest, previewed)
            self.state.finished([], paths)
            self.log(messages.rebuilt(result.report.written if result.report else 0,
                                      time.perf_counter() - started))

    def _failed(self, lines: list[str]) -> None:
        """After a failed build: no previews until a good one; every tab reloads to show the banner."""
        self.good = None
        self.state.finished(lines)


class _Server(ThreadingHTTPServer):
    # A browser opening a page fetches its CSS, scripts, pictograms and search files at
    # once; the socket module's default backlog of 5 refused connections under 200 at a
    # time (retried a second or more later). The kernel caps it at net.core.somaxconn.
    request_queue_size = 1024


def allowed_hosts(host: str) -> frozenset[str]:
    """The Host names a request may carry: the address listened on, and this computer's names."""
    return frozenset({host.strip("[]").lower(), "localhost", "127.0.0.1", "::1"})


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's Host header names this server (as Vite and webpack-dev-server check).

    A page on another site can point its own host name at 127.0.0.1 (DNS rebinding) and
    read the preview through the visitor's browser: then Host is that other name. An IP
    address cannot be rebound, and `*.localhost` always means this computer.
    """
    if not header:
        return False
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1:name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = name.rstrip(".")
    if name in allowed or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _Handler(SimpleHTTPRequestHandler):
    """Serves public/, adding the reload script and the problems banner to HTML."""

    def __init__(self, state: ServeState, *args, hosts: frozenset[str] = frozenset(), **kwargs):
        self.state = state
        self.hosts = hosts or allowed_hosts("127.0.0.1")
        super().__init__(*args, directory=str(state.out), **kwargs)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get("Host"), self.hosts):
            editor = self.command == "POST" and self.path == local_editor.API_PATH  # Decap reads JSON
            body = (json.dumps({"error": messages.EDITOR_FORBIDDEN}).encode() if editor
                    else messages.HOST_REFUSED.encode("utf-8"))
            self.send_response(HTTPStatus.FORBIDDEN)
            self.send_header("Content-Type", "application/json" if editor else "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return False
        return True

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
        # The generation before the file is read: a page at most newer than it says (one reload more).
        if path == urls.route("admin-config").url:
            return self._editor_config()
        with self.state.changed:
            generation, problems = self.state.generation, list(self.state.problems)
            previewed = self.state.overlay.get(_output_path(path))
        if previewed is not None:
            return self._send(self._decorate(previewed, generation, problems), "text/html; charset=utf-8")
        file = self._file_for(path)
        if file is None and (target := self._redirect(path)) is not None:
            return self._send_redirect(*target)
        if file is None:
            missing = self.state.out / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<!doctype html><title>404</title>"
            return self._send(self._decorate(body, generation, problems), "text/html; charset=utf-8",
                              HTTPStatus.NOT_FOUND)
        if file.suffix == ".html":
            return self._send(self._decorate(file.read_bytes(), generation, problems),
                              "text/html; charset=utf-8")
        return super().do_GET()

    def _from_this_computer(self, post: bool = False) -> bool:
        return local_editor.allowed_request(self.client_address[0], self.headers.get("Host"),
                                            self.headers.get("Origin"), self.server.server_address[1],
                                            post=post)

    def _editor_config(self) -> None:
        """The built config.yml; for this computer's browser, with serve's local back end added."""
        file = self.state.out / urls.route("admin-config").path
        if not file.is_file():
            return self._send(b"not found", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
        body = file.read_bytes()
        if self._from_this_computer():
            body += local_editor.local_backend_yaml(f"http://{self.headers['Host']}")
        return self._send(body, "text/yaml; charset=utf-8")

    def do_POST(self) -> None:
        """The local web editor's API (local_editor.py); nothing else accepts a POST."""
        if self.path != local_editor.API_PATH:
            return self._send(b"not found", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
        if not self._from_this_computer(post=True):
            return self._json({"error": messages.EDITOR_FORBIDDEN}, HTTPStatus.FORBIDDEN)
        length = self.headers.get("Content-Length", "")
        kind = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind != "application/json" or not length.isdigit():
            return self._json({"error": messages.EDITOR_BAD_REQUEST}, HTTPStatus.BAD_REQUEST)
        if int(length) > local_editor.MAX_REQUEST:
            return self._json({"error": messages.EDITOR_BAD_REQUEST}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            request = json.loads(self.rfile.read(int(length)))
            answer = local_editor.handle(self.state.root, request, log=self.state.log)
        except local_editor.Refused as refused:
            return self._json({"error": str(refused)}, refused.status)
        except ValueError:  # not JSON, or not UTF-8
            return self._json({"error": messages.EDITOR_BAD_REQUEST}, HTTPStatus.BAD_REQUEST)
        except OSError as error:
            return self._json({"error": messages.unreadable(error.strerror or str(error))},
                              HTTPStatus.INTERNAL_SERVER_ERROR)
        return self._json(answer)

    def _json(self, value, status=HTTPStatus.OK) -> None:
        self._send(json.dumps(value).encode("utf-8"), "application/json; charset=utf-8", status)
    def _redirect(self, url_path: str) -> tuple[str, int] | None:
        """A rule of the built `_redirects` (the short links /t/<code>), as Netlify applies it:
        only where no file is (its rules do not shadow files)."""
        try:
            text = (self.state.out / urls.route("redirects").path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return redirects(text).get(unquote(url_path))

    def _send_redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _file_for(self, url_path: str) -> Path | None:
        translated = Path(self.translate_path(url_path))
        if translated.is_dir():
            if not url_path.endswith("/"):
                return translated  # SimpleHTTPRequestHandler redirects to the slash form
            translated = translated / "index.html"
        return translated if translated.is_file() else None

    def _decorate(self, body: bytes, generation: int, problems: list[str]) -> bytes:
        """Add the reload script (and the problems banner) to one HTML response."""
        head = (b'<script src="/__sitegen/reload.js" data-generation="%d" defer></script>'
                b'<link rel="stylesheet" href="/__sitegen/serve.css">' % generation)
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
        """Server-sent events: after every change, the generation and the pages changed since `since`."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
        sent = int(since) if since.isdigit() else None  # None: the first message only says where we are
        try:
            while True:
                with self.state.changed:
                    if sent == self.state.generation:
                        self.state.changed.wait(_HEARTBEAT_SECONDS)
                    generation = self.state.generation
                    paths = self.state.changed_since(sent)
                if generation != sent:
                    message = json.dumps({"generation": generation, "paths": paths})
                    self.wfile.write(f"data: {message}\n\n".encode())
                    sent = generation
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _output_path(url_path: str) -> str:
    """The output file a URL path names: `/x/` → `x/index.html`."""
    relative = unquote(url_path).lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def _insert_after_tag(body: bytes, tag: bytes, addition: bytes) -> bytes:
    """Insert right after the opening `tag` (e.g. b"<head"), or at the start if there is none."""
    match = re.search(re.escape(tag) + rb"(?:\s[^>]*)?>", body)
    if match is None:
        return addition + body
    return body[:match.end()] + addition + body[match.end():]
